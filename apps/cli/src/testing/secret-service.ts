import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The service name the official connector (and bwdc) file keychain entries under. */
const SERVICE = 'Bitwarden Directory Connector';

export interface SecretServiceSession {
  /** For the child processes that should use this keychain. */
  readonly env: Record<string, string>;
  /** The stored value of an entry as the official connector reads it (JSON-decoded), or null. */
  get(account: string): Promise<string | null>;
  /** Stores a value as the official connector does (JSON-encoded). */
  set(account: string, value: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real Secret Service for tests: its own D-Bus session with gnome-keyring unlocked, in a
 * temporary folder (never the user's keyring). Entries are read and written through keytar in a
 * child process, the way the official connector's keychain entries look.
 */
export async function startSecretService(): Promise<SecretServiceSession> {
  const home = mkdtempSync(join(tmpdir(), 'bwdc-keyring-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_RUNTIME_DIR: home,
  };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.DISPLAY;
  const child = spawn(
    'dbus-run-session',
    [
      '--',
      'sh',
      '-c',
      'echo pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; ' +
        'echo "$DBUS_SESSION_BUS_ADDRESS $$"; exec sleep 3600',
    ],
    { env, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const line = await new Promise<string>((done, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) done(out.split('\n')[0]!);
    });
    child.on('error', reject);
    child.on('exit', () => reject(new Error('dbus-run-session ended before the keyring started')));
  });
  const [address, pid] = line.trim().split(' ');
  const sessionEnv = { DBUS_SESSION_BUS_ADDRESS: address! };
  const keytar = (script: string): Promise<string> =>
    new Promise((done, reject) =>
      execFile(
        process.execPath,
        ['-e', `const k = require('@github/keytar'); (async () => { ${script} })();`],
        { env: { ...env, ...sessionEnv }, cwd: resolve(__dirname, '..', '..', '..', '..') },
        (error, stdout) => (error ? reject(error) : done(stdout)),
      ),
    );
  return {
    env: sessionEnv,
    async get(account) {
      const raw = await keytar(
        `process.stdout.write(JSON.stringify(await k.getPassword(${JSON.stringify(SERVICE)}, ${JSON.stringify(account)})));`,
      );
      const stored = JSON.parse(raw) as string | null;
      return stored === null ? null : (JSON.parse(stored) as string);
    },
    async set(account, value) {
      await keytar(
        `await k.setPassword(${JSON.stringify(SERVICE)}, ${JSON.stringify(account)}, ${JSON.stringify(JSON.stringify(value))});`,
      );
    },
    async stop() {
      const ended = new Promise((done) => child.on('exit', done));
      // The shell exec'd sleep: ending it ends the session, its bus and the keyring with it.
      process.kill(Number(pid), 'SIGTERM');
      await ended;
      rmSync(home, { recursive: true, force: true });
    },
  };
}
