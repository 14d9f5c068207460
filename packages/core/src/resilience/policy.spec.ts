import { describe, expect, it } from '@jest/globals';
import { backoffDelay, type RetryPolicy } from './policy';

describe('backoffDelay', () => {
  const policy: RetryPolicy = {
    attempts: 8,
    baseDelayMs: 1000,
    maxDelayMs: 64_000,
    jitter: 0.5,
    maxWaitMs: 120_000,
  };

  it('doubles per attempt with jitter between half and all of the step, up to the cap', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(policy, a, () => 0))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect([1, 2, 3, 4].map((a) => backoffDelay(policy, a, () => 0.999999))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
    expect(backoffDelay(policy, 11, () => 0.999999)).toBe(64_000);
  });

  it('waits exactly the step without jitter', () => {
    const exact = { ...policy, jitter: 0, maxDelayMs: 30_000 };
    expect([1, 2, 3, 6, 9].map((a) => backoffDelay(exact, a, () => 0.7))).toEqual([
      1000, 2000, 4000, 30_000, 30_000,
    ]);
  });
});
