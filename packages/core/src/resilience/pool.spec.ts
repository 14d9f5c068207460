import { describe, expect, it } from '@jest/globals';
import { CancelledError } from '../errors';
import { mapPool } from './pool';

describe('mapPool', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running -= 1;
      return n * 10;
    });
    expect(out).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(peak).toBe(3);
  });

  it('throws the first failure, aborts the others and starts no more', async () => {
    const started: number[] = [];
    const aborted: number[] = [];
    const run = mapPool([1, 2, 3, 4, 5], 2, async (n, signal) => {
      started.push(n);
      if (n === 1) throw new Error('boom');
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      aborted.push(n);
      throw new Error('aborted');
    });
    await expect(run).rejects.toThrow('boom');
    expect(started).toEqual([1, 2]);
    expect(aborted).toEqual([2]);
  });

  it('stops taking items and throws a CancelledError when the caller cancels', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = mapPool(
      [1, 2, 3, 4],
      1,
      async (n) => {
        started.push(n);
        if (n === 2) controller.abort();
        return n;
      },
      controller.signal,
      'Reading the organization',
    );
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    await expect(run).rejects.toThrow('Reading the organization was cancelled.');
    expect(started).toEqual([1, 2]);
  });

  it('returns an empty list for no items', async () => {
    await expect(mapPool([], 4, async () => 1)).resolves.toEqual([]);
  });
});
