import { runOnSchedule } from '@bwdc/connector';
import { CancelledError } from '@bwdc/core';
import type { ScheduleState, SyncSummary } from '../shared/bridge';
import { toBridgeError } from './errors';
import { SyncScheduler } from './scheduler';

const summary = (n: number): SyncSummary => ({
  usersSynced: n,
  groupsSynced: 0,
  requestsSent: 1,
  skippedUnchanged: false,
  finishedAt: '2026-01-01T00:00:00.000Z',
  changes: null,
  removedFromPlan: [],
  warnings: [],
  warningCount: 0,
});

/** The shared loop with a sleep the test releases by hand, so no test waits on a clock. */
function controlledLoop() {
  const sleeps: { ms: number; release: () => void }[] = [];
  const loop: typeof runOnSchedule = (options) =>
    runOnSchedule({
      ...options,
      sleep: (ms, signal) =>
        new Promise<void>((resolve, reject) => {
          sleeps.push({ ms, release: resolve });
          signal.addEventListener('abort', () => reject(new CancelledError('The wait')), {
            once: true,
          });
        }),
    });
  return { loop, sleeps };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('SyncScheduler', () => {
  it('syncs at once, then once per interval through the shared runOnSchedule', async () => {
    const { loop, sleeps } = controlledLoop();
    let n = 0;
    const sync = jest.fn(async () => summary(++n));
    const scheduler = new SyncScheduler({
      runOnSchedule: loop,
      sync,
      describeError: toBridgeError,
    });
    expect(scheduler.start(5)).toMatchObject({ running: true, intervalMinutes: 5 });
    await flush();
    expect(sync).toHaveBeenCalledTimes(1);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]!.ms).toBeGreaterThan(4 * 60_000);
    expect(sleeps[0]!.ms).toBeLessThanOrEqual(5 * 60_000);
    sleeps[0]!.release();
    await flush();
    expect(sync).toHaveBeenCalledTimes(2);
    expect(scheduler.state().lastResult).toEqual(summary(2));
    await scheduler.stop();
    expect(scheduler.state()).toMatchObject({ running: false, syncing: false });
  });

  it('cancels the run in flight on stop and waits for the loop to end', async () => {
    let seen: AbortSignal | undefined;
    const sync = (signal: AbortSignal) =>
      new Promise<SyncSummary>((_resolve, reject) => {
        seen = signal;
        signal.addEventListener('abort', () => reject(new CancelledError('The sync')));
      });
    const scheduler = new SyncScheduler({
      runOnSchedule: controlledLoop().loop,
      sync,
      describeError: toBridgeError,
    });
    scheduler.start(10);
    await flush();
    expect(scheduler.state().syncing).toBe(true);
    const stopped = await scheduler.stop();
    expect(seen?.aborted).toBe(true);
    expect(stopped).toMatchObject({ running: false, syncing: false, lastError: null });
  });

  it('records a failed run and keeps the schedule going', async () => {
    const { loop, sleeps } = controlledLoop();
    const sync = jest
      .fn<Promise<SyncSummary>, [AbortSignal]>()
      .mockRejectedValueOnce(
        Object.assign(new Error('ldap://h: connection refused'), { code: 'DIRECTORY_UNREACHABLE' }),
      )
      .mockResolvedValueOnce(summary(3));
    const scheduler = new SyncScheduler({
      runOnSchedule: loop,
      sync,
      describeError: (e) => toBridgeError(e, 'ldap'),
    });
    scheduler.start(5);
    await flush();
    expect(scheduler.state()).toMatchObject({
      running: true,
      lastError: { code: 'DIRECTORY_UNREACHABLE', setting: 'ldap.hostname' },
    });
    sleeps[0]!.release();
    await flush();
    expect(scheduler.state()).toMatchObject({ lastError: null, lastResult: summary(3) });
    await scheduler.stop();
  });

  it('ignores a second start and reports every change', async () => {
    const changes: ScheduleState[] = [];
    const sync = jest.fn(async () => summary(1));
    const scheduler = new SyncScheduler({
      runOnSchedule: controlledLoop().loop,
      sync,
      describeError: toBridgeError,
      onChange: (s) => changes.push(s),
    });
    scheduler.start(5);
    scheduler.start(30);
    await flush();
    expect(sync).toHaveBeenCalledTimes(1);
    expect(scheduler.state().intervalMinutes).toBe(5);
    expect(changes.some((c) => c.syncing)).toBe(true);
    await scheduler.stop();
    expect(changes.at(-1)).toMatchObject({ running: false });
  });

  it('runs Sync Now outside the loop and remembers its outcome', async () => {
    const sync = jest
      .fn<Promise<SyncSummary>, [AbortSignal]>()
      .mockResolvedValueOnce(summary(7))
      .mockRejectedValueOnce(new Error('nope'));
    const scheduler = new SyncScheduler({
      runOnSchedule: controlledLoop().loop,
      sync,
      describeError: toBridgeError,
      now: () => new Date('2026-02-03T04:05:06Z'),
    });
    await expect(scheduler.runOnce()).resolves.toEqual(summary(7));
    expect(scheduler.state()).toMatchObject({
      running: false,
      lastResult: summary(7),
      lastRunAt: '2026-02-03T04:05:06.000Z',
    });
    await expect(scheduler.runOnce()).rejects.toThrow('nope');
    expect(scheduler.state().lastError).toEqual({ code: 'INTERNAL', message: 'nope' });
  });
});
