import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startBitwardenEmulator } from '@bwdc/emulator-bitwarden';
import {
  BWDC_BIN,
  BWDC_EXECUTABLE,
  BWDC_STANDALONE,
  assertBuilt,
  bwdcCommand,
  runBwdc,
  tempDataDir,
  type BwdcResult,
} from './testing/run-bwdc';

// What running bwdc as an installed program needs, through the real bwdc (the built CLI, or
// BWDC_EXECUTABLE: the standalone binary or an npm-installed bwdc): the portable data folder
// beside the executable, the OS keychain (a real Secret Service), the systemd unit's unattended
// run with secrets from files, and the release feed of `bwdc update`.

const NO_DATA_DIR = {
  BITWARDENCLI_CONNECTOR_APPDATA_DIR: undefined,
  BITWARDEN_CONNECTOR_APPDATA_DIR: undefined,
  BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true',
};

let dir: string;

beforeAll(() => assertBuilt());
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * This bwdc, placed in a folder of its own: a copy of the standalone binary, as an admin unpacks
 * it, or a link to the CLI's bin script, as npm puts `bwdc` on PATH.
 */
function placeBwdc(): string {
  const bin = join(dir, 'bwdc');
  if (BWDC_STANDALONE) {
    copyFileSync(BWDC_EXECUTABLE!, bin);
    chmodSync(bin, 0o755);
  } else {
    symlinkSync(realpathSync(BWDC_EXECUTABLE ?? BWDC_BIN), bin);
  }
  return bin;
}

describe('the portable data folder', () => {
  it('is bitwarden-connector-appdata beside the bwdc executable', async () => {
    dir = tempDataDir('bwdc-portable-');
    const bin = placeBwdc();
    const portable = join(dir, 'bitwarden-connector-appdata');
    mkdirSync(portable);
    const env = { ...NO_DATA_DIR, XDG_CONFIG_HOME: join(dir, 'config') };

    expect(await runBwdc(['data-file'], env, undefined, bin)).toMatchObject({
      code: 0,
      stdout: `${join(portable, 'data.json')}\n`,
    });
    expect(await runBwdc(['config', 'directory', 'ldap'], env, undefined, bin)).toMatchObject({
      code: 0,
    });
    expect(JSON.parse(readFileSync(join(portable, 'data.json'), 'utf8'))).toMatchObject({
      directoryType: 0,
    });
    expect(existsSync(join(dir, 'config'))).toBe(false);
  });

  it('is not used when there is no such folder: the platform folder is', async () => {
    dir = tempDataDir('bwdc-portable-');
    const bin = placeBwdc();
    const env = { ...NO_DATA_DIR, XDG_CONFIG_HOME: join(dir, 'config') };
    expect(await runBwdc(['data-file'], env, undefined, bin)).toMatchObject({
      code: 0,
      stdout: `${join(dir, 'config', 'Bitwarden Directory Connector', 'data.json')}\n`,
    });
  });
});

describe('bwdc update and its release feed', () => {
  let feed: Server;
  let feedUrl: string;
  let body: unknown;

  beforeAll(async () => {
    feed = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
    feedUrl = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/bwdc/latest.json`;
  });
  afterAll(() => new Promise<void>((resolve) => feed.close(() => resolve())));

  const env = () => ({ ...NO_DATA_DIR, BITWARDENCLI_CONNECTOR_APPDATA_DIR: dir });

  it('says plainly that no feed is configured, and exits 1', async () => {
    dir = tempDataDir();
    const result = await runBwdc(['update'], { ...env(), BWDC_UPDATE_FEED: undefined });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'No release feed is configured, so bwdc cannot check for updates.',
    );
  });

  it('reads a {"version", "url"} feed named by BWDC_UPDATE_FEED', async () => {
    dir = tempDataDir();
    body = { version: '99.1.0', url: 'https://intranet.example.com/bwdc/99.1.0/' };
    const result = await runBwdc(['update'], { ...env(), BWDC_UPDATE_FEED: feedUrl });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('A new version is available: v99.1.0');
    expect(
      await runBwdc(['update', '--raw'], { ...env(), BWDC_UPDATE_FEED: feedUrl }),
    ).toMatchObject({ code: 0, stdout: 'https://intranet.example.com/bwdc/99.1.0/\n' });
  });

  it('names the feed when it cannot be read', async () => {
    dir = tempDataDir();
    body = { name: 'not a release' };
    const result = await runBwdc(['update', '--feed', feedUrl], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The release feed ${feedUrl} is neither a GitHub release`);
  });
});

const shellQuote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * Runs bwdc commands one after another inside a D-Bus session of their own with an unlocked
 * gnome-keyring in a temporary folder (never the user's keyring), as an admin's login session
 * would have it. Needs the apt packages dbus, gnome-keyring and libsecret-1-0.
 */
async function inKeyringSession(
  runs: readonly (readonly string[])[],
  env: Record<string, string | undefined>,
  at?: string,
): Promise<BwdcResult[]> {
  const home = join(dir, 'keyring');
  mkdirSync(home);
  const out = join(dir, 'out');
  mkdirSync(out);
  const script = [
    'echo test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1',
    ...runs.map((args, i) => {
      const [command, commandArgs] = bwdcCommand(args, at);
      const line = [command, ...commandArgs].map(shellQuote).join(' ');
      return `${line} >${out}/${i}.out 2>${out}/${i}.err; echo $? >${out}/${i}.code`;
    }),
  ].join('\n');
  writeFileSync(join(dir, 'session.sh'), script);
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({
    ...process.env,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_RUNTIME_DIR: home,
    NO_COLOR: '1',
    ...env,
  })) {
    // The runner's own session, BW_* settings and NODE_ENV are not the ones under test.
    if (value === undefined || key === 'DBUS_SESSION_BUS_ADDRESS') continue;
    if ((key.startsWith('BW_') || key === 'NODE_ENV') && !(key in env)) continue;
    childEnv[key] = value;
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn('dbus-run-session', ['--', 'sh', join(dir, 'session.sh')], {
      env: childEnv,
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
  return runs.map((_, i) => ({
    code: Number(readFileSync(join(out, `${i}.code`), 'utf8')),
    stdout: readFileSync(join(out, `${i}.out`), 'utf8'),
    stderr: readFileSync(join(out, `${i}.err`), 'utf8'),
  }));
}

describe('secrets in the OS keychain', () => {
  it('keeps the API key in the Secret Service, never in data.json, and syncs with it', async () => {
    dir = tempDataDir('bwdc-keychain-');
    const emulator = await startBitwardenEmulator({ seats: null });
    try {
      const directory = join(dir, 'directory.csv');
      writeFileSync(
        directory,
        'email,id,groups\nada@example.com,U1,Staff\nbo@example.com,U2,Staff\n',
      );
      const env = {
        BITWARDENCLI_CONNECTOR_APPDATA_DIR: join(dir, 'data'),
        BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: undefined,
      };
      const results = await inKeyringSession(
        [
          ['config', 'server', emulator.url],
          ['config', 'directory', 'file'],
          ['config', 'file.path', directory],
          ['config', 'sync.users', 'true'],
          ['login', emulator.clientId, emulator.clientSecret],
          ['sync'],
        ],
        env,
      );
      // The login's secret is an argument here: it works, and says it shows in `ps`.
      results.forEach((result, i) =>
        expect(result).toMatchObject({
          code: 0,
          stderr:
            i === 4
              ? expect.stringMatching(
                  /^Warning: a client secret typed on the command line is visible to other users/,
                )
              : '',
        }),
      );
      expect(results[4]!.stdout).toBe('You are logged in!\n');
      expect(emulator.org.members().map((m) => m.email)).toEqual(
        expect.arrayContaining(['ada@example.com', 'bo@example.com']),
      );
      expect(readFileSync(join(dir, 'data', 'data.json'), 'utf8')).not.toContain(
        emulator.clientSecret,
      );
    } finally {
      await emulator.stop();
    }
  });

  // Only the standalone binary loads the keychain module from a file beside itself.
  if (BWDC_STANDALONE) {
    it('says what to do when keytar.node is not beside the binary', async () => {
      dir = tempDataDir('bwdc-keychain-');
      const bin = placeBwdc();
      const [directory, result] = await inKeyringSession(
        [
          ['config', 'directory', 'ldap'],
          ['config', 'ldap.password', 'not-a-real-secret', '--json'],
        ],
        {
          BITWARDENCLI_CONNECTOR_APPDATA_DIR: join(dir, 'data'),
          BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: undefined,
        },
        bin,
      );
      expect(directory!.code).toBe(0);
      expect(result!.code).toBe(1);
      expect(result!.stdout).not.toContain('not-a-real-secret');
      const { error } = JSON.parse(result!.stdout) as {
        error: { code: string; message: string; actions: string[] };
      };
      expect(error.code).toBe('SECRET_STORE_FAILED');
      expect(error.message).toContain('keytar.node beside the standalone bwdc binary');
      expect(error.actions.join('\n')).toContain('BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true');
    });
  }
});

describe('the systemd unit (packaging/systemd)', () => {
  const SYSTEMD = join(__dirname, '..', '..', '..', 'packaging', 'systemd');

  /** The unit's `Environment=` assignments (and those of a drop-in), with %S and %d filled in. */
  function unitEnvironment(files: string[], specifiers: Record<string, string>) {
    const env: Record<string, string> = {};
    for (const file of files) {
      for (const [, assignment] of readFileSync(join(SYSTEMD, file), 'utf8').matchAll(
        /^Environment=(.*)$/gm,
      )) {
        const [name, ...value] = assignment!
          .replace(/%(.)/g, (_, c: string) => specifiers[c]!)
          .split('=');
        env[name!] = value.join('=');
      }
    }
    return env;
  }

  it('syncs unattended with its command and environment: no keychain, the key from credentials', async () => {
    dir = tempDataDir('bwdc-unit-');
    const emulator = await startBitwardenEmulator({ seats: null });
    try {
      const state = join(dir, 'state');
      const credentials = join(dir, 'credentials');
      mkdirSync(join(state, 'bwdc'), { recursive: true });
      mkdirSync(credentials);
      writeFileSync(join(credentials, 'bw_clientid'), `${emulator.clientId}\n`);
      writeFileSync(join(credentials, 'bw_clientsecret'), `${emulator.clientSecret}\n`);
      writeFileSync(join(credentials, 'directory_secret'), 'unused-by-a-file-directory\n');
      const directory = join(dir, 'directory.csv');
      writeFileSync(directory, 'email,id,groups\ncy@example.com,U1,Ops\ndee@example.com,U2,Ops\n');
      const unitEnv = unitEnvironment(['bwdc-sync.service', 'credentials.conf.example'], {
        S: state,
        d: credentials,
      });
      expect(unitEnv.BITWARDENCLI_CONNECTOR_APPDATA_DIR).toBe(join(state, 'bwdc'));
      // A service has no D-Bus session, hence no keychain; and no plaintext mode.
      const env = {
        ...unitEnv,
        DBUS_SESSION_BUS_ADDRESS: undefined,
        BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: undefined,
      };

      // Once, before enabling the timer, the admin sets the settings and logs in with the key
      // from /etc/bwdc/bwdc.env (README: "Run it on a server").
      for (const [setting, value] of [
        ['server', emulator.url],
        ['directory', 'file'],
        ['file.path', directory],
        ['sync.users', 'true'],
        ['sync.groups', 'true'],
      ]) {
        expect(await runBwdc(['config', setting!, value!], env)).toMatchObject({ code: 0 });
      }
      expect(
        await runBwdc(['login'], {
          ...env,
          BW_CLIENTID: emulator.clientId,
          BW_CLIENTSECRET: emulator.clientSecret,
        }),
      ).toMatchObject({ code: 0, stdout: 'You are logged in!\n' });

      const command = readFileSync(join(SYSTEMD, 'bwdc-sync.service'), 'utf8')
        .match(/^ExecStart=\S+ (.*)$/m)![1]!
        .split(' ');
      const first = await runBwdc(command, env);
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toContain('Syncing complete.');
      expect(emulator.org.members().map((m) => m.email)).toEqual(
        expect.arrayContaining(['cy@example.com', 'dee@example.com']),
      );
      // The next timer run finds nothing new, with no login kept anywhere but in memory.
      const second = await runBwdc(command, env);
      expect(second).toMatchObject({ code: 0, stderr: '' });
      expect(second.stdout).toContain('Synced 0 group(s) and 0 user(s).');
      const dataJson = readFileSync(join(state, 'bwdc', 'data.json'), 'utf8');
      expect(dataJson).not.toContain(emulator.clientSecret);
      expect(`${first.stdout}${first.stderr}`).not.toContain(emulator.clientSecret);
    } finally {
      await emulator.stop();
    }
  });
});
