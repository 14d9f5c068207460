import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startBitwardenEmulator, type BitwardenEmulator } from '@bwdc/emulator-bitwarden';
import { NOT_LOGGED_IN, assertBuilt, runBwdc, tempDataDir } from './testing/run-bwdc';
import { startSecretService, type SecretServiceSession } from './testing/secret-service';

// Login state as the official CLI keeps it: logged in means a stored access token; `logout`
// clears the API key and the tokens and nothing else; `login` after `logout` works whatever the
// environment holds. In each secret mode: plaintext (data.json), the OS keychain (a real Secret
// Service) and none (the API key in the environment only).

let bw: BitwardenEmulator;
let dataDir: string;
const doc = () => JSON.parse(readFileSync(join(dataDir, 'data.json'), 'utf8'));

beforeAll(() => assertBuilt());

beforeEach(async () => {
  bw = await startBitwardenEmulator({ seats: null });
  dataDir = tempDataDir('bwdc-login-');
  writeFileSync(join(dataDir, 'people.csv'), 'email,id\nann@example.com,A1\n');
});

afterEach(async () => {
  await bw.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function configure(env: Record<string, string>): Promise<void> {
  for (const [setting, value] of [
    ['server', bw.url],
    ['directory', 'file'],
    ['file.path', join(dataDir, 'people.csv')],
    ['sync.users', 'true'],
  ])
    expect((await runBwdc(['config', setting!, value!], env)).code).toBe(0);
}

const apiKeyEnv = () => ({ BW_CLIENTID: bw.clientId, BW_CLIENTSECRET: bw.clientSecret });
const LOGGED_IN = { code: 0, stdout: 'You are logged in!\n' };
const LOGGED_OUT = { code: 0, stdout: 'You have logged out.\n' };

describe('plaintext mode', () => {
  const env = () => ({
    BITWARDENCLI_CONNECTOR_APPDATA_DIR: dataDir,
    BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true',
  });

  it('keeps what the official connector reads; logout keeps the organization and its sync times', async () => {
    await configure(env());
    expect(await runBwdc(['login', bw.clientId, bw.clientSecret], env())).toMatchObject(LOGGED_IN);
    // Where the official connector reads them in plaintext mode: the login at the top level (an
    // access token the server issued), a directory secret in its section.
    expect(doc()).toMatchObject({
      organizationId: bw.organizationId,
      entityId: bw.organizationId,
      apiKeyClientId: bw.clientId,
      apiKeyClientSecret: bw.clientSecret,
    });
    expect(doc().accessToken.split('.')).toHaveLength(3);
    await runBwdc(['config', 'ldap.password', 'ldap-pw'], env());
    expect(doc().directoryLdap.password).toBe('ldap-pw');
    expect((await runBwdc(['sync'], env())).code).toBe(0);
    const lastUserSync = doc().lastUserSync;
    expect(lastUserSync).toBeDefined();

    // A script with the API key in its environment throughout.
    const withKey = { ...env(), ...apiKeyEnv() };
    expect(await runBwdc(['logout'], withKey)).toMatchObject(LOGGED_OUT);
    const out = doc();
    for (const key of ['accessToken', 'refreshToken', 'apiKeyClientId', 'apiKeyClientSecret'])
      expect(out).not.toHaveProperty(key);
    expect(out).toMatchObject({
      organizationId: bw.organizationId,
      entityId: bw.organizationId,
      lastUserSync,
    });
    expect(await runBwdc(['test'], withKey)).toMatchObject({
      code: 1,
      stderr: NOT_LOGGED_IN,
    });
    expect(await runBwdc(['login'], withKey)).toMatchObject(LOGGED_IN);
    // The same organization: its last sync times (and cursors) were kept.
    expect(await runBwdc(['last-sync', 'users'], env())).toMatchObject({
      code: 0,
      stdout: `${lastUserSync}\n`,
    });
  }, 60_000);
});

describe('OS keychain (a real Secret Service)', () => {
  let keychain: SecretServiceSession;
  const env = () => ({ BITWARDENCLI_CONNECTOR_APPDATA_DIR: dataDir, ...keychain.env });
  beforeEach(async () => (keychain = await startSecretService()));
  afterEach(async () => keychain.stop());

  it('stores the login under the official names, clears it on logout, and logs in again from the environment', async () => {
    await configure(env());
    expect(await runBwdc(['login', bw.clientId, bw.clientSecret], env())).toMatchObject(LOGGED_IN);
    expect(await keychain.get('apiKeyClientId')).toBe(bw.clientId);
    expect(await keychain.get('apiKeyClientSecret')).toBe(bw.clientSecret);
    expect((await keychain.get('accessToken'))!.split('.')).toHaveLength(3);
    const text = readFileSync(join(dataDir, 'data.json'), 'utf8');
    expect(text).not.toContain(bw.clientSecret);
    expect(text).not.toContain('accessToken');

    expect(await runBwdc(['logout'], { ...env(), ...apiKeyEnv() })).toMatchObject(LOGGED_OUT);
    for (const account of ['accessToken', 'apiKeyClientId', 'apiKeyClientSecret'])
      expect(await keychain.get(account)).toBeNull();
    expect(doc().organizationId).toBe(bw.organizationId);
    expect(await runBwdc(['login'], { ...env(), ...apiKeyEnv() })).toMatchObject(LOGGED_IN);
    expect((await runBwdc(['test'], env())).code).toBe(0);
  }, 60_000);

  it("removes a directory secret from the keychain when the account's server changes", async () => {
    await runBwdc(['config', 'ldap.hostname', 'dc1.example.com'], env());
    await runBwdc(['config', 'ldap.password', 'ldap-pw'], env());
    const id = doc().directoryLdap.id as string;
    expect(await keychain.get(`secretLdap:${id}`)).toBe('ldap-pw');
    const changed = await runBwdc(['config', 'ldap.hostname', 'dc2.example.com'], env());
    expect(changed.stderr).toContain('ldap.password was cleared because ldap.hostname changed');
    expect(await keychain.get(`secretLdap:${id}`)).toBeNull();
    expect(await runBwdc(['config', 'ldap.password'], env())).toMatchObject({ stdout: '' });
  }, 60_000);
});

describe('no keychain, the API key in the environment', () => {
  const env = () => ({
    BITWARDENCLI_CONNECTOR_APPDATA_DIR: dataDir,
    // A session bus that is not there: no keychain can answer.
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dataDir, 'no-bus')}`,
    ...apiKeyEnv(),
  });

  it('is logged in by login, out by logout, and in again by login', async () => {
    await configure(env());
    expect(await runBwdc(['login'], env())).toMatchObject(LOGGED_IN);
    expect((await runBwdc(['test'], env())).code).toBe(0);
    expect(await runBwdc(['logout'], env())).toMatchObject(LOGGED_OUT);
    expect(await runBwdc(['test'], env())).toMatchObject({
      code: 1,
      stderr: NOT_LOGGED_IN,
    });
    expect(await runBwdc(['login'], env())).toMatchObject(LOGGED_IN);
    expect((await runBwdc(['test'], env())).code).toBe(0);
  }, 60_000);
});
