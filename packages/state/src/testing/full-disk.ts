import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SmallDisk {
  /** The mounted folder. */
  readonly dir: string;
  unmount(): Promise<void>;
}

/**
 * A real, tiny file system (tmpfs of `sizeKb`) for tests of a full disk. Mounting needs root (CI
 * runs as root); without it this throws, so a test of a full disk fails rather than passing
 * without having run.
 */
export async function mountSmallDisk(sizeKb: number): Promise<SmallDisk> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bwdc-small-disk-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const why = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new Error(
      `Cannot mount a ${sizeKb} KB tmpfs at ${dir} for the full-disk test (${why}). ` +
        'These tests need root (or CAP_SYS_ADMIN), as in CI: run them as root.',
    );
  }
  return {
    dir,
    async unmount() {
      await run('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fills what is left of the disk with one file, so the next write of any size fails. */
export async function fillDisk(dir: string, leaveBytes = 0): Promise<void> {
  const { stdout } = await run('df', ['--output=avail', '-B1', dir]);
  const avail = Number(stdout.trim().split('\n').pop());
  const fd = openSync(path.join(dir, 'filler'), 'w');
  try {
    const block = Buffer.alloc(4096);
    let left = avail - leaveBytes;
    while (left > 0) {
      try {
        left -= writeSync(fd, block, 0, Math.min(block.length, left));
      } catch {
        break;
      }
    }
  } finally {
    closeSync(fd);
  }
}
