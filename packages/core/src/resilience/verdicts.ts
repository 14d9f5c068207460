import { BwdcError } from '../errors';
import { describeNetworkError, speaksNoTls } from './network';
import type { Outcome, Verdict } from './retry';
import { retryAfterMs, type HeadersLike } from './retry-after';

/**
 * The verdict on a request that got no answer: worth another attempt (a dropped connection, a
 * timeout), unless the certificate is not trusted (no retry adds a missing CA), the port does not
 * speak TLS (an https:// URL for a plain-http server), or the error is one of ours, raised on purpose.
 */
export function networkVerdict(error: unknown): Verdict {
  if (error instanceof BwdcError) return { verdict: 'fail' };
  const failure = describeNetworkError(error);
  return failure.untrustedCertificate || speaksNoTls(failure)
    ? { verdict: 'fail' }
    : { verdict: 'retry', reason: failure.detail };
}

/** Which answers are worth another attempt, and which of those wait as the server asks. */
export interface StatusRule {
  /** Default: 429 and 5xx. */
  readonly retried?: (status: number) => boolean;
  /**
   * Default: all of them. Okta sends its rate-limit reset on every answer; a 503 must back off,
   * not wait for the window.
   */
  readonly serverWait?: (status: number) => boolean;
}

/**
 * For APIs that send their rate-limit reset on every answer (Okta, OneLogin): a 429 waits for
 * the reset; a transient 5xx (500, 502, 503, 504) backs off instead of waiting for the window.
 */
export const RESET_ON_429_ONLY: StatusRule = {
  retried: (status) => status === 429 || [500, 502, 503, 504].includes(status),
  serverWait: (status) => status === 429,
};

/**
 * The usual verdict on one HTTP exchange: no answer as `networkVerdict` says; a retried status
 * after the wait the server asked for (`retryAfterMs`), or after the backoff when it did not say;
 * any other status is handed over as it is.
 */
export function httpVerdict(
  outcome: Outcome<{ readonly status: number; readonly headers: HeadersLike }>,
  rule: StatusRule = {},
): Verdict {
  if (!outcome.ok) return networkVerdict(outcome.error);
  const { status, headers } = outcome.value;
  if (!(rule.retried ?? ((s) => s === 429 || s >= 500))(status)) return { verdict: 'fail' };
  const reason = `HTTP ${status}`;
  return (rule.serverWait?.(status) ?? true)
    ? { verdict: 'retry-after', reason, waitMs: retryAfterMs(headers) }
    : { verdict: 'retry', reason };
}
