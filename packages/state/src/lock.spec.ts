import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock } from './lock';
import { StateLockedError } from './errors';

/** A lock in a new folder, refused at once when held. */
function lockOptions() {
  const dir = mkdtempSync(join(tmpdir(), 'bwdc-lock-'));
  return {
    target: join(dir, 'data.json'),
    lockPath: join(dir, 'sync.lock'),
    timeoutMs: 0,
    purpose: `start a sync in ${dir}`,
  };
}

describe('acquireLock', () => {
  it('names a holder that writes its record just after taking the lock', async () => {
    const options = lockOptions();
    const held = await acquireLock(options);
    // The window a second process can fall into: the lock taken, its record not written yet.
    const ownerPath = `${options.lockPath}.owner.json`;
    renameSync(ownerPath, `${ownerPath}.aside`);
    setTimeout(() => {
      writeFileSync(
        ownerPath,
        JSON.stringify({ pid: 424242, host: 'elsewhere', since: '2026-01-01T00:00:00Z' }),
      );
    }, 300);
    const error = await acquireLock(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateLockedError);
    expect((error as Error).message).toMatch(
      /Cannot start a sync in .*: process 424242 on elsewhere \(since 2026-01-01T00:00:00Z\) holds the lock .*sync\.lock/,
    );
    renameSync(`${ownerPath}.aside`, ownerPath);
    await held.release();
  });

  it('says "another process" when a holder never writes a record', async () => {
    const options = lockOptions();
    const held = await acquireLock(options);
    const ownerPath = `${options.lockPath}.owner.json`;
    renameSync(ownerPath, `${ownerPath}.aside`);
    const error = await acquireLock(options).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/another process holds the lock/);
    renameSync(`${ownerPath}.aside`, ownerPath);
    await held.release();
  });
});
