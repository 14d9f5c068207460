import { CancelledError, DirectoryError, retryAfterMs, type HeadersLike } from '@bwdc/core';
import {
  restNetworkError,
  restStatusError,
  type RestCall,
  type RestService,
} from '@bwdc/directory-provider';

/** A failure talking to Okta; `source` is the org URL. */
export class OktaError extends DirectoryError {}

/** How Okta's failures read, for the shared REST error mapping. */
export const OKTA: RestService = {
  errorClass: OktaError,
  name: 'Okta',
  credentials: 'the API token (okta.token)',
  fixes: {
    rejected:
      'Create a new API token in the Okta Admin Console (Security > API > Tokens) and save it as okta.token.',
    forbidden:
      'Create the token as an admin who can read users and groups (e.g. Read-Only Administrator).',
    filter: (setting) => `Fix the Okta filter expression after the "|" in ${setting}.`,
    rateLimited:
      'Run the sync later, or raise the API rate limit share of this integration in Okta.',
    unreachable: 'Check okta.orgUrl and the network connection.',
  },
};

const CANCELLED = 'The Okta read';

/** What the SDK throws for an error answer (OktaApiError, HttpError) or the network threw. */
interface ErrorShape {
  name?: unknown;
  status?: unknown;
  errorSummary?: unknown;
  message?: unknown;
  headers?: unknown;
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
  const status = Number(e.status);
  if (!Number.isFinite(status) || status <= 0) {
    return restNetworkError(OKTA, orgUrl, error, CANCELLED);
  }
  const message =
    typeof e.errorSummary === 'string' && e.errorSummary
      ? e.errorSummary
      : typeof e.message === 'string'
        ? e.message
        : String(error);
  const headers = e.headers as HeadersLike | undefined;
  const call: RestCall = { what, ...(filterSetting ? { filterSetting } : {}) };
  return restStatusError(OKTA, orgUrl, call, {
    status,
    message,
    cause: error,
    ...(status === 429 ? { retryAfterMs: retryAfterMs(headers) } : {}),
  });
}
