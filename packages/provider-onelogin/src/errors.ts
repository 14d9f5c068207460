import { DirectoryError } from '@bwdc/core';
import type { RestService } from '@bwdc/directory-provider';

/** A failure talking to OneLogin; `source` is the API base URL. */
export class OneLoginError extends DirectoryError {}

/** How OneLogin's failures read, for the shared REST error mapping. */
export const ONELOGIN: RestService = {
  errorClass: OneLoginError,
  name: 'OneLogin',
  credentials: 'the access token',
  fixes: {
    rejected: 'Check the API credentials under Developers > API Credentials in OneLogin.',
    forbidden: 'Give the API credentials at least "Read users" access in OneLogin.',
    filter: (setting) =>
      `Fix the OneLogin query after the "|" in ${setting} (e.g. email=*@example.com&status=1).`,
    rateLimited: 'Run the sync later.',
    unreachable: 'Check onelogin.region (or onelogin.apiUrl) and the network connection.',
  },
};

/** Reads OneLogin's error message from either of its error body shapes. */
export function oneLoginMessage(body: unknown): string | undefined {
  const b = body as { status?: { message?: unknown }; message?: unknown } | null;
  if (typeof b?.status?.message === 'string') return b.status.message;
  if (typeof b?.message === 'string') return b.message;
  return undefined;
}
