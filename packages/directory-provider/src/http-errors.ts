import { CancelledError, DirectoryError, describeNetworkError, type ErrorCode } from '@bwdc/core';

/** A provider's own `DirectoryError` subclass, e.g. `OktaError`. */
export type DirectoryErrorClass = new (
  code: Extract<ErrorCode, `DIRECTORY_${string}`>,
  source: string,
  message: string,
  options?: { cause?: unknown; actions?: readonly string[]; status?: number },
) => DirectoryError;

/** How a REST directory's failures read: its name, its credentials and what fixes each failure. */
export interface RestService {
  readonly errorClass: DirectoryErrorClass;
  /** The product as messages name it, e.g. `Okta`. */
  readonly name: string;
  /** What signs the calls, e.g. `the API token (okta.token)`. */
  readonly credentials: string;
  readonly fixes: {
    /** 401: the credentials were refused. */
    readonly rejected: string;
    /** 403: the credentials may not read users or groups. */
    readonly forbidden: string;
    /** 400 to a call that carried the native part of a filter setting. */
    readonly filter: (setting: string) => string;
    /** 429 that retrying did not get past. */
    readonly rateLimited: string;
    /** No answer: the URL settings and the network path. */
    readonly unreachable: string;
  };
}

/** One call, for messages: `Reading users`, and the filter setting whose query it sent. */
export interface RestCall {
  readonly what: string;
  readonly filterSetting?: string;
}

/**
 * The error for an HTTP answer a REST directory gave up on, with the fix in its actions.
 * `retryAfterMs` is how long the server still asked to wait, for a 429 that was not waited out.
 */
export function restStatusError(
  service: RestService,
  source: string,
  call: RestCall,
  answer: { status: number; message: string; retryAfterMs?: number; cause?: unknown },
): DirectoryError {
  const { status, message, cause } = answer;
  const make = (
    code: Extract<ErrorCode, `DIRECTORY_${string}`>,
    text: string,
    action?: string,
  ): DirectoryError =>
    new service.errorClass(code, source, text, {
      cause,
      status,
      ...(action ? { actions: [action] } : {}),
    });
  if (status === 401) {
    return make(
      'DIRECTORY_AUTH_FAILED',
      `${call.what}: ${service.name} rejected ${service.credentials}: ${message}`,
      service.fixes.rejected,
    );
  }
  if (status === 403) {
    return make(
      'DIRECTORY_AUTH_FAILED',
      `${call.what}: ${service.credentials} may not do this: ${message}`,
      service.fixes.forbidden,
    );
  }
  if (status === 400 && call.filterSetting) {
    return make(
      'DIRECTORY_READ_FAILED',
      `${call.what}: ${service.name} rejected the filter in ${call.filterSetting}: ${message}`,
      service.fixes.filter(call.filterSetting),
    );
  }
  if (status === 429) {
    const wait =
      answer.retryAfterMs === undefined
        ? ''
        : ` (it asks to wait ${Math.ceil(answer.retryAfterMs / 1000)} s more)`;
    return make(
      'DIRECTORY_READ_FAILED',
      `${call.what}: ${service.name}'s rate limit is still exceeded${wait}: ${message}`,
      service.fixes.rateLimited,
    );
  }
  return make('DIRECTORY_READ_FAILED', `${call.what} failed with HTTP ${status}: ${message}`);
}

/**
 * The error for a call that got no answer after its retries: a cancel stays a CancelledError,
 * an untrusted certificate says which CA to add, anything else is "cannot reach".
 */
export function restNetworkError(
  service: RestService,
  source: string,
  error: unknown,
  cancelled: string,
): Error {
  if (error instanceof DirectoryError || error instanceof CancelledError) return error;
  if ((error as { name?: unknown } | null)?.name === 'AbortError')
    return new CancelledError(cancelled);
  const failure = describeNetworkError(error);
  if (failure.untrustedCertificate) {
    return new service.errorClass(
      'DIRECTORY_UNREACHABLE',
      source,
      `the server's TLS certificate is not trusted (${failure.code}): ${failure.detail}`,
      {
        cause: error,
        actions: [
          `${service.fixes.unreachable} If the certificate is right, add the CA that signed it to the trusted CAs (NODE_EXTRA_CA_CERTS).`,
        ],
      },
    );
  }
  return new service.errorClass(
    'DIRECTORY_UNREACHABLE',
    source,
    `cannot reach ${service.name}: ${failure.detail}`,
    { cause: error, actions: [service.fixes.unreachable] },
  );
}
