import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, DirectoryType, SecretRedactor } from '@bwdc/core';
import { InMemorySecretStore, SecretStoreUnavailableError } from '@bwdc/secure-storage';
import { StateStore } from '@bwdc/state';
import { ConfigService } from './config-service';
import { UnknownSettingError } from './errors';

describe('ConfigService (real data.json in a temp folder)', () => {
  let dir: string;
  let state: StateStore;
  let secrets: InMemorySecretStore;
  let config: ConfigService;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bwdc-config-'));
    state = StateStore.open(dir);
    secrets = new InMemorySecretStore();
    config = new ConfigService(state, secrets, new SecretRedactor());
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = () => readFileSync(join(dir, 'data.json'), 'utf8');

  it('stores settings under the official key names and reads them back', async () => {
    await config.set('ldap.hostname', 'dc1.example.com');
    await config.set('LDAP.PORT', '636');
    await config.set('sync.users', 'true');
    const doc = JSON.parse(file()) as {
      directoryLdap: Record<string, unknown>;
      sync: Record<string, unknown>;
    };
    expect(doc.directoryLdap).toMatchObject({ hostname: 'dc1.example.com', port: 636 });
    expect(doc.sync).toMatchObject({ users: true });
    expect((await config.get('ldap.port')).value).toBe(636);
  });

  it('refuses an invalid value naming the setting, and writes nothing', async () => {
    await config.set('ldap.port', '389');
    const before = file();
    await expect(config.set('ldap.port', 'eighty')).rejects.toBeInstanceOf(ConfigValidationError);
    await expect(config.set('sync.maxRemovalShare', '3')).rejects.toThrow(
      'sync.maxRemovalShare: must be at most 1',
    );
    expect(file()).toBe(before);
  });

  it('refuses unknown settings with the official message, then a suggestion', async () => {
    await expect(config.set('no.such', 'x')).rejects.toEqual(new UnknownSettingError('no.such'));
    await expect(config.get('ldap.nope')).rejects.toThrow('Unknown setting.');
    const error = await config.set('ldap.hostnme', 'dc1').catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: 'Unknown setting.',
      actions: [
        'Did you mean ldap.hostname? bwdc config ldap.hostname <value>',
        '"ldap.hostnme" is not a setting: bwdc config --help lists every setting with what it does.',
      ],
    });
    await expect(config.set('directory', 'ldapp')).rejects.toMatchObject({
      message: 'Invalid directory type value.',
      actions: [
        expect.stringContaining('Did you mean ldap? bwdc config directory ldap'),
        expect.any(String),
      ],
    });
  });

  describe('checks a value when it is set, with the words a run would use', () => {
    it('refuses a file that does not exist, is a folder or cannot be read', async () => {
      await config.set('ldap.hostname', 'dc1');
      const before = file();
      await expect(config.set('ldap.sslCaPath', join(dir, 'missing.pem'))).rejects.toThrow(
        `ldap.sslCaPath: cannot read ${join(dir, 'missing.pem')}: there is no such file. Give the full path of the file: bwdc config ldap.sslCaPath <path>`,
      );
      await expect(config.set('file.path', dir)).rejects.toThrow(
        `file.path: cannot read ${dir}: it is a folder, not a file.`,
      );
      expect(file()).toBe(before);
      const ca = join(dir, 'ca.pem');
      writeFileSync(ca, 'PEM');
      await config.set('ldap.sslCaPath', ca);
      expect((await config.get('ldap.sslCaPath')).value).toBe(ca);
      await config.set('ldap.sslCaPath', '');
      expect((await config.get('ldap.sslCaPath')).value).toBeNull();
    });

    it('refuses a malformed LDAP filter once the directory is LDAP, as the LDAP read would', async () => {
      // Before a directory is chosen there is no syntax to read it by.
      await config.set('sync.userFilter', '(&(mail=*)');
      await config.set('directory', 'ldap');
      await expect(config.set('sync.userFilter', '(&(mail=*)')).rejects.toThrow(
        'sync.userFilter: "(&(mail=*)" is not a valid LDAP filter: the "(" at position 1 is never closed.',
      );
      await expect(config.set('sync.groupFilter', 'includ:staff')).rejects.toThrow(
        'sync.groupFilter: "includ:staff" is not a valid LDAP filter',
      );
      await config.set('sync.userFilter', '(|(mail=*@example.com)(department=IT))');
      await config.set('sync.groupFilter', 'include:staff,sales');
      expect((await config.get('sync.groupFilter')).value).toBe('include:staff,sales');
    });

    it('refuses a malformed clause for the cloud directories, and Entra keywords off Entra', async () => {
      await config.set('directory', 'okta');
      await expect(config.set('sync.userFilter', 'includ:a@example.com')).rejects.toThrow(
        'Invalid filter "includ:a@example.com" in sync.userFilter: unknown keyword "includ"; use one of include, exclude',
      );
      await expect(config.set('sync.userFilter', 'includeGroup:abc')).rejects.toThrow(
        'unknown keyword "includeGroup"',
      );
      await config.set('directory', 'entra');
      await config.set('sync.userFilter', 'includeGroup:abc');
      await expect(config.set('sync.userFilter', 'include:a@example.com|bogus:x')).rejects.toThrow(
        'Invalid filter "include:a@example.com|bogus:x" in sync.userFilter: unknown keyword "bogus"',
      );
    });

    it('refuses a schedule interval under 5 minutes instead of raising it unseen', async () => {
      await expect(config.set('sync.interval', '2')).rejects.toThrow(
        'sync.interval: must be at least 5 (minutes), or 0 to turn the schedule off.',
      );
      await config.set('sync.interval', '15');
      expect((await config.get('sync.interval')).value).toBe(15);
      await config.set('sync.interval', '0');
      expect((await config.get('sync.interval')).value).toBeNull();
    });
  });

  it('keeps a secret out of data.json, scoped to the configuration id, and masks it', async () => {
    await config.set('ldap.hostname', 'dc1');
    await config.set('ldap.password', 'hunter2-secret');
    const doc = JSON.parse(file()) as { directoryLdap: { id: string; password: string } };
    expect(file()).not.toContain('hunter2-secret');
    expect(doc.directoryLdap.password).toBe('[STORED SECURELY]');
    expect(await secrets.get(`secretLdap:${doc.directoryLdap.id}`)).toBe('hunter2-secret');
    expect(await config.get('ldap.password')).toEqual({
      name: 'ldap.password',
      value: '[STORED SECURELY]',
      secret: true,
    });
    expect((await config.list()).find((s) => s.name === 'ldap.password')!.value).toBe(
      '[STORED SECURELY]',
    );
  });

  it('gives the configuration a new id when the server changes, so an old secret is not sent to a new host', async () => {
    await config.set('ldap.hostname', 'dc1');
    const first = (JSON.parse(file()) as { directoryLdap: { id: string } }).directoryLdap.id;
    await config.set('ldap.port', '636');
    expect((JSON.parse(file()) as { directoryLdap: { id: string } }).directoryLdap.id).toBe(first);
    await config.set('ldap.hostname', 'evil.example.com');
    expect((JSON.parse(file()) as { directoryLdap: { id: string } }).directoryLdap.id).not.toBe(
      first,
    );
  });

  it.each([
    ['ldap', 'hostname', 'dc2', 'ldap.password'],
    ['ldap', 'username', 'cn=other', 'ldap.password'],
    ['ldap', 'domain', 'other.example.com', 'ldap.password'],
    ['entra', 'tenant', 'fabrikam', 'entra.key'],
    ['entra', 'applicationId', 'app-2', 'entra.key'],
    ['gsuite', 'clientEmail', 'other@x.iam.gserviceaccount.com', 'gsuite.privateKey'],
    ['gsuite', 'customer', 'C02', 'gsuite.privateKey'],
    ['okta', 'orgUrl', 'https://other.okta.com', 'okta.token'],
    ['onelogin', 'clientId', 'client-2', 'onelogin.clientSecret'],
    ['onelogin', 'region', 'eu', 'onelogin.clientSecret'],
  ])(
    'clears the %s secret when %s changes, says so, and lists it as not set',
    async (section, field, value, secretName) => {
      await config.set(secretName, 'the-old-secret');
      const before = JSON.parse(file())[`directory${section[0]!.toUpperCase()}${section.slice(1)}`];
      const result = await config.set(`${section}.${field}`, value);
      expect(result.clearedSecrets).toEqual([
        { setting: secretName, because: `${section}.${field}` },
      ]);
      expect(result.notices[0]).toContain(
        `${secretName} was cleared because ${section}.${field} changed`,
      );
      expect(await config.get(secretName)).toEqual({
        name: secretName,
        value: null,
        secret: true,
        note: `cleared when ${section}.${field} changed`,
      });
      // The old secret is gone from the store, under its old id and the unscoped key.
      expect(secrets.keys()).toEqual([]);
      expect(before.id).toBeDefined();
      // Setting it again forgets the note.
      await config.set(secretName, 'new-secret');
      expect((await config.get(secretName)).note).toBeUndefined();
    },
  );

  it('saves an identity change even when the secret store cannot delete the old secret', async () => {
    await config.set('okta.token', 'old-token');
    const unreachable = new ConfigService(
      state,
      {
        kind: 'keychain',
        get: async () => undefined,
        set: async () => {},
        delete: async () => {
          throw new SecretStoreUnavailableError('no-dbus-session', 'delete the secret');
        },
      },
      new SecretRedactor(),
    );
    const result = await unreachable.set('okta.orgUrl', 'https://other.okta.com');
    expect(result.clearedSecrets).toEqual([{ setting: 'okta.token', because: 'okta.orgUrl' }]);
    expect(result.notices[1]).toMatch(
      /^The old okta\.token stays in the secret store, unused: Cannot delete/,
    );
    expect((await config.get('okta.orgUrl')).value).toBe('https://other.okta.com');
  });

  it('keeps the secret when a field that is not part of the identity changes', async () => {
    await config.set('ldap.hostname', 'dc1');
    await config.set('ldap.password', 'pw');
    expect(await config.set('ldap.port', '636')).toEqual({ notices: [], clearedSecrets: [] });
    expect(await config.set('ldap.hostname', 'dc1')).toEqual({ notices: [], clearedSecrets: [] });
    expect((await config.get('ldap.password')).value).toBe('[STORED SECURELY]');
  });

  it('fills the Google client email and key from a service-account JSON key file', async () => {
    await config.set('gsuite.clientEmail', 'old@x.iam.gserviceaccount.com');
    await config.set('gsuite.key', 'old-key');
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEv\nabc\n-----END PRIVATE KEY-----\n';
    const result = await config.importGoogleKey(
      JSON.stringify({
        type: 'service_account',
        client_email: 'sa@p.iam.gserviceaccount.com',
        private_key: pem,
      }),
      'key.json',
    );
    expect(result).toEqual({ notices: [], clearedSecrets: [] });
    expect((await config.get('gsuite.clientEmail')).value).toBe('sa@p.iam.gserviceaccount.com');
    const id = (JSON.parse(file()) as { directoryGsuite: { id: string } }).directoryGsuite.id;
    expect(await secrets.get(`secretGsuite:${id}`)).toBe(pem);
    await expect(config.importGoogleKey('{"type":"authorized_user"}', 'key.json')).rejects.toThrow(
      /key\.json.*not a service account key/,
    );
  });

  describe('in plaintext mode', () => {
    beforeEach(() => {
      config = new ConfigService(state, secrets, new SecretRedactor(), { secretsInSections: true });
    });

    it('keeps a directory secret in its section, where the official connector reads it, masked in the list', async () => {
      await config.set('okta.orgUrl', 'https://example.okta.com');
      await config.set('okta.token', 'okta-plain-token');
      expect(JSON.parse(file()).directoryOkta.token).toBe('okta-plain-token');
      expect(secrets.keys()).toEqual([]);
      expect((await config.get('okta.token')).value).toBe('[STORED SECURELY]');
      const result = await config.set('okta.orgUrl', 'https://other.okta.com');
      expect(result.clearedSecrets).toEqual([{ setting: 'okta.token', because: 'okta.orgUrl' }]);
      expect(file()).not.toContain('okta-plain-token');
    });
  });

  it('turns literal \\n in a Google key into line breaks and trims its start', async () => {
    await config.set(
      'gsuite.key',
      '  -----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----',
    );
    const doc = JSON.parse(file()) as { directoryGsuite: { id: string } };
    expect(await secrets.get(`secretGsuite:${doc.directoryGsuite.id}`)).toBe(
      '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
    );
  });

  it('sets the directory by number or name, and refuses others with the official message', async () => {
    await config.set('directory', '3');
    expect((await state.read()).directoryType).toBe(DirectoryType.Okta);
    await config.set('directory', 'azure');
    expect((await config.get('directory')).value).toBe('entra');
    await expect(config.set('directory', '9')).rejects.toThrow('Invalid directory type value.');
  });

  // Changed on purpose (issue 15): the official connector overwrites these on every save with ad
  // on; bwdc stores only what the admin chose and applies the defaults when it reads.
  it('stores no LDAP class or attribute the admin did not choose, and keeps those they did', async () => {
    await config.set('directory', 'ldap');
    await config.set('ldap.ad', 'true');
    const sync = () => (JSON.parse(file()) as { sync?: Record<string, unknown> }).sync ?? {};
    for (const field of [
      'userObjectClass',
      'groupObjectClass',
      'userEmailAttribute',
      'groupNameAttribute',
      'memberAttribute',
      'revisionDateAttribute',
      'emailPrefixAttribute',
      'userPath',
      'groupPath',
    ]) {
      expect(sync()[field] ?? null).toBeNull();
    }
    await config.set('sync.userEmailAttribute', 'userPrincipalName');
    await config.set('ldap.hostname', 'dc1.example.com');
    await config.set('ldap.ad', 'false');
    expect((await config.get('sync.userEmailAttribute')).value).toBe('userPrincipalName');
    expect(sync().userObjectClass ?? null).toBeNull();
  });

  it('sets the server: cloud names clear it, a URL is validated and normalized', async () => {
    await config.set('server', 'https://vault.example.com/');
    expect((await config.get('server')).value).toBe('https://vault.example.com');
    // Plain http is accepted, as the official connector accepts it, and said to be plain http.
    const plain = await config.set('server', 'http://vault.example.com');
    expect((await config.get('server')).value).toBe('http://vault.example.com');
    expect(plain.notices).toEqual([
      expect.stringContaining('http://vault.example.com uses plain http://'),
    ]);
    expect(await config.standingWarnings()).toEqual(plain.notices);
    await expect(config.set('server', 'ftp://vault.example.com')).rejects.toThrow(/https/);
    // Without a scheme https:// is used, as upstream; now it says so and how to ask for http.
    expect((await config.set('server', 'vault.example.com')).notices).toEqual([
      'server: "vault.example.com" has no scheme, so https://vault.example.com is used. For a server on plain http, type it: bwdc config server http://vault.example.com',
    ]);
    expect((await config.get('server')).value).toBe('https://vault.example.com');
    expect((await config.set('server', 'https://vault.example.com')).notices).toEqual([]);
    await config.set('server', 'bitwarden.com');
    expect((await config.get('server')).value).toBeNull();
  });

  it('sets the separate API and identity URLs of a self-hosted server, validated', async () => {
    await config.set('server', 'https://vault.example.com');
    await config.set('server.api', 'https://api.example.com/');
    await config.set('SERVER.IDENTITY', 'https://id.example.com');
    expect((await state.read()).environmentUrls).toEqual({
      base: 'https://vault.example.com',
      api: 'https://api.example.com',
      identity: 'https://id.example.com',
    });
    expect((await config.get('server.api')).value).toBe('https://api.example.com');
    expect((await config.set('server.api', 'http://api.example.com')).notices).toEqual([
      expect.stringContaining('http://api.example.com uses plain http://'),
    ]);
    await expect(config.set('server.api', 'ftp://api.example.com')).rejects.toThrow(/https/);
    await config.set('server.api', '');
    expect((await state.read()).environmentUrls.api).toBeUndefined();
  });

  it('lists every setting with defaults filled in', async () => {
    const list = await config.list();
    const byName = Object.fromEntries(list.map((s) => [s.name, s.value]));
    expect(byName).toMatchObject({
      server: null,
      directory: null,
      'ldap.port': 389,
      'onelogin.region': 'us',
      'sync.removeMissingUsers': true,
    });
    expect(list.length).toBeGreaterThan(60);
  });
});
