import { describe, expect, it } from '@jest/globals';
import { CancelledError } from '@bwdc/core';
import { backoffDelay, sleepUnlessCancelled } from './retry';
import { mapWithConcurrency } from './pool';

describe('backoffDelay', () => {
  const policy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 64_000 };

  it('doubles per attempt with jitter between half and all of the step, up to the cap', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(policy, a, () => 0))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(policy, a, () => 0.999999))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
    expect(backoffDelay(policy, 10, () => 0.999999)).toBe(64_000);
  });

  it('waits at least what Retry-After asks, within the cap', () => {
    expect(backoffDelay(policy, 0, () => 0, 5000)).toBe(5000);
    expect(backoffDelay(policy, 0, () => 0, 10 * 60_000)).toBe(64_000);
    expect(backoffDelay(policy, 3, () => 0, 100)).toBe(4000);
  });
});

describe('sleepUnlessCancelled', () => {
  it('rejects with CancelledError when the signal fires during the wait', async () => {
    const controller = new AbortController();
    const wait = sleepUnlessCancelled(
      () => new Promise(() => undefined),
      1000,
      controller.signal,
      'x',
    );
    controller.abort();
    await expect(wait).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('mapWithConcurrency', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapWithConcurrency([1, 2, 3, 4, 5, 6, 7], 3, undefined, async (n) => {
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
    const run = mapWithConcurrency([1, 2, 3, 4, 5], 2, undefined, async (n, signal) => {
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
});
