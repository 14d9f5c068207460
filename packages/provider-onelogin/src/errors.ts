import { CancelledError, DirectoryError } from '@bwdc/core';

/** A failure talking to OneLogin; `source` is the API base URL. */
export class OneLoginError extends DirectoryError {}

/** Network-level failures: aborts become CancelledError, anything else "cannot reach". */
export function toOneLoginNetworkError(error: unknown, apiUrl: string): Error {
  if (error instanceof DirectoryError || error instanceof CancelledError) return error;
  if ((error as { name?: unknown } | null)?.name === 'AbortError')
    return new CancelledError('The OneLogin read');
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail =
    typeof cause?.message === 'string'
      ? cause.message
      : error instanceof Error
        ? error.message
        : String(error);
  return new OneLoginError('DIRECTORY_UNREACHABLE', apiUrl, `cannot reach OneLogin: ${detail}`, {
    cause: error,
    actions: ['Check onelogin.region (or onelogin.apiUrl) and the network connection.'],
  });
}

/** Reads OneLogin's error message from either of its error body shapes. */
export function oneLoginMessage(body: unknown): string | undefined {
  const b = body as { status?: { message?: unknown }; message?: unknown } | null;
  if (typeof b?.status?.message === 'string') return b.status.message;
  if (typeof b?.message === 'string') return b.message;
  return undefined;
}
