import { CancelledError, DirectoryError, describeNetworkError } from '@bwdc/core';
import { GraphError } from '@microsoft/microsoft-graph-client';

/**
 * A failure talking to Entra ID: the token endpoint or Microsoft Graph. The message names the
 * call, what went wrong, and the setting or permission to fix.
 */
export class EntraError extends DirectoryError {}

/** What a Graph call is for, for error messages. */
export interface GraphCall {
  /** e.g. `reading users (GET /users)` */
  readonly what: string;
  /** The least-privileged application permission the call needs. */
  readonly permission: string;
  /** The message for a 404, when the id came from the admin's settings. */
  readonly notFound?: string;
}

/** What the Graph client threw for `call`, as the permission, setting or retry to see to. */
export function graphError(
  error: unknown,
  call: GraphCall,
  source: string,
  retries: number,
): Error {
  if (error instanceof EntraError || error instanceof CancelledError) return error;
  const status = error instanceof GraphError ? error.statusCode : -1;
  const code = error instanceof GraphError ? (error.code ?? '') : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (status === 403) {
    return new EntraError(
      'DIRECTORY_AUTH_FAILED',
      source,
      `${call.what} was denied (${code || 'HTTP 403'}): the app registration needs the Microsoft Graph application permission ${call.permission} with admin consent`,
      {
        cause: error,
        actions: [
          `Add the application permission ${call.permission} to the app registration and grant admin consent.`,
        ],
      },
    );
  }
  if (status === 401) {
    return new EntraError(
      'DIRECTORY_AUTH_FAILED',
      source,
      `${call.what} was refused: Graph did not accept the access token (${code}: ${detail})`,
      {
        cause: error,
        actions: ['Check entra.graphUrl belongs to the same cloud as entra.identityAuthority.'],
      },
    );
  }
  if (status === 404 && call.notFound) {
    return new EntraError('DIRECTORY_READ_FAILED', source, call.notFound, { cause: error });
  }
  if (status === 429 || status === 503 || status === 504) {
    return new EntraError(
      'DIRECTORY_UNREACHABLE',
      source,
      `${call.what} failed: Graph answered HTTP ${status} (${code || 'throttled'}) and still did after ${retries} retries that waited as its Retry-After asked`,
      { cause: error, actions: ['Try again later; if it persists, sync less often.'] },
    );
  }
  if (status === -1 || status === undefined) {
    return new EntraError(
      'DIRECTORY_UNREACHABLE',
      source,
      `${call.what}: cannot reach Microsoft Graph: ${describeNetworkError(error).detail}`,
      {
        cause: error,
        actions: ['Check entra.graphUrl and the network path (proxy, firewall) to it.'],
      },
    );
  }
  return new EntraError(
    'DIRECTORY_READ_FAILED',
    source,
    `${call.what} failed with HTTP ${status} (${code}): ${detail}`,
    { cause: error },
  );
}
