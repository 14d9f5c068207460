import { DirectoryError, type ErrorCode } from '@bwdc/core';

/**
 * What went wrong with Google, as a stable value callers and tests can branch on. The message
 * says the same thing in words and names the setting to fix.
 */
export type GoogleErrorKind =
  | 'not-configured'
  | 'bad-private-key'
  | 'service-account-not-found'
  | 'delegation-not-granted'
  | 'unknown-admin-user'
  | 'admin-not-authorized'
  | 'api-not-enabled'
  | 'invalid-customer'
  | 'invalid-domain'
  | 'invalid-query'
  | 'clock-skew'
  | 'rate-limited'
  | 'unreachable'
  | 'token-failed'
  | 'request-failed';

const CODE_OF_KIND: Readonly<Record<GoogleErrorKind, Extract<ErrorCode, `DIRECTORY_${string}`>>> = {
  'not-configured': 'DIRECTORY_NOT_CONFIGURED',
  'bad-private-key': 'DIRECTORY_AUTH_FAILED',
  'service-account-not-found': 'DIRECTORY_AUTH_FAILED',
  'delegation-not-granted': 'DIRECTORY_AUTH_FAILED',
  'unknown-admin-user': 'DIRECTORY_AUTH_FAILED',
  'admin-not-authorized': 'DIRECTORY_AUTH_FAILED',
  'api-not-enabled': 'DIRECTORY_AUTH_FAILED',
  'invalid-customer': 'DIRECTORY_READ_FAILED',
  'invalid-domain': 'DIRECTORY_READ_FAILED',
  'invalid-query': 'DIRECTORY_READ_FAILED',
  'clock-skew': 'DIRECTORY_AUTH_FAILED',
  'rate-limited': 'DIRECTORY_READ_FAILED',
  unreachable: 'DIRECTORY_UNREACHABLE',
  'token-failed': 'DIRECTORY_AUTH_FAILED',
  'request-failed': 'DIRECTORY_READ_FAILED',
};

export class GoogleError extends DirectoryError {
  readonly kind: GoogleErrorKind;
  /** Google's `errors[].reason` (`userRateLimitExceeded`...) or OAuth `error` (`unauthorized_client`...). */
  readonly reason: string | undefined;

  constructor(
    kind: GoogleErrorKind,
    source: string,
    message: string,
    options: {
      status?: number;
      reason?: string;
      cause?: unknown;
      actions?: readonly string[];
    } = {},
  ) {
    super(CODE_OF_KIND[kind], source, message, {
      cause: options.cause,
      actions: options.actions,
      status: options.status,
    });
    this.kind = kind;
    this.reason = options.reason;
  }
}

/** The parts of a failed HTTP exchange the provider decides on. */
export interface HttpFailure {
  readonly status: number | undefined;
  /** Google's first `errors[].reason`, or `error.status` (`PERMISSION_DENIED`) when there is none. */
  readonly reason: string | undefined;
  readonly message: string;
  readonly retryAfterMs: number | undefined;
  /** A network error code (`ECONNREFUSED`...) when no answer came back. */
  readonly networkCode: string | undefined;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function')
    return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

export function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Reads a gaxios error (what googleapis throws) without depending on gaxios' classes: status,
 * Google's error body and headers, or the network error code.
 */
export function describeHttpFailure(error: unknown): HttpFailure {
  const e = error as {
    response?: { status?: number; data?: unknown; headers?: unknown };
    code?: unknown;
    cause?: { code?: unknown };
    message?: string;
  };
  const response = e?.response;
  if (response && typeof response.status === 'number') {
    const body = response.data as
      | {
          error?:
            | {
                message?: string;
                status?: string;
                errors?: { reason?: string; message?: string }[];
              }
            | string;
          error_description?: string;
        }
      | undefined;
    const apiError = body && typeof body.error === 'object' ? body.error : undefined;
    return {
      status: response.status,
      reason:
        apiError?.errors?.[0]?.reason ??
        apiError?.status ??
        (typeof body?.error === 'string' ? body.error : undefined),
      message:
        apiError?.message ?? body?.error_description ?? e.message ?? `HTTP ${response.status}`,
      retryAfterMs: retryAfterMs(headerValue(response.headers, 'retry-after')),
      networkCode: undefined,
    };
  }
  const code =
    typeof e?.code === 'string'
      ? e.code
      : typeof e?.cause?.code === 'string'
        ? e.cause.code
        : undefined;
  return {
    status: undefined,
    reason: undefined,
    message: e?.message ?? String(error),
    retryAfterMs: undefined,
    networkCode: code,
  };
}

const RATE_LIMIT_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded']);

/** 403 rate-limit reasons, 429 and 5xx are worth retrying; so is a dropped connection. */
export function isRetryable(failure: HttpFailure): boolean {
  if (failure.status === undefined)
    return failure.networkCode !== undefined && failure.networkCode !== 'ABORT_ERR';
  if (failure.status === 429 || failure.status >= 500) return true;
  return (
    failure.status === 403 && failure.reason !== undefined && RATE_LIMIT_REASONS.has(failure.reason)
  );
}
