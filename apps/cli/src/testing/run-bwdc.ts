import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  readSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The built CLI's bin script, as users run it. */
export const BWDC_BIN = resolve(__dirname, '..', '..', 'bin', 'run.js');

/**
 * Another bwdc to run the same tests against: the standalone binary (`dist/bwdc`) or an
 * npm-installed `bwdc`. Unset, the tests run BWDC_BIN with this node.
 */
export const BWDC_EXECUTABLE = process.env.BWDC_EXECUTABLE
  ? resolve(process.env.BWDC_EXECUTABLE)
  : undefined;

/** BWDC_EXECUTABLE is the standalone binary (an ELF executable), not an npm-installed bin script. */
export const BWDC_STANDALONE = BWDC_EXECUTABLE !== undefined && isElf(BWDC_EXECUTABLE);

function isElf(file: string): boolean {
  const magic = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, magic, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return magic.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
}

/**
 * The command line that starts bwdc with these arguments; `at` is a link to it or a copy of it
 * elsewhere (run with node, like BWDC_BIN, unless BWDC_EXECUTABLE is set).
 */
export function bwdcCommand(args: readonly string[], at?: string): [string, string[]] {
  if (BWDC_EXECUTABLE) return [at ?? BWDC_EXECUTABLE, [...args]];
  return [process.execPath, [at ?? BWDC_BIN, ...args]];
}

/** The official line for a command that needs a login, then how to log in (issue 18). */
export const NOT_LOGGED_IN =
  'You are not logged in.\n' +
  "Log in with the organization's API key: bwdc login <client_id> <client_secret> (or set BW_CLIENTID and BW_CLIENTSECRET).\n" +
  'The key is in the web vault: Admin Console > Settings > Organization info > View API key.\n';

export interface BwdcResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function assertBuilt(): void {
  if (BWDC_EXECUTABLE) {
    try {
      accessSync(BWDC_EXECUTABLE, constants.X_OK);
    } catch {
      throw new Error(`BWDC_EXECUTABLE=${BWDC_EXECUTABLE} is not an executable file.`);
    }
    return;
  }
  if (!existsSync(resolve(__dirname, '..', '..', 'dist', 'commands', 'sync.js'))) {
    throw new Error('The CLI is not built: run `npm run build` before its end-to-end tests.');
  }
}

export function tempDataDir(prefix = 'bwdc-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Runs `bwdc` in a child process. Asynchronously, because the emulators the tests point it at
 * answer from the test's own process.
 */
export function runBwdc(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  stdin?: string,
  at?: string,
): Promise<BwdcResult> {
  const { child, result } = spawnBwdc(args, env, at);
  child.stdin.end(stdin ?? '');
  return result;
}

/** Starts `bwdc` and hands back the process, for tests that signal it while it runs. */
export function spawnBwdc(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  at?: string,
): {
  child: ChildProcessWithoutNullStreams;
  output: () => BwdcResult;
  result: Promise<BwdcResult>;
} {
  const childEnv: Record<string, string> = {};
  // The test runner's own BW_* settings must not leak into the runs under test, nor jest's
  // NODE_ENV=test (an installed oclif CLI would then look for TypeScript sources).
  const inherited = (key: string): boolean => !key.startsWith('BW_') && key !== 'NODE_ENV';
  for (const [key, value] of Object.entries({ ...process.env, ...env })) {
    if (value !== undefined && (key in env || inherited(key))) childEnv[key] = value;
  }
  childEnv.OCLIF_SKIP_NEW_VERSION_CHECK = 'true';
  childEnv.NO_COLOR = '1';
  const [command, commandArgs] = bwdcCommand(args, at);
  const child = spawn(command, commandArgs, { env: childEnv });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const result = new Promise<BwdcResult>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
  return { child, output: () => ({ code: child.exitCode, stdout, stderr }), result };
}
