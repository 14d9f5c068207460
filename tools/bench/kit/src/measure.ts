import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** One timed run of a child process. */
export interface Sample {
  /** Wall time from spawn to exit. */
  readonly wallMs: number;
  /** User + system CPU time of the process and the children it waited for. */
  readonly cpuMs: number;
  /** Peak resident set of the largest process in the run (the kernel's ru_maxrss). */
  readonly peakRssMb: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Keep stdout (default: only its length is counted, so large outputs cost the bench nothing). */
  readonly keepStdout?: boolean;
}

/**
 * Runs a command under GNU time (`/usr/bin/time`), which reports CPU and peak RSS from the
 * kernel's rusage of the child, and times the wall clock here. Throws when it exits non-zero.
 */
export async function timed(spec: RunSpec): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'bwdc-bench-time-'));
  const report = join(dir, 'time');
  try {
    const started = performance.now();
    const child = spawn(
      '/usr/bin/time',
      ['-f', '%U %S %M', '-o', report, spec.command, ...spec.args],
      { env: spec.env ?? process.env, cwd: spec.cwd, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdoutBytes += chunk.length;
      if (spec.keepStdout) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const wallMs = performance.now() - started;
    if (code !== 0) {
      throw new Error(
        `${spec.command} ${spec.args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`,
      );
    }
    const [user, system, maxRssKb] = readFileSync(report, 'utf8')
      .trim()
      .split('\n')
      .pop()!
      .split(' ');
    return {
      wallMs,
      cpuMs: (Number(user) + Number(system)) * 1000,
      peakRssMb: Number(maxRssKb) / 1024,
      stdout: spec.keepStdout ? stdout : `${stdoutBytes} characters`,
      stderr,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
