import { ldapSyncDefaults, listSettings } from '@bwdc/core';
import type { SettingsSnapshot } from '../shared/bridge';
import {
  changesBetween,
  directoryLayout,
  initialValues,
  secretIsStored,
  secretNeedingReentry,
  syncLayout,
} from './settings-form';

function snapshot(
  directory: string | null,
  values: Record<string, string | number | boolean | null> = {},
): SettingsSnapshot {
  return {
    directory,
    server: null,
    catalogue: listSettings(),
    values: { 'ldap.ad': true, 'ldap.port': 389, 'onelogin.region': 'us', ...values },
    ldapDefaults: { activeDirectory: defaultsOf(true), otherLdap: defaultsOf(false) },
  };
}

/** As the backend sends them: core's defaults by setting name. */
function defaultsOf(ad: boolean): Record<string, string> {
  return Object.fromEntries(
    Object.entries(ldapSyncDefaults(ad)).map(([field, value]) => [`sync.${field}`, value!]),
  );
}

const names = (groups: { fields: readonly { name: string }[] }[]) =>
  groups.flatMap((g) => g.fields.map((f) => f.name));

describe('the settings form', () => {
  it('shows every field of every directory somewhere (except the unused ldap.currentUser)', () => {
    for (const directory of ['ldap', 'entra', 'gsuite', 'okta', 'onelogin', 'file']) {
      const s = snapshot(directory);
      const everything = { ...initialValues(s), 'ldap.ssl': true, 'ldap.ad': false };
      const shown = new Set([
        ...names(directoryLayout(s, everything)),
        ...names(directoryLayout(s, { ...everything, 'ldap.startTls': true })),
      ]);
      const expected = listSettings()
        .filter((d) => d.section === directory && d.name !== 'ldap.currentUser')
        .map((d) => d.name);
      expect([...shown].sort()).toEqual(expected.sort());
    }
  });

  it('shows every sync option for LDAP without AD', () => {
    const s = snapshot('ldap');
    const values = { ...initialValues(s), 'ldap.ad': false, 'sync.useEmailPrefixSuffix': true };
    expect(names(syncLayout(s, values)).sort()).toEqual(
      listSettings()
        .filter((d) => d.section === 'sync')
        .map((d) => d.name)
        .sort(),
    );
  });

  it('follows the LDAP switches: paged results off AD, certificate fields by encryption method', () => {
    const s = snapshot('ldap');
    const base = initialValues(s);
    expect(names(directoryLayout(s, base))).not.toContain('ldap.pagedSearch');
    expect(names(directoryLayout(s, { ...base, 'ldap.ad': false }))).toContain('ldap.pagedSearch');
    expect(names(directoryLayout(s, base))).not.toContain('ldap.sslCaPath');
    const ldaps = names(directoryLayout(s, { ...base, 'ldap.ssl': true }));
    expect(ldaps).toEqual(
      expect.arrayContaining([
        'ldap.sslCaPath',
        'ldap.sslCertPath',
        'ldap.sslKeyPath',
        'ldap.sslAllowUnauthorized',
      ]),
    );
    expect(ldaps).not.toContain('ldap.tlsCaPath');
    const startTls = names(
      directoryLayout(s, { ...base, 'ldap.ssl': true, 'ldap.startTls': true }),
    );
    expect(startTls).toContain('ldap.tlsCaPath');
    expect(startTls).not.toContain('ldap.sslCertPath');
  });

  it('calls OneLogin groups roles and shows LDAP paths only for LDAP', () => {
    const one = snapshot('onelogin');
    expect(syncLayout(one, initialValues(one)).map((g) => g.title)).toContain('Roles');
    expect(names(syncLayout(one, initialValues(one)))).not.toContain('sync.userPath');
  });

  it('shows the LDAP classes and attributes on AD too, each with the default it takes when empty', () => {
    const s = snapshot('ldap');
    const placeholders = (values: Record<string, string | boolean>) =>
      Object.fromEntries(
        syncLayout(s, values)
          .flatMap((g) => g.fields)
          .filter((f) =>
            [
              'sync.userObjectClass',
              'sync.groupObjectClass',
              'sync.userEmailAttribute',
              'sync.groupNameAttribute',
              'sync.memberAttribute',
              'sync.revisionDateAttribute',
              'sync.userPath',
            ].includes(f.name),
          )
          .map((f) => [f.name, f.placeholder]),
      );
    const ad = initialValues(s);
    expect(placeholders(ad)).toEqual({
      'sync.userObjectClass': 'person',
      'sync.groupObjectClass': 'group',
      'sync.userEmailAttribute': 'mail',
      'sync.groupNameAttribute': 'name',
      'sync.memberAttribute': 'member',
      'sync.revisionDateAttribute': 'whenChanged',
      'sync.userPath': 'CN=Users',
    });
    // Unticking "Active Directory" changes the defaults at once, before anything is saved.
    expect(placeholders({ ...ad, 'ldap.ad': false })).toEqual({
      'sync.userObjectClass': 'inetOrgPerson',
      'sync.groupObjectClass': 'groupOfNames',
      'sync.userEmailAttribute': 'mail',
      'sync.groupNameAttribute': 'cn',
      'sync.memberAttribute': 'member',
      'sync.revisionDateAttribute': 'modifyTimestamp',
      'sync.userPath': undefined,
    });
    const prefix = syncLayout(s, { ...ad, 'sync.useEmailPrefixSuffix': true })
      .flatMap((g) => g.fields)
      .find((f) => f.name === 'sync.emailPrefixAttribute');
    expect(prefix?.placeholder).toBe('sAMAccountName');
  });

  it('explains each filter as its directory reads it', () => {
    const help = (directory: string, name: string) => {
      const s = snapshot(directory);
      return syncLayout(s, initialValues(s))
        .flatMap((g) => g.fields)
        .find((f) => f.name === name)?.help;
    };
    expect(help('ldap', 'sync.userFilter')).toMatch(/^An LDAP filter, e\.g\. \(memberOf=/);
    expect(help('ldap', 'sync.userFilter')).toContain('start with include: or exclude:');
    expect(help('ldap', 'sync.groupFilter')).toContain('group names');
    expect(help('entra', 'sync.userFilter')).toContain('includeGroup:');
    expect(help('entra', 'sync.groupFilter')).toContain('includeAdministrativeUnit:');
    for (const directory of ['gsuite', 'okta']) {
      expect(help(directory, 'sync.userFilter')).toMatch(/then \| and/);
      expect(help(directory, 'sync.userFilter')).not.toContain('LDAP');
    }
  });

  it('sends only what changed, as text, and never an empty secret box', () => {
    const s = snapshot('ldap', {
      'ldap.hostname': 'old.example.com',
      'ldap.password': '[STORED SECURELY]',
      'sync.interval': 5,
    });
    expect(secretIsStored(s, 'ldap.password')).toBe(true);
    const v = initialValues(s);
    expect(v['ldap.password']).toBe('');
    expect(changesBetween(s, v)).toEqual([]);
    const edited = {
      ...v,
      'ldap.hostname': 'dc1.example.com',
      'ldap.ad': false,
      'sync.interval': '',
      'ldap.port': '636',
    };
    expect(changesBetween(s, edited)).toEqual([
      { name: 'ldap.hostname', value: 'dc1.example.com' },
      { name: 'ldap.port', value: '636' },
      { name: 'ldap.ad', value: 'false' },
      { name: 'sync.interval', value: null },
    ]);
    expect(changesBetween(s, { ...v, 'ldap.password': 'new-secret' })).toEqual([
      { name: 'ldap.password', value: 'new-secret' },
    ]);
  });

  it('puts the directory change first', () => {
    const s = snapshot(null);
    expect(
      changesBetween(s, {
        ...initialValues(s),
        directory: 'okta',
        'okta.orgUrl': 'https://x.okta.com',
      }),
    ).toEqual([
      { name: 'directory', value: 'okta' },
      { name: 'okta.orgUrl', value: 'https://x.okta.com' },
    ]);
  });

  it('asks for the secret again when the server or account changes', () => {
    const s = snapshot('ldap', {
      'ldap.hostname': 'a.example.com',
      'ldap.password': '[STORED SECURELY]',
    });
    const v = initialValues(s);
    expect(secretNeedingReentry(s, v)).toBeUndefined();
    expect(secretNeedingReentry(s, { ...v, 'ldap.port': '636' })).toBeUndefined();
    expect(secretNeedingReentry(s, { ...v, 'ldap.hostname': 'b.example.com' })).toBe(
      'ldap.password',
    );
    expect(
      secretNeedingReentry(s, { ...v, 'ldap.hostname': 'b.example.com', 'ldap.password': 'typed' }),
    ).toBeUndefined();
    const fresh = snapshot('ldap');
    expect(
      secretNeedingReentry(fresh, { ...initialValues(fresh), 'ldap.hostname': 'b' }),
    ).toBeUndefined();
  });
});
