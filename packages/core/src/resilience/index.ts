/**
 * The resilience layer every network caller shares: one retry policy and loop with a per-caller
 * classifier, the server's Retry-After and rate-limit resets read one way, a sleep and a
 * per-attempt timeout that a cancel ends at once, and one bounded pool with one failure rule.
 */
export { DEFAULT_RETRY_POLICY, backoffDelay, type RetryPolicy } from './policy';
export { sleep, type Timer } from './sleep';
export { TimeoutError, withTimeout } from './timeout';
export { RESET_PAD_MS, retryAfterMs, type HeadersLike } from './retry-after';
export {
  retry,
  type Attempt,
  type Outcome,
  type RetryEvent,
  type RetryOptions,
  type Verdict,
} from './retry';
export { mapPool } from './pool';
export { describeNetworkError, speaksNoTls, type NetworkFailure } from './network';
export { RESET_ON_429_ONLY, httpVerdict, networkVerdict, type StatusRule } from './verdicts';
