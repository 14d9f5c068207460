import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The built binary, as users run it. */
export const BWDC_BIN = resolve(__dirname, '..', '..', 'bin', 'run.js');

export interface BwdcResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function assertBuilt(): void {
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
): Promise<BwdcResult> {
  const { child, result } = spawnBwdc(args, env);
  child.stdin.end(stdin ?? '');
  return result;
}

/** Starts `bwdc` and hands back the process, for tests that signal it while it runs. */
export function spawnBwdc(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): {
  child: ChildProcessWithoutNullStreams;
  output: () => BwdcResult;
  result: Promise<BwdcResult>;
} {
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...env })) {
    // The test runner's own BW_* settings must not leak into the runs under test.
    if (value !== undefined && !(key.startsWith('BW_') && !(key in env))) childEnv[key] = value;
  }
  childEnv.OCLIF_SKIP_NEW_VERSION_CHECK = 'true';
  childEnv.NO_COLOR = '1';
  const child = spawn(process.execPath, [BWDC_BIN, ...args], { env: childEnv });
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
