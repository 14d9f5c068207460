import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import * as lockfile from 'proper-lockfile';
import { StateLockedError } from './errors';

/**
 * A lock that is a directory next to the locked file (proper-lockfile): mkdir is atomic on every
 * local and network file system, the holder refreshes its mtime, and a holder that died leaves a
 * lock that goes stale after STALE_MS and is taken over.
 */
export const STALE_MS = 10_000;
const RETRY_MS = 50;

export interface HeldLock {
  release(): Promise<void>;
  /** True when another process took the lock over (ours was thought stale). */
  readonly compromised: boolean;
}

export interface AcquireOptions {
  /** The file the lock is named after; it need not exist. */
  target: string;
  lockPath: string;
  /** 0: try once. Infinity: wait as long as it takes. */
  timeoutMs: number;
  /** What the lock guards, for the error message. */
  purpose: string;
  /** Writes who holds the lock next to it, so the next one can say so. */
  recordOwner?: boolean;
  signal?: AbortSignal;
  staleMs?: number;
}

export async function acquireLock(options: AcquireOptions): Promise<HeldLock> {
  const deadline = Date.now() + options.timeoutMs;
  const ownerPath = `${options.lockPath}.owner.json`;
  let compromised = false;
  // proper-lockfile refuses less than 2 s.
  const stale = Math.max(options.staleMs ?? STALE_MS, 2000);
  for (;;) {
    try {
      const release = await lockfile.lock(options.target, {
        lockfilePath: options.lockPath,
        realpath: false,
        stale,
        retries: 0,
        // Never let a lost lock crash the process from a timer; the holder is told when it releases.
        onCompromised: () => {
          compromised = true;
        },
      });
      if (options.recordOwner) {
        const owner = {
          pid: process.pid,
          host: hostname(),
          since: new Date().toISOString(),
          command: process.argv.slice(1).join(' '),
        };
        await writeFile(ownerPath, JSON.stringify(owner), { mode: 0o600 }).catch(() => undefined);
      }
      return {
        get compromised() {
          return compromised;
        },
        async release() {
          if (options.recordOwner) await rm(ownerPath, { force: true });
          if (compromised) return;
          await release().catch((error: NodeJS.ErrnoException) => {
            if (error.code !== 'ERELEASED' && error.code !== 'ENOTACQUIRED') throw error;
          });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (options.signal?.aborted || Date.now() >= deadline) {
        throw new StateLockedError(options.lockPath, await lockedMessage(options, ownerPath), {
          cause: error,
          actions: [
            'Wait for the other bwdc process (a sync, a scheduled run or the desktop app) to finish and try again.',
            `If no other process is running, the lock clears itself within ${stale / 1000} seconds.`,
          ],
        });
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

async function lockedMessage(options: AcquireOptions, ownerPath: string): Promise<string> {
  let holder = 'another process';
  if (options.recordOwner) {
    try {
      const owner = JSON.parse(await readFile(ownerPath, 'utf8')) as {
        pid?: number;
        host?: string;
        since?: string;
      };
      holder = `process ${owner.pid} on ${owner.host} (since ${owner.since})`;
    } catch {
      // No record: an older holder, or one between taking the lock and writing the record.
    }
  }
  const waited =
    options.timeoutMs > 0 ? ` after waiting ${Math.round(options.timeoutMs / 1000)} s` : '';
  return `Cannot ${options.purpose}: ${holder} holds the lock ${options.lockPath}${waited}.`;
}
