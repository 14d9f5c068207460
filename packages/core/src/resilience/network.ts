/** Certificate errors: the server answered, but its certificate chain is not trusted here. */
const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The server answered a TLS hello with something else: a plain-http (or other) port. */
const NOT_TLS_CODES = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG']);

/** Whether the failure says the port does not speak TLS at all (no retry changes that). */
export function speaksNoTls(failure: NetworkFailure): boolean {
  return failure.code !== undefined && NOT_TLS_CODES.has(failure.code);
}

/** What a request that got no answer says about why. */
export interface NetworkFailure {
  /** `ECONNREFUSED`, `ECONNRESET`, a TLS code...; undefined when the error carries none. */
  readonly code: string | undefined;
  /** For messages: fetch's "fetch failed" with the useful part, its cause, added. */
  readonly detail: string;
  /** The certificate was not trusted: a missing CA, not a network outage. */
  readonly untrustedCertificate: boolean;
}

/**
 * Reads a network error from fetch, undici, node-fetch or gaxios. fetch's "fetch failed" hides
 * the useful part (ECONNREFUSED, a certificate code) in `cause`.
 */
export function describeNetworkError(error: unknown): NetworkFailure {
  const e = (error ?? {}) as {
    code?: unknown;
    errno?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  const cause = (e.cause ?? {}) as { code?: unknown; message?: unknown };
  const code = [e.code, cause.code, e.errno].find((c): c is string => typeof c === 'string');
  const message = typeof e.message === 'string' ? e.message : String(error);
  const inner =
    typeof cause.code === 'string'
      ? cause.code
      : typeof cause.message === 'string'
        ? cause.message
        : undefined;
  return {
    code,
    detail: inner && !message.includes(inner) ? `${message} (${inner})` : message,
    untrustedCertificate: code !== undefined && TLS_TRUST_CODES.has(code),
  };
}
