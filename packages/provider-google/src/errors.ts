import {
  DirectoryError,
  TimeoutError,
  describeNetworkError,
  retryAfterMs,
  type ErrorCode,
  type HeadersLike,
  type Verdict,
} from '@bwdc/core';
import type { GoogleSettings } from './settings';

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
      retryAfterMs: retryAfterMs(response.headers as HeadersLike | undefined),
      networkCode: undefined,
    };
  }
  // A timeout of ours reads as a dropped connection: worth another attempt.
  const code = error instanceof TimeoutError ? 'ETIMEDOUT' : describeNetworkError(error).code;
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

/** The retry verdict on one failure: quota errors wait as Google asks (or back off), the rest fail. */
export function verdictOf(failure: HttpFailure): Verdict {
  if (!isRetryable(failure)) return { verdict: 'fail' };
  return { verdict: 'retry-after', reason: describe(failure), waitMs: failure.retryAfterMs };
}

/** `403 userRateLimitExceeded`, `503`, or the network code. */
export function describe(failure: HttpFailure): string {
  if (failure.status === undefined) return failure.networkCode ?? 'a network error';
  return `${failure.status}${failure.reason ? ` ${failure.reason}` : ''}`;
}

/** A call still failing after its retries: unreachable, or throttled for good. */
export function giveUp(
  source: string,
  what: string,
  url: string,
  failure: HttpFailure,
  attempts: number,
): GoogleError {
  if (failure.status === undefined) {
    return new GoogleError(
      'unreachable',
      source,
      `cannot reach ${url} for ${what} (${failure.networkCode ?? failure.message}) after ${attempts} attempt(s).`,
      {
        actions: [
          'Check the network, proxy and firewall, and gsuite.tokenUri / gsuite.rootUrl if you set them.',
        ],
      },
    );
  }
  return new GoogleError(
    'rate-limited',
    source,
    `Google kept answering ${describe(failure)} to ${what}; gave up after ${attempts} attempts.`,
    {
      status: failure.status,
      reason: failure.reason,
      actions: [
        'Try again later; if it persists, raise the Admin SDK quota of the Google Cloud project or sync less often.',
      ],
    },
  );
}

/** The directory calls, for messages and for telling which filter setting a query came from. */
export type ListCall = 'users.list' | 'groups.list' | 'members.list';

/** An API failure that retrying does not fix, as the setting or grant to change. */
export function apiError(
  source: string,
  s: GoogleSettings,
  what: ListCall,
  query: string | undefined,
  failure: HttpFailure,
  cause: unknown,
): GoogleError {
  const said = `Google answered ${describe(failure)}: "${failure.message}"`;
  const options = { status: failure.status, reason: failure.reason, cause: stripped(cause) };
  const reason = failure.reason;
  if (
    failure.status === 403 &&
    (reason === 'accessNotConfigured' ||
      reason === 'SERVICE_DISABLED' ||
      /has not been used|is disabled/i.test(failure.message))
  ) {
    return new GoogleError(
      'api-not-enabled',
      source,
      `the Admin SDK API is not enabled in the Google Cloud project of service account ${s.clientEmail} (${said}).`,
      {
        ...options,
        actions: [
          'Enable "Admin SDK API" in the Google Cloud console (APIs & Services > Library) for that project, wait a few minutes, and try again.',
        ],
      },
    );
  }
  if (
    failure.status === 403 &&
    (reason === 'insufficientPermissions' || reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT')
  ) {
    return new GoogleError(
      'delegation-not-granted',
      source,
      `the access token lacks a scope that ${what} needs: the domain-wide delegation of ${s.clientEmail} is missing a scope (${said}).`,
      {
        ...options,
        actions: [
          `Grant exactly these scopes under Security > API controls > Domain-wide delegation: ${s.scopes.join(',')}`,
        ],
      },
    );
  }
  if (failure.status === 403 || failure.status === 401) {
    return new GoogleError(
      'admin-not-authorized',
      source,
      `gsuite.adminUser "${s.adminUser}" may not read this account's directory (${said}).` +
        (s.customer
          ? ` Also check that gsuite.customer "${s.customer}" is this account's customer id.`
          : ''),
      {
        ...options,
        actions: [
          'Set gsuite.adminUser to a super administrator (or an admin with the Users and Groups read privileges).',
        ],
      },
    );
  }
  if (failure.status === 400 && reason === 'badRequest' && s.customer) {
    return new GoogleError(
      'invalid-customer',
      source,
      `gsuite.customer "${s.customer}" is not this account's customer id (${said}).`,
      {
        ...options,
        actions: [
          'Copy the customer ID from Admin console > Account > Account settings, or use "my_customer".',
        ],
      },
    );
  }
  if (failure.status === 404 && what !== 'members.list' && !s.customer && s.domain) {
    return new GoogleError(
      'invalid-domain',
      source,
      `gsuite.domain "${s.domain}" is not a domain of this Google Workspace account (${said}).`,
      {
        ...options,
        actions: [
          'Set gsuite.domain to a primary or secondary domain of the account, or set gsuite.customer to read every domain.',
        ],
      },
    );
  }
  if (failure.status === 400 && query) {
    const setting = what === 'users.list' ? 'sync.userFilter' : 'sync.groupFilter';
    return new GoogleError(
      'invalid-query',
      source,
      `${setting}: Google rejected the query "${query}" after "|" (${said}).`,
      {
        ...options,
        actions: [
          'Fix the query; see "Search for users" / "Search for groups" in the Directory API documentation.',
        ],
      },
    );
  }
  return new GoogleError('request-failed', source, `${what} failed (${said}).`, options);
}

/** gaxios errors carry the request config (headers with the bearer token); keep only the text. */
function stripped(error: unknown): Error | undefined {
  return error instanceof Error ? new Error(error.message) : undefined;
}
