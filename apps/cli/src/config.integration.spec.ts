import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startBitwardenEmulator, type BitwardenEmulator } from '@bwdc/emulator-bitwarden';
import { startGoogleEmulator } from '@bwdc/emulator-google';
import { assertBuilt, runBwdc, tempDataDir } from './testing/run-bwdc';

// `bwdc config` as an admin uses it: what a change does besides saving (a secret it clears, a
// plain-http server), and secrets given as files or values that start with "-".

let bw: BitwardenEmulator;
let dataDir: string;
let env: Record<string, string>;
const bwdc = (...args: string[]) => runBwdc(args, env);
const doc = () => JSON.parse(readFileSync(join(dataDir, 'data.json'), 'utf8'));

beforeAll(() => assertBuilt());

beforeEach(async () => {
  bw = await startBitwardenEmulator({ seats: null });
  dataDir = tempDataDir('bwdc-config-');
  env = {
    BITWARDENCLI_CONNECTOR_APPDATA_DIR: dataDir,
    BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true',
  };
});

afterEach(async () => {
  await bw.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a secret that belongs to a server or account', () => {
  it('is cleared when the hostname changes, and the command, the list and the next run say so', async () => {
    await bwdc('config', 'server', bw.url);
    await bwdc('config', 'directory', 'ldap');
    await bwdc('config', 'ldap.hostname', 'dc1.example.com');
    await bwdc('config', 'ldap.password', 'the-ldap-password');
    const fixed = await bwdc('config', 'ldap.hostname', 'dc2.example.com');
    expect(fixed).toMatchObject({ code: 0, stdout: 'Saved setting `ldap.hostname`.\n' });
    expect(fixed.stderr).toContain(
      'ldap.password was cleared because ldap.hostname changed: a secret saved for one server or account is never sent to another.',
    );
    expect(fixed.stderr).toContain('bwdc config ldap.password <value>');
    expect(doc().directoryLdap.password).toBeNull();
    expect(readFileSync(join(dataDir, 'data.json'), 'utf8')).not.toContain('the-ldap-password');

    const list = await bwdc('config', 'list');
    expect(list.stdout).toMatch(/^ldap\.password\s+\(cleared when ldap\.hostname changed\)$/m);
    expect(list.stdout).not.toMatch(/^ldap\.password.*STORED SECURELY/m);

    await bwdc('login', bw.clientId, bw.clientSecret);
    expect(await bwdc('test')).toMatchObject({
      code: 1,
      stderr:
        'ldap.password is not set: it was cleared when ldap.hostname changed, because a secret saved for one server or account is never sent to another.\n' +
        // The error's action, now printed in text mode too (issue 18).
        'Set it again: bwdc config ldap.password <value>\n',
    });
  }, 60_000);
});

describe('a self-hosted server on plain http://', () => {
  // An address that is this machine but not one bwdc treats as loopback, so the traffic stays
  // here while bwdc sees a server elsewhere on the network.
  const remote = () => bw.url.replace('127.0.0.1', '[::ffff:127.0.0.1]');

  it('is accepted as upstream accepts it, with a warning when set and on every run', async () => {
    const set = await bwdc('config', 'server', remote());
    expect(set).toMatchObject({ code: 0, stdout: 'Saved setting `server`.\n' });
    expect(set.stderr).toMatch(
      /The Bitwarden server http:\/\/\[::ffff:7f00:1\]:\d+ uses plain http:\/\//,
    );
    expect(doc().environmentUrls.base).toBe(
      remote().replace('[::ffff:127.0.0.1]', '[::ffff:7f00:1]'),
    );
    // https stays the default when no scheme is given.
    const bare = await bwdc('config', 'server', 'bw.example.com');
    // ...and says so, with how to ask for http (issue 18: it used to end in a TLS error at login).
    expect(bare.stderr).toBe(
      'server: "bw.example.com" has no scheme, so https://bw.example.com is used. For a server on plain http, type it: bwdc config server http://bw.example.com\n',
    );
    expect(doc().environmentUrls.base).toBe('https://bw.example.com');
    await bwdc('config', 'server', remote());

    writeFileSync(join(dataDir, 'people.csv'), 'email,id\nann@example.com,A1\n');
    await bwdc('config', 'directory', 'file');
    await bwdc('config', 'file.path', join(dataDir, 'people.csv'));
    await bwdc('config', 'sync.users', 'true');
    expect((await bwdc('login', bw.clientId, bw.clientSecret)).code).toBe(0);
    for (const command of ['test', 'sync']) {
      const run = await bwdc(command);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('uses plain http://');
    }
    expect(bw.org.member('ann@example.com')).toBeDefined();
  }, 60_000);
});

describe('a private key', () => {
  const pem =
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEF\n-----END PRIVATE KEY-----\n';

  it('given as a value that starts with "-" gets a hint to use --, which works', async () => {
    const refused = await bwdc('config', 'gsuite.key', pem);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('bwdc config gsuite.key -- "<value>"');
    expect(refused.stderr).toContain('--secretfile');
    expect(refused.stdout + refused.stderr).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEF');

    expect(await bwdc('config', 'gsuite.key', '--', pem)).toMatchObject({
      code: 0,
      stdout: 'Saved setting `gsuite.key`.\n',
    });
    expect(doc().directoryGsuite.privateKey).toBe(pem);
  });

  it("from a Google service account's JSON key file fills the client email and the key", async () => {
    const google = await startGoogleEmulator();
    try {
      const file = join(dataDir, 'service-account.json');
      writeFileSync(file, google.keyFileJson());
      expect(await bwdc('config', 'gsuite.key', '--secretfile', file)).toMatchObject({
        code: 0,
        stdout: 'Saved setting `gsuite.key`.\n',
      });
      expect(doc().directoryGsuite).toMatchObject({
        clientEmail: google.serviceAccount.clientEmail,
        privateKey: google.serviceAccount.privateKey,
      });
    } finally {
      await google.stop();
    }
  });
});
