import { createServer, type Server } from 'node:http';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GENERAL_SETTINGS, listSettings } from '@bwdc/core';
import { startBitwardenEmulator, type BitwardenEmulator } from '@bwdc/emulator-bitwarden';
import { NOT_LOGGED_IN, assertBuilt, runBwdc, spawnBwdc, tempDataDir } from './testing/run-bwdc';

// The built `bwdc` binary as a user runs it, against the Bitwarden emulator, with a directory
// file as the source (LDAP and AD end-to-end runs live in ldap.integration.spec.ts).

function directoryCsv(users: number, options: { skip?: number[]; group?: string } = {}): string {
  const rows = ['email,id,groups'];
  for (let i = 1; i <= users; i++) {
    if (options.skip?.includes(i)) continue;
    rows.push(`user${i}@example.com,U${i},${options.group ?? 'Staff'}`);
  }
  return `${rows.join('\n')}\n`;
}

let emulator: BitwardenEmulator;
let dataDir: string;
let directoryFile: string;
let env: Record<string, string>;

const bwdc = (...args: string[]) => runBwdc(args, env);
const imports = () =>
  emulator.requests.filter((r) => r.path.endsWith('/public/organization/import')).length;

beforeAll(() => assertBuilt());

beforeEach(async () => {
  emulator = await startBitwardenEmulator({ seats: null });
  dataDir = tempDataDir();
  directoryFile = join(dataDir, 'directory.csv');
  writeFileSync(directoryFile, directoryCsv(12));
  env = {
    BITWARDENCLI_CONNECTOR_APPDATA_DIR: dataDir,
    BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true',
  };
});

afterEach(async () => {
  await emulator.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function configure(): Promise<void> {
  for (const [setting, value] of [
    ['server', emulator.url],
    ['directory', 'file'],
    ['file.path', directoryFile],
    ['sync.users', 'true'],
    ['sync.groups', 'true'],
  ]) {
    const result = await bwdc('config', setting!, value!);
    expect(result).toMatchObject({ code: 0, stdout: `Saved setting \`${setting}\`.\n` });
  }
  expect(await bwdc('login', emulator.clientId, emulator.clientSecret)).toMatchObject({
    code: 0,
    stdout: 'You are logged in!\n',
  });
}

describe('bwdc basics', () => {
  it('prints the bare version and the help', async () => {
    const version = await bwdc('--version');
    expect(version).toMatchObject({
      code: 0,
      stdout: `${JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version}\n`,
    });
    const help = await bwdc('--help');
    expect(help.code).toBe(0);
    for (const command of [
      'login',
      'logout',
      'test',
      'sync',
      'last-sync',
      'config',
      'data-file',
      'clear-cache',
      'update',
    ]) {
      expect(help.stdout).toContain(command);
    }
  });

  it('answers an unknown command as the official CLI does, with exit 1', async () => {
    expect(await bwdc('frobnicate')).toMatchObject({
      code: 1,
      stderr: 'Invalid command: frobnicate\nSee --help for a list of available commands.\n',
    });
  });

  it('prints the data file path', async () => {
    expect(await bwdc('data-file')).toMatchObject({
      code: 0,
      stdout: `${join(dataDir, 'data.json')}\n`,
    });
  });

  it('refuses an unknown setting: message, --response JSON and --cleanexit', async () => {
    // The official first line, for scripts; then what to do (issue 18).
    expect(await bwdc('config', 'no.such', 'x')).toMatchObject({
      code: 1,
      stdout: '',
      stderr:
        'Unknown setting.\n"no.such" is not a setting: bwdc config --help lists every setting with what it does.\n',
    });
    expect((await bwdc('config', 'ldap.hostnme', 'x')).stderr).toBe(
      'Unknown setting.\nDid you mean ldap.hostname? bwdc config ldap.hostname <value>\n' +
        '"ldap.hostnme" is not a setting: bwdc config --help lists every setting with what it does.\n',
    );
    expect(await bwdc('config', 'no.such', 'x', '--response')).toMatchObject({
      code: 1,
      stdout: '{"success":false,"message":"Unknown setting."}\n',
    });
    expect((await bwdc('--cleanexit', 'config', 'no.such', 'x')).code).toBe(0);
    expect(await runBwdc(['config', 'no.such', 'x'], { ...env, BW_QUIET: 'true' })).toMatchObject({
      code: 1,
      stdout: '',
      stderr: '',
    });
  });

  it('lists every setting with a one-line description in config --help', async () => {
    const help = (await bwdc('config', '--help')).stdout;
    for (const setting of [...GENERAL_SETTINGS, ...listSettings()])
      expect(help).toContain(`${setting.name.padEnd(26)}  ${setting.description}\n`);
  });

  it("checks a filter when it is set, by the directory's syntax, with the words a run uses", async () => {
    await bwdc('config', 'directory', 'file');
    const refused = await bwdc('config', 'sync.userFilter', 'includ:a@example.com');
    expect(refused).toMatchObject({
      code: 1,
      stderr:
        'Invalid filter "includ:a@example.com" in sync.userFilter: unknown keyword "includ"; use one of include, exclude\n' +
        'Correct it: bwdc config sync.userFilter "<filter>" (an empty value removes it).\n',
    });
    expect(await bwdc('config', 'sync.userFilter')).toMatchObject({ code: 0, stdout: '' });
    const missing = await bwdc('config', 'file.path', '/nonexistent/users.csv');
    expect(missing.stderr).toBe(
      'file.path: cannot read /nonexistent/users.csv: there is no such file. Give the full path of the file: bwdc config file.path <path>\n',
    );
  });

  it('validates a value and names the setting, writing nothing', async () => {
    const result = await bwdc('config', 'ldap.port', '70000');
    expect(result).toMatchObject({ code: 1, stderr: 'ldap.port: must be at most 65535\n' });
    expect(await bwdc('config', 'ldap.port')).toMatchObject({ code: 0, stdout: '389\n' });
  });

  it('sets any setting case-insensitively, reads it back, and lists all with secrets masked', async () => {
    expect((await bwdc('config', 'LDAP.HostName', 'dc1.example.com')).code).toBe(0);
    expect((await bwdc('config', 'azure.tenant', 'contoso')).code).toBe(0);
    expect((await bwdc('config', 'okta.token', 'okta-very-secret-token')).code).toBe(0);
    expect(await bwdc('config', 'ldap.hostname')).toMatchObject({ stdout: 'dc1.example.com\n' });
    expect(await bwdc('config', 'entra.tenant')).toMatchObject({ stdout: 'contoso\n' });
    const list = await bwdc('config', 'list', '--json');
    expect(list.code).toBe(0);
    const settings = JSON.parse(list.stdout) as { data: { name: string; value: unknown }[] };
    const byName = Object.fromEntries(settings.data.map((s) => [s.name, s.value]));
    expect(byName['okta.token']).toBe('[STORED SECURELY]');
    expect(byName['ldap.port']).toBe(389);
    expect(byName['sync.removeMissingUsers']).toBe(true);
    expect(list.stdout).not.toContain('okta-very-secret-token');
  });

  it('says in config list when leavers would keep their access', async () => {
    expect((await bwdc('config', 'list')).stderr).toBe('');
    await bwdc('config', 'sync.removeMissingUsers', 'false');
    const list = await bwdc('config', 'list');
    expect(list.stdout).toMatch(/^sync\.removeMissingUsers\s+false$/m);
    expect(list.stderr).toContain('bwdc config sync.removeMissingUsers true');
  });

  // The official first-line rule for a one-line file; a longer file (a PEM key) is taken whole.
  it('reads a secret from --secretenv and --secretfile', async () => {
    const file = join(dataDir, 'pw.txt');
    writeFileSync(file, 'from-file-secret\n');
    expect(
      (
        await runBwdc(['config', 'ldap.password', '--secretenv', 'MY_PW'], {
          ...env,
          MY_PW: 'from-env-secret',
        })
      ).code,
    ).toBe(0);
    expect(readFileSync(join(dataDir, 'data.json'), 'utf8')).toContain('from-env-secret');
    expect((await bwdc('config', 'ldap.password', '--secretfile', file)).code).toBe(0);
    const doc = () => JSON.parse(readFileSync(join(dataDir, 'data.json'), 'utf8'));
    expect(doc().directoryLdap.password).toBe('from-file-secret');
    const pem =
      '-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8w\n-----END PRIVATE KEY-----';
    writeFileSync(join(dataDir, 'key.pem'), `${pem}\n`);
    expect(
      (await bwdc('config', 'gsuite.key', '--secretfile', join(dataDir, 'key.pem'))).code,
    ).toBe(0);
    expect(doc().directoryGsuite.privateKey).toBe(pem);
  });

  it('requires a login for test, sync and last-sync, and refuses a bad object', async () => {
    expect(await bwdc('test')).toMatchObject({ code: 1, stderr: NOT_LOGGED_IN });
    expect(await bwdc('sync')).toMatchObject({ code: 1, stderr: NOT_LOGGED_IN });
    await configure();
    expect(await bwdc('last-sync', 'bogus')).toMatchObject({
      code: 1,
      stderr: 'Unknown object.\nThe objects are users and groups. bwdc last-sync users\n',
    });
    expect((await bwdc('last-sync', 'user')).stderr).toBe(
      'Unknown object.\nThe objects are users and groups; did you mean users? bwdc last-sync users\n',
    );
    // An unknown command: the official two lines, then the command meant.
    expect(await bwdc('snyc')).toMatchObject({
      code: 1,
      stderr:
        'Invalid command: snyc\nSee --help for a list of available commands.\nDid you mean sync? bwdc sync --help\n',
    });
    expect(await bwdc('login', emulator.clientId, emulator.clientSecret)).toMatchObject({
      code: 1,
      stderr: `You are already logged in as organization.${emulator.organizationId}.\n`,
    });
  });

  it('says a wrong API key was rejected, and asks for missing values without prompting when told not to', async () => {
    await bwdc('config', 'server', emulator.url);
    const bad = await bwdc('login', emulator.clientId, 'wrong-secret');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/rejected|invalid/i);
    expect(bad.stderr).not.toContain('wrong-secret');
    expect(await bwdc('login', '--nointeraction')).toMatchObject({
      code: 1,
      stderr: 'Client ID is required.\n',
    });
  });

  it('logs in from BW_CLIENTID/BW_CLIENTSECRET and stays logged in without them', async () => {
    await bwdc('config', 'server', emulator.url);
    expect(
      await runBwdc(['login'], {
        ...env,
        BW_CLIENTID: emulator.clientId,
        BW_CLIENTSECRET: emulator.clientSecret,
      }),
    ).toMatchObject({ code: 0, stdout: 'You are logged in!\n' });
    expect((await bwdc('last-sync', 'users')).code).toBe(0);
    expect(await bwdc('logout')).toMatchObject({ code: 0, stdout: 'You have logged out.\n' });
    expect(await bwdc('last-sync', 'users')).toMatchObject({
      code: 1,
      stderr: NOT_LOGGED_IN,
    });
  });
});

describe('bwdc test and sync', () => {
  beforeEach(configure);

  it('tests without sending, syncs, skips an unchanged sync, and sends again after clear-cache', async () => {
    const test = await bwdc('test');
    expect(test.code).toBe(0);
    const plan = JSON.parse(test.stdout) as {
      object: string;
      enabledUsers: { externalId: string; displayName: string }[];
      groups: { displayName: string; userIds: string[] }[];
    };
    expect(plan.object).toBe('test');
    expect(plan.enabledUsers).toHaveLength(12);
    expect(plan.groups).toEqual([
      expect.objectContaining({
        displayName: 'Staff',
        userIds: expect.arrayContaining(['U1', 'U12']),
      }),
    ]);
    expect(imports()).toBe(0);

    // The official two lines first, for scripts; then what changed, names first, cut.
    const first = await bwdc('sync');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^Syncing complete\.\nSynced 1 group\(s\) and 12 user\(s\)\.\nChanges: 12 invited, 0 removed, 1 group changed\.\nInvited \(12\):\n {2}user10@example\.com\n/,
    );
    expect(first.stdout).toContain('  and 2 more (--all lists everything)\n');
    expect(first.stdout).toContain('  Staff: new group; 12 members: ');
    // --response keeps the official JSON alone.
    await bwdc('clear-cache');
    expect(await bwdc('sync', '--response')).toMatchObject({
      stdout:
        '{"success":true,"data":{"object":"message","title":"Syncing complete.","message":"Synced 1 group(s) and 12 user(s)."}}\n',
    });
    expect(emulator.org.members().filter((m) => m.externalId?.startsWith('U'))).toHaveLength(12);
    const lastUsers = await bwdc('last-sync', 'users');
    expect(lastUsers.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\n$/);
    expect(await bwdc('last-sync', 'users', '--response')).toMatchObject({
      stdout: `{"success":true,"data":{"object":"string","data":"${lastUsers.stdout.trim()}"}}\n`,
    });

    expect(await bwdc('sync')).toMatchObject({
      code: 0,
      stdout: 'Syncing complete.\nSynced 0 group(s) and 0 user(s).\n',
    });
    expect(imports()).toBe(2);

    expect(await bwdc('clear-cache')).toMatchObject({ code: 0 });
    expect(await bwdc('sync')).toMatchObject({
      stdout:
        'Syncing complete.\nSynced 1 group(s) and 12 user(s).\nChanges: 0 invited, 0 removed, 0 groups changed.\n' +
        'The members of 1 existing group were set from the directory (not compared; `bwdc test --changes` shows them before a sync).\n',
    });
    expect(imports()).toBe(3);
  });

  it('sends a directory change on the next sync, and --json reports it', async () => {
    await bwdc('sync');
    writeFileSync(directoryFile, directoryCsv(13));
    const result = await bwdc('sync', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { skippedUnchanged: boolean; requestsSent: number };
    expect(report).toMatchObject({ skippedUnchanged: false, requestsSent: 1 });
    expect(emulator.org.members().some((m) => m.email === 'user13@example.com')).toBe(true);
  });

  it('removes a leaver, and the safety guard refuses a mass removal with exit 3 until --force', async () => {
    await bwdc('sync');
    writeFileSync(directoryFile, directoryCsv(12, { skip: [12] }));
    const leaver = await bwdc('sync');
    expect(leaver.code).toBe(0);
    expect(leaver.stdout).toContain(
      'Changes: 0 invited, 1 removed, 0 groups changed.\nRemoved (1):\n  user12@example.com (U12, User): gone from the directory',
    );
    expect(emulator.org.members().some((m) => m.email === 'user12@example.com')).toBe(false);

    writeFileSync(directoryFile, directoryCsv(12, { skip: [1, 2, 3, 4, 12] }));
    const refused = await bwdc('sync');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('user1@example.com');
    expect(emulator.org.members().some((m) => m.email === 'user1@example.com')).toBe(true);

    expect((await bwdc('sync', '--force')).code).toBe(0);
    expect(emulator.org.members().some((m) => m.email === 'user1@example.com')).toBe(false);
  });

  it('retries a 429 from the import and succeeds', async () => {
    emulator.faults.add({ path: '/public/organization/import', status: 429, retryAfterSeconds: 1 });
    expect((await bwdc('sync')).code).toBe(0);
    expect(imports()).toBe(2);
    expect(emulator.org.members().filter((m) => m.externalId?.startsWith('U'))).toHaveLength(12);
  });

  it('fails cleanly on persistent 500s and leaves data.json as it was', async () => {
    const before = readFileSync(join(dataDir, 'data.json'), 'utf8');
    emulator.faults.add({ path: '/public/organization/import', status: 500, times: 20 });
    const result = await bwdc('sync');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/server error/i);
    expect(readFileSync(join(dataDir, 'data.json'), 'utf8')).toBe(before);
    emulator.faults.clear();
    expect((await bwdc('sync')).stdout).toMatch(
      /^Syncing complete\.\nSynced 1 group\(s\) and 12 user\(s\)\.\nChanges: 12 invited/,
    );
  });

  it('lets only one of two syncs started at once run', async () => {
    // The first sync holds the data folder's lock while its import hangs; a slow start of either
    // process still falls inside that window.
    emulator.faults.add({ path: '/public/organization/import', delayMs: 5000 });
    const [a, b] = await Promise.all([bwdc('sync'), bwdc('sync')]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 1]);
    expect([a.stderr, b.stderr].join('')).toMatch(/sync/i);
    expect(imports()).toBe(1);
  });

  it('keeps syncing with --interval and stops cleanly on SIGTERM', async () => {
    const running = spawnBwdc(['sync', '--interval', '5'], env);
    running.child.stdin.end();
    // Wait for the first run to finish, then stop the schedule while it waits for the next.
    for (let i = 0; i < 600 && !running.output().stdout.includes('Synced 1 group(s)'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Every line starts with its time (UTC), so a log of many runs says when each happened.
    expect(running.output().stdout).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z Syncing complete\.\n\S+Z Synced 1 group\(s\) and 12 user\(s\)\./m,
    );
    running.child.kill('SIGTERM');
    const result = await running.result;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\S+Z Stopped\.$/m);
    for (const line of result.stdout.trimEnd().split('\n')) expect(line).toMatch(/^\S+Z /);
    expect(imports()).toBe(1);
  });

  it('names the directory file and the line of bad input, and sends nothing', async () => {
    writeFileSync(directoryFile, 'email,disabled\na@example.com,perhaps\n');
    expect(await bwdc('sync')).toMatchObject({
      code: 1,
      stderr: 'directory.csv: line 2: "disabled" must be true or false, not "perhaps"\n',
    });
    expect(imports()).toBe(0);
  });
});

describe('bwdc test --changes', () => {
  beforeEach(configure);

  it('shows a person what a sync would change, counts first, and sends nothing', async () => {
    await bwdc('sync');
    // Someone adds a member to Staff by hand; user12 leaves the directory; user13 joins it.
    emulator.seed([{ email: 'helper@example.com', groups: ['Staff'] }]);
    writeFileSync(directoryFile, directoryCsv(13, { skip: [12] }));
    const before = emulator.requests.length;
    const result = await bwdc('test', '--changes');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('What a sync would change: 1 to invite, 1 to remove, 1 group to change.');
    expect(result.stdout).toContain('Invite (1):\n  user13@example.com\n');
    expect(result.stdout).toContain(
      'Remove (1):\n  user12@example.com (U12, User): gone from the directory',
    );
    expect(result.stdout).toContain(
      'Groups (1):\n  Staff: +1 (user13@example.com); -1 (helper@example.com)\n',
    );
    expect(result.stdout).toContain(
      'Left alone (no externalId, so the sync never removes them) (2):\n  helper@example.com (User, confirmed)\n  owner@example.com (Owner, confirmed)\n',
    );
    expect(result.stdout).toContain('Nothing was sent.');
    const sent = emulator.requests.slice(before);
    expect(sent.filter((r) => r.method !== 'GET' && !r.path.endsWith('/connect/token'))).toEqual(
      [],
    );
    // Only the group the import sends has its members read.
    expect(sent.filter((r) => r.path.endsWith('/member-ids'))).toHaveLength(1);
  });

  it('--json prints one object: invite, remove with reasons, changed groups, unmanaged members', async () => {
    await bwdc('sync');
    emulator.seed([{ email: 'helper@example.com' }]);
    writeFileSync(directoryFile, directoryCsv(12, { skip: [3] }));
    const result = await bwdc('test', '--changes', '--json');
    expect(result.code).toBe(0);
    const changes = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(changes).toMatchObject({
      object: 'changes',
      invite: [],
      remove: [
        {
          email: 'user3@example.com',
          externalId: 'U3',
          reason: expect.stringMatching(/^gone from the directory/),
          code: 'missing',
        },
      ],
      groups: [],
      unmanaged: [{ email: 'helper@example.com' }, { email: 'owner@example.com' }],
      counts: { invite: 0, remove: 1, membersBefore: 14, membersAfter: 13 },
      guard: { refused: false },
    });
  });

  it('cuts long lists, and --all lists everything', async () => {
    const short = await bwdc('test', '--changes');
    expect(short.stdout).toContain('Invite (12):');
    expect(short.stdout).toContain('  and 2 more (--all lists everything)');
    const all = await bwdc('test', '--changes', '--all');
    for (let i = 1; i <= 12; i++) expect(all.stdout).toContain(`  user${i}@example.com\n`);
    expect(all.stdout).not.toContain('more (--all');
  });

  it('says when the safety guard would refuse the sync', async () => {
    await bwdc('sync');
    writeFileSync(directoryFile, directoryCsv(12, { skip: [1, 2, 3, 4, 5] }));
    const result = await bwdc('test', '--changes');
    expect(result.stdout).toContain('Remove (5):');
    expect(result.stdout).toMatch(/The safety guard would refuse this sync: Refusing to sync/);
  });

  it('reads every page of a paging server, and waits out a 429 on a member-id read', async () => {
    await bwdc('sync');
    emulator.setPageSize(5);
    emulator.faults.add({ path: '/public/groups/*/member-ids', status: 429, retryAfterSeconds: 1 });
    const result = await bwdc('test', '--changes', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      unchanged: true,
      drift: null,
      counts: { membersBefore: 13 },
    });
    const pages = emulator.requests.filter((r) => r.path.endsWith('/public/members'));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    // The one group's members: refused once with 429, then read.
    expect(emulator.requests.filter((r) => r.path.endsWith('/member-ids'))).toHaveLength(2);
  });

  it('plain `bwdc test` stays the official JSON', async () => {
    const result = await bwdc('test');
    expect(Object.keys(JSON.parse(result.stdout) as object).sort()).toEqual([
      'deletedUsers',
      'disabledUsers',
      'enabledUsers',
      'groups',
      'object',
    ]);
  });
});

describe('bwdc test --changes against Vaultwarden', () => {
  it('explains that the server has no member routes, exit 1', async () => {
    await emulator.stop();
    emulator = await startBitwardenEmulator({ mode: 'vaultwarden' });
    await configure();
    const result = await bwdc('test', '--changes');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/does not offer GET \/public\/(members|groups)/);
    // A sync still works, and says what it cannot name.
    const sync = await bwdc('sync');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toContain('The organization could not be read');
  });
});

describe('bwdc update', () => {
  let feed: Server;
  let feedUrl: string;
  let release: Record<string, unknown>;

  beforeAll(async () => {
    feed = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(release));
    });
    await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
    feedUrl = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/releases/latest`;
  });
  afterAll(() => new Promise<void>((resolve) => feed.close(() => resolve())));

  it('reports a newer release with its download for this platform; --raw prints only the URL', async () => {
    release = {
      tag_name: 'v99.0.0',
      html_url: 'https://example.com/releases/v99.0.0',
      assets: [
        {
          name: 'bwdc-linux-99.0.0.zip',
          browser_download_url: 'https://example.com/bwdc-linux-99.0.0.zip',
        },
      ],
    };
    const result = await bwdc('update', '--feed', feedUrl);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('A new version is available: v99.0.0');
    expect(await runBwdc(['update', '--raw'], { ...env, BWDC_UPDATE_FEED: feedUrl })).toMatchObject(
      {
        stdout: 'https://example.com/bwdc-linux-99.0.0.zip\n',
      },
    );
  });

  it('says when there is nothing newer', async () => {
    release = { tag_name: 'v0.0.1', assets: [] };
    expect((await bwdc('update', '--feed', feedUrl)).stdout).toContain('No updates available.');
  });
});
