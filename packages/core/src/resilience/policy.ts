/**
 * How one caller retries: how many attempts, how long to back off between them, how long a
 * server may ask it to wait, and how long one attempt may take. Every network caller in bwdc
 * (the Bitwarden client and each cloud provider) states its own policy in this one shape.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included; 1 means no retry. */
  readonly attempts: number;
  /** The first backoff step; each retry doubles it, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * The random share of each step, 0 to 1: 0.5 waits between half and all of the step, which
   * spreads concurrent workers so they do not hit a quota again in lock-step; 0 waits the step.
   */
  readonly jitter: number;
  /**
   * The longest wait a server may ask for (Retry-After, a rate-limit reset). A longer one is not
   * waited out: the caller gets the server's answer at once, so a sync never sleeps for an hour.
   */
  readonly maxWaitMs: number;
  /** How long one attempt may take before it is aborted; undefined: no limit of our own. */
  readonly timeoutMs?: number;
}

/**
 * What a caller starts from and overrides where its server differs: 5 attempts, backoff from 1 s
 * doubling to 30 s with half of each step random, a server's wait honoured up to 2 minutes, 60 s
 * per attempt.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  jitter: 0.5,
  maxWaitMs: 120_000,
  timeoutMs: 60_000,
};

/**
 * The backoff after failed attempt `attempt` (1 for the first): the base doubled per retry,
 * capped at `maxDelayMs`, with the policy's share of it random.
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(step * (1 - jitter) + random() * step * jitter);
}
