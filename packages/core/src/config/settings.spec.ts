import { SETTING_DESCRIPTIONS } from './descriptions';
import {
  DIRECTORY_SECTIONS,
  GENERAL_SETTINGS,
  coerceSettingValue,
  findSetting,
  isSecretStoreKey,
  listSettings,
  secretLabel,
  suggestSetting,
} from './settings';

describe('settings catalogue', () => {
  it('describes every setting in one short line, and nothing else', () => {
    const all = [...GENERAL_SETTINGS, ...listSettings()];
    for (const setting of all) {
      expect(setting.description).toMatch(/^\S.{8,}$/);
      // One line of `bwdc config --help` at 80 columns: 26 for the name, 50 for this.
      expect(setting.description.length).toBeLessThanOrEqual(50);
    }
    expect(Object.keys(SETTING_DESCRIPTIONS).sort()).toEqual(all.map((s) => s.name).sort());
  });

  it.each([
    ['ldap.hostnme', 'ldap.hostname'],
    ['LDAP.HOSTNAME2', 'ldap.hostname'],
    ['sync.userfilter2', 'sync.userFilter'],
    ['sync.groupObjectClas', 'sync.groupObjectClass'],
    ['servr', 'server'],
    ['directroy', 'directory'],
  ])('suggests %s -> %s', (typed, meant) => {
    expect(suggestSetting(typed)).toBe(meant);
  });

  it.each([
    ['secretLdap:7d547813-1d0f-422b-8826-04cdbf04ef5e', 'ldap.password'],
    ['secretAzure:x', 'entra.key'],
    ['secretGsuite:x', 'gsuite.key'],
    ['apiKeyClientSecret', 'the organization API key (client_secret)'],
    ['accessToken', 'the Bitwarden access token'],
    ['bwdc-availability-check', 'a secret'],
  ])('names the secret-store account %s as %s', (key, label) => {
    expect(secretLabel(key)).toBe(label);
  });

  it('suggests nothing for a word that is no slip of a setting', () => {
    expect(suggestSetting('colour')).toBeUndefined();
    expect(suggestSetting('ldap.something')).toBeUndefined();
  });

  it('lists every field of every section with its kind', () => {
    const byName = Object.fromEntries(listSettings().map((s) => [s.name, s]));
    expect(byName['ldap.port']).toMatchObject({ kind: 'number', secret: false });
    expect(byName['ldap.ssl']).toMatchObject({ kind: 'boolean' });
    expect(byName['ldap.hostname']).toMatchObject({ kind: 'text' });
    expect(byName['onelogin.region']).toMatchObject({ kind: 'choice', choices: ['us', 'eu'] });
    expect(byName['sync.interval']).toMatchObject({ kind: 'number' });
    expect(byName['okta.orgUrl']).toMatchObject({ kind: 'text' });
    expect(byName['ldap.id']).toBeUndefined();
  });

  it('marks exactly the directory secrets', () => {
    expect(
      listSettings()
        .filter((s) => s.secret)
        .map((s) => s.name)
        .sort(),
    ).toEqual([
      'entra.key',
      'gsuite.privateKey',
      'ldap.password',
      'okta.token',
      'onelogin.clientSecret',
    ]);
  });

  it.each([
    ['LDAP.HostName', 'ldap.hostname'],
    ['ldap.sslcapath', 'ldap.sslCaPath'],
    ['azure.key', 'entra.key'],
    ['AZURE.key', 'entra.key'],
    ['Google.AdminUser', 'gsuite.adminUser'],
    ['azure.applicationId', 'entra.applicationId'],
    ['gsuite.key', 'gsuite.privateKey'],
    ['onelogin.secret', 'onelogin.clientSecret'],
    ['sync.removeMissingUsers', 'sync.removeMissingUsers'],
  ])('finds %p as %p', (typed, canonical) => {
    expect(findSetting(typed)?.name).toBe(canonical);
  });

  it.each(['no.such', 'ldap.nosuch', 'server', 'ldap.id'])('finds nothing for %p', (typed) => {
    expect(findSetting(typed)).toBeUndefined();
  });

  it('coerces typed text to the setting’s kind, leaving bad text for validation to reject', () => {
    expect(coerceSettingValue(findSetting('ldap.ssl')!, 'TRUE')).toBe(true);
    expect(coerceSettingValue(findSetting('ldap.ssl')!, 'sure')).toBe('sure');
    expect(coerceSettingValue(findSetting('ldap.port')!, '636')).toBe(636);
    expect(coerceSettingValue(findSetting('ldap.port')!, 'x')).toBe('x');
    expect(coerceSettingValue(findSetting('ldap.hostname')!, '')).toBeNull();
    expect(coerceSettingValue(findSetting('ldap.hostname')!, 'null')).toBeNull();
    expect(coerceSettingValue(findSetting('onelogin.region')!, 'EU')).toBe('eu');
  });

  // The official connector's secret-storage-key util (ldapConfigsShareIdentity and siblings).
  it('names the identity fields the official connector keys a configuration id on', () => {
    expect(
      Object.fromEntries(
        Object.entries(DIRECTORY_SECTIONS).map(([section, info]) => [section, info.identityFields]),
      ),
    ).toEqual({
      ldap: ['hostname', 'domain', 'username'],
      entra: ['tenant', 'applicationId'],
      gsuite: ['clientEmail', 'domain', 'customer'],
      okta: ['orgUrl'],
      onelogin: ['clientId', 'region'],
      file: [],
    });
    expect(
      listSettings()
        .filter((s) => s.identity)
        .map((s) => s.name)
        .sort(),
    ).toEqual(
      Object.entries(DIRECTORY_SECTIONS)
        .flatMap(([section, info]) => info.identityFields.map((f) => `${section}.${f}`))
        .sort(),
    );
  });

  it("keeps each directory secret under the official connector's account name", () => {
    expect(
      Object.fromEntries(
        Object.entries(DIRECTORY_SECTIONS).map(([section, info]) => [section, info.secret]),
      ),
    ).toEqual({
      ldap: {
        field: 'password',
        storeKey: 'secretLdap',
        formerStoreKeys: [],
        cliName: 'ldap.password',
      },
      entra: {
        field: 'key',
        storeKey: 'secretEntra',
        formerStoreKeys: ['secretAzure'],
        cliName: 'entra.key',
      },
      gsuite: {
        field: 'privateKey',
        storeKey: 'secretGsuite',
        formerStoreKeys: [],
        cliName: 'gsuite.key',
      },
      okta: { field: 'token', storeKey: 'secretOkta', formerStoreKeys: [], cliName: 'okta.token' },
      onelogin: {
        field: 'clientSecret',
        storeKey: 'secretOneLogin',
        formerStoreKeys: [],
        cliName: 'onelogin.secret',
      },
      file: undefined,
    });
  });

  it('knows the official secret-store accounts, scoped or not, and nothing else', () => {
    for (const key of [
      'apiKeyClientId',
      'apiKeyClientSecret',
      'accessToken',
      'refreshToken',
      'twoFactorToken',
      'secretLdap',
      'secretLdap:0f8e2a51',
      'secretAzure:1',
      'secretOneLogin',
    ])
      expect(isSecretStoreKey(key)).toBe(true);
    for (const key of ['directoryLdap', 'secretldap', 'lastSyncHash', 'secret', 'password'])
      expect(isSecretStoreKey(key)).toBe(false);
  });
});
