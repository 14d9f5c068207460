import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, DirectoryType, SecretRedactor } from '@bwdc/core';
import { InMemorySecretStore } from '@bwdc/secure-storage';
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

  it('refuses unknown settings with the official message', async () => {
    await expect(config.set('no.such', 'x')).rejects.toEqual(new UnknownSettingError('no.such'));
    await expect(config.get('ldap.nope')).rejects.toThrow('Unknown setting.');
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

  it('applies the Active Directory defaults when LDAP with ad is the directory', async () => {
    await config.set('directory', 'ldap');
    await config.set('sync.userObjectClass', 'inetOrgPerson');
    expect((await config.get('sync.userObjectClass')).value).toBe('person');
    await config.set('ldap.ad', 'false');
    await config.set('sync.userObjectClass', 'inetOrgPerson');
    expect((await config.get('sync.userObjectClass')).value).toBe('inetOrgPerson');
  });

  it('sets the server: cloud names clear it, a URL is validated and normalized', async () => {
    await config.set('server', 'https://vault.example.com/');
    expect((await config.get('server')).value).toBe('https://vault.example.com');
    await expect(config.set('server', 'http://vault.example.com')).rejects.toThrow(/https/);
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
    await expect(config.set('server.api', 'http://api.example.com')).rejects.toThrow(/https/);
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
