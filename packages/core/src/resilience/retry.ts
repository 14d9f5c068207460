import { CancelledError } from '../errors';
import { backoffDelay, type RetryPolicy } from './policy';
import { sleep, type Timer } from './sleep';
import { withTimeout } from './timeout';

/** What one attempt came to: a value (an HTTP response of any status, say) or an error. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown };

/**
 * A caller's judgement of one outcome: `fail` hands it over as it is; `retry` tries again after
 * the policy's backoff; `retry-after` tries again after the wait the server asked for
 * (`waitMs`, from `retryAfterMs`), or after the backoff when the server did not say.
 * `reason` is what the log says went wrong, e.g. `HTTP 429` or `ECONNRESET`.
 */
export type Verdict =
  | { readonly verdict: 'fail' }
  | { readonly verdict: 'retry'; readonly reason: string }
  | {
      readonly verdict: 'retry-after';
      readonly reason: string;
      readonly waitMs: number | undefined;
    };

/** One retry about to wait: the log vocabulary every caller shares. */
export interface RetryEvent {
  /** The attempt that just failed, 1 for the first. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
}

export interface RetryOptions<T> {
  readonly policy: RetryPolicy;
  readonly classify: (outcome: Outcome<T>) => Verdict;
  readonly signal?: AbortSignal;
  /** Called before each wait; callers log the event with their own context. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Names the work in a CancelledError, e.g. `The Okta read`. */
  readonly what?: string;
  /** Replaces the real timer between attempts (tests). */
  readonly timer?: Timer;
  /** Jitter source in [0, 1); default Math.random. */
  readonly random?: () => number;
}

/** What an attempt is given: its number (1 for the first) and a signal that aborts its request. */
export interface Attempt {
  readonly number: number;
  readonly signal: AbortSignal;
}

/**
 * Runs `operation` until the caller's classifier accepts its outcome, the policy's attempts are
 * used up, or a server asks for a wait longer than the policy allows; then returns the last value
 * or throws the last error, so the caller explains a lasting failure in its own words. Each
 * attempt runs under the policy's timeout (a TimeoutError aborts its request). A cancel ends the
 * attempt or the wait at once with a CancelledError.
 */
export async function retry<T>(
  operation: (attempt: Attempt) => Promise<T>,
  options: RetryOptions<T>,
): Promise<T> {
  const { policy, classify, signal, what } = options;
  for (let number = 1; ; number++) {
    if (signal?.aborted) throw new CancelledError(what);
    let outcome: Outcome<T>;
    try {
      const value = await withTimeout(
        (attemptSignal) => operation({ number, signal: attemptSignal }),
        policy.timeoutMs,
        signal,
        what,
      );
      outcome = { ok: true, value };
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      if (signal?.aborted) throw new CancelledError(what);
      outcome = { ok: false, error };
    }
    const verdict = classify(outcome);
    if (verdict.verdict === 'fail' || number >= policy.attempts) return settle(outcome);
    const asked = verdict.verdict === 'retry-after' ? verdict.waitMs : undefined;
    if (asked !== undefined && asked > policy.maxWaitMs) return settle(outcome);
    const delayMs = asked ?? backoffDelay(policy, number, options.random);
    options.onRetry?.({ attempt: number, delayMs, reason: verdict.reason });
    await sleep(delayMs, signal, { what, timer: options.timer });
  }
}

function settle<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}
