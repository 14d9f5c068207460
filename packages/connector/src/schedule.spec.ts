import { CancelledError } from '@bwdc/core';
import { runOnSchedule } from './schedule';

describe('runOnSchedule', () => {
  it('runs now, then again after each interval, until stopped', async () => {
    const stop = new AbortController();
    const waits: number[] = [];
    let runs = 0;
    await runOnSchedule({
      intervalMinutes: 5,
      signal: stop.signal,
      run: async () => ++runs,
      onResult: (n) => {
        if (n === 3) stop.abort();
      },
      sleep: async (ms, signal) => {
        waits.push(ms);
        if (signal.aborted) throw new CancelledError();
      },
    });
    expect(runs).toBe(3);
    // The third wait is cut short by the stop.
    expect(waits.slice(0, 2).every((ms) => ms > 4 * 60_000 && ms <= 5 * 60_000)).toBe(true);
  });

  it('runs even when nobody listens for results', async () => {
    const stop = new AbortController();
    let runs = 0;
    await runOnSchedule({
      intervalMinutes: 1,
      signal: stop.signal,
      run: async () => {
        if (++runs === 2) stop.abort();
      },
      sleep: async () => {},
    });
    expect(runs).toBe(2);
  });

  it('reports a failed run and goes on with the next', async () => {
    const stop = new AbortController();
    const errors: unknown[] = [];
    let runs = 0;
    await runOnSchedule({
      intervalMinutes: 1,
      signal: stop.signal,
      run: async () => {
        runs++;
        if (runs === 1) throw new Error('directory down');
        stop.abort();
        return runs;
      },
      onError: (error) => errors.push(error),
      sleep: async () => {},
    });
    expect(runs).toBe(2);
    expect(errors).toEqual([new Error('directory down')]);
  });

  it('cancels the run in flight when stopped and ends without reporting it as a failure', async () => {
    const stop = new AbortController();
    const errors: unknown[] = [];
    const finished = runOnSchedule({
      intervalMinutes: 1,
      signal: stop.signal,
      run: (signal) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => reject(new CancelledError('The sync')));
        }),
      onError: (error) => errors.push(error),
    });
    stop.abort();
    await finished;
    expect(errors).toEqual([]);
  });
});
