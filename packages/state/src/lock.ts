import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import * as lockfile from 'proper-lockfile';
import { StateLockedError } from './errors';

/**
 * A lock that is a directory next to the locked file (proper-lockfile): mkdir is atomic on every
 * local and network file system, the holder refreshes its mtime, and a holder that died leaves a
 * lock that goes stale after STALE_MS and is taken over. Each holder also records who it is
 * (`<lock>.owner.json`: pid, host, start); a lock whose recorded process is gone from this host is
 * taken over at once instead of after the stale time.
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
  signal?: AbortSignal;
  staleMs?: number;
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
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
      const owner: LockOwner & { command: string } = {
        pid: process.pid,
        host: hostname(),
        since: new Date().toISOString(),
        command: process.argv.slice(1).join(' '),
      };
      await writeOwner(ownerPath, owner);
      return {
        get compromised() {
          return compromised;
        },
        async release() {
          // The record goes first: a record without a lock is never read as someone's.
          if (!compromised) await rm(ownerPath, { force: true });
          if (compromised) return;
          await release().catch((error: NodeJS.ErrnoException) => {
            if (error.code !== 'ERELEASED' && error.code !== 'ENOTACQUIRED') throw error;
          });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (await takeOverFromDeadHolder(options.lockPath, ownerPath)) continue;
      if (options.signal?.aborted || Date.now() >= deadline) {
        throw new StateLockedError(options.lockPath, await lockedMessage(options, ownerPath), {
          cause: error,
          actions: [
            'Wait for the other bwdc process (a sync, a scheduled run or the desktop app) to finish and try again.',
          ],
        });
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

/**
 * The record appears whole or not at all (written beside, then renamed): a holder killed while
 * writing it must not leave a torn record, which would read as no record and make the next run
 * wait out the stale time. Without the record (a full disk) a dead holder's lock still clears
 * when it goes stale.
 */
async function writeOwner(ownerPath: string, owner: LockOwner): Promise<void> {
  const partial = `${ownerPath}.${process.pid}.partial`;
  try {
    await writeFile(partial, JSON.stringify(owner), { mode: 0o600 });
    await rename(partial, ownerPath);
  } catch {
    await rm(partial, { force: true }).catch(() => undefined);
  }
}

async function readOwner(ownerPath: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(ownerPath, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.host !== 'string') return undefined;
    return { pid: owner.pid, host: owner.host, since: String(owner.since ?? '') };
  } catch {
    // No record: an older holder, or one between taking the lock and writing the record.
    return undefined;
  }
}

/** Whether a process with this id runs on this machine (one we may not signal still runs). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux's USER_HZ, the unit of a process's start time in /proc: 100 on every architecture. */
const CLOCK_TICKS_PER_SECOND = 100;
/**
 * Slack for the boot time's whole seconds and the clock being set forward while a holder runs
 * (which moves the computed start of every process forward): a live holder is never taken for gone.
 */
const START_SLACK_MS = 60_000;

/**
 * Whether the process now running under the holder's id started after the holder took the lock:
 * then the holder is gone and its id was given to a newer process. Linux only (/proc); elsewhere,
 * or when /proc cannot be read, false, and the lock clears when it goes stale.
 */
async function startedAfter(owner: LockOwner): Promise<boolean> {
  const since = Date.parse(owner.since);
  if (!Number.isFinite(since)) return false;
  try {
    const [stat, system] = await Promise.all([
      readFile(`/proc/${owner.pid}/stat`, 'utf8'),
      readFile('/proc/stat', 'utf8'),
    ]);
    // The command name (field 2) may hold spaces and parentheses: count fields after its ")".
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const bootSeconds = Number(/^btime (\d+)$/m.exec(system)?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(bootSeconds)) return false;
    const started = bootSeconds * 1000 + (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
    return started > since + START_SLACK_MS;
  } catch {
    return false;
  }
}

/**
 * A lock whose recorded holder ran on this host and is gone (killed, crashed, the machine
 * restarted; its process id unused, or now a newer process's) is removed at once. Of several
 * processes that find it so, the one that renames the holder's record away removes the lock; the
 * others retry as usual.
 */
async function takeOverFromDeadHolder(lockPath: string, ownerPath: string): Promise<boolean> {
  const owner = await readOwner(ownerPath);
  if (!owner || owner.host !== hostname() || owner.pid === process.pid) return false;
  if (isRunning(owner.pid) && !(await startedAfter(owner))) return false;
  const claimed = `${ownerPath}.${process.pid}.takeover`;
  try {
    await rename(ownerPath, claimed);
  } catch {
    return false;
  }
  // The record may have been replaced between reading and renaming it: check the one renamed.
  const taken = await readOwner(claimed);
  await rm(claimed, { force: true });
  if (!taken || taken.pid !== owner.pid || taken.since !== owner.since) return false;
  await rm(lockPath, { recursive: true, force: true });
  return true;
}

/** How long a refusal waits for a holder that has just taken the lock to write its record. */
const RECORD_GRACE_MS = 2000;

/**
 * The holder's record, waiting briefly when the lock exists without one: a holder writes it just
 * after taking the lock, and a refusal that names the holder tells the admin which process to wait
 * for. An older holder that never writes one costs this wait once, on a refusal only.
 */
async function awaitOwner(lockPath: string, ownerPath: string): Promise<LockOwner | undefined> {
  const until = Date.now() + RECORD_GRACE_MS;
  for (;;) {
    const owner = await readOwner(ownerPath);
    if (owner || Date.now() >= until) return owner;
    try {
      await stat(lockPath);
    } catch {
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function lockedMessage(options: AcquireOptions, ownerPath: string): Promise<string> {
  const owner = await awaitOwner(options.lockPath, ownerPath);
  const holder = owner
    ? `process ${owner.pid} on ${owner.host}${owner.since ? ` (since ${owner.since})` : ''}`
    : 'another process';
  const waited =
    options.timeoutMs > 0 ? ` after waiting ${Math.round(options.timeoutMs / 1000)} s` : '';
  return `Cannot ${options.purpose}: ${holder} holds the lock ${options.lockPath}${waited}.${await staleNote(options, owner)}`;
}

/**
 * When the lock clears by itself: a live holder refreshes it every few seconds; one that stopped
 * refreshing (gone, or on another machine we cannot check) leaves it to go stale.
 */
async function staleNote(options: AcquireOptions, owner: LockOwner | undefined): Promise<string> {
  const stale = Math.max(options.staleMs ?? STALE_MS, 2000);
  let refreshed: number;
  try {
    refreshed = (await stat(options.lockPath)).mtimeMs;
  } catch {
    return '';
  }
  const ago = Math.max(0, Date.now() - refreshed);
  const expires = new Date(refreshed + stale).toISOString();
  if (ago >= stale * 0.7) {
    return ` The lock has not been refreshed for ${Math.round(ago / 1000)} s, so its holder looks stopped: it counts as stale and is taken over at ${expires} (in ${Math.max(0, Math.ceil((refreshed + stale - Date.now()) / 1000))} s).`;
  }
  if (owner && owner.host !== hostname()) {
    return ` If that process no longer runs on ${owner.host}, the lock counts as stale ${stale / 1000} s after its last refresh and is taken over then.`;
  }
  return '';
}
