import { CancelledError, DirectoryError } from '@bwdc/core';

/** A failure talking to Okta; `source` is the org URL. */
export class OktaError extends DirectoryError {}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

interface ErrorShape {
  name?: unknown;
  status?: unknown;
  code?: unknown;
  errno?: unknown;
  errorSummary?: unknown;
  errorCode?: unknown;
  message?: unknown;
}

/**
 * Turns what the SDK or the network threw into an OktaError that says what to do.
 * `what` names the call (`Reading users`); `filterSetting` names the filter that went with it.
 */
export function toOktaError(
  error: unknown,
  orgUrl: string,
  what: string,
  filterSetting?: string,
): Error {
  if (error instanceof DirectoryError || error instanceof CancelledError) return error;
  const e = (error ?? {}) as ErrorShape;
  if (e.name === 'AbortError') return new CancelledError('The Okta read');
  const status = typeof e.status === 'number' ? e.status : Number(e.status);
  const summary =
    typeof e.errorSummary === 'string'
      ? e.errorSummary
      : typeof e.message === 'string'
        ? e.message
        : String(error);
  const options = { cause: error, status: Number.isFinite(status) ? status : undefined };
  if (status === 401) {
    return new OktaError(
      'DIRECTORY_AUTH_FAILED',
      orgUrl,
      `Okta rejected the API token (okta.token): ${summary}`,
      {
        ...options,
        actions: [
          'Create a new API token in the Okta Admin Console (Security > API > Tokens) and save it as okta.token.',
        ],
      },
    );
  }
  if (status === 403) {
    return new OktaError(
      'DIRECTORY_AUTH_FAILED',
      orgUrl,
      `${what}: the API token may not do this: ${summary}`,
      {
        ...options,
        actions: [
          'Create the token as an admin who can read users and groups (e.g. Read-Only Administrator).',
        ],
      },
    );
  }
  if (status === 400 && filterSetting) {
    return new OktaError(
      'DIRECTORY_READ_FAILED',
      orgUrl,
      `${what}: Okta rejected the filter in ${filterSetting}: ${summary}`,
      {
        ...options,
        actions: [`Fix the Okta filter expression after the "|" in ${filterSetting}.`],
      },
    );
  }
  if (status === 429) {
    return new OktaError(
      'DIRECTORY_READ_FAILED',
      orgUrl,
      `${what}: Okta's rate limit is still exceeded after retrying: ${summary}`,
      {
        ...options,
        actions: [
          'Run the sync later, or raise the API rate limit share of this integration in Okta.',
        ],
      },
    );
  }
  if (Number.isFinite(status) && status > 0) {
    return new OktaError(
      'DIRECTORY_READ_FAILED',
      orgUrl,
      `${what} failed with HTTP ${status}: ${summary}`,
      options,
    );
  }
  const code =
    typeof e.code === 'string' ? e.code : typeof e.errno === 'string' ? e.errno : undefined;
  if (code && TLS_CODES.has(code)) {
    return new OktaError(
      'DIRECTORY_UNREACHABLE',
      orgUrl,
      `the server's TLS certificate is not trusted (${code}): ${summary}`,
      {
        ...options,
        actions: [
          'Check okta.orgUrl, or add the CA that signed the certificate to the trusted CAs (NODE_EXTRA_CA_CERTS).',
        ],
      },
    );
  }
  return new OktaError('DIRECTORY_UNREACHABLE', orgUrl, `cannot reach Okta: ${summary}`, {
    ...options,
    actions: ['Check okta.orgUrl and the network connection.'],
  });
}
