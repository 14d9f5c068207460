import type { RetryPolicy, Timer } from '@bwdc/core';

/**
 * The seams of a provider that calls a network service, the same for each: tests make its waits
 * instant and its retries few; production passes neither.
 */
export interface ResilienceIo {
  /** Waits between retries; tests inject a fast one. A cancel still ends the wait at once. */
  readonly sleep?: Timer;
  /** Overrides of the provider's retry policy (attempts, backoff, waits, the per-attempt timeout). */
  readonly retry?: Partial<RetryPolicy>;
}

/** What a provider's client retries with: the provider's own policy, with the overrides applied. */
export interface Resilience {
  readonly policy: RetryPolicy;
  readonly timer?: Timer;
}

export function resilienceOf(policy: RetryPolicy, io: ResilienceIo): Resilience {
  return { policy: { ...policy, ...io.retry }, ...(io.sleep ? { timer: io.sleep } : {}) };
}
