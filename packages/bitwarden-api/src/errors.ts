import { BwdcError } from '@bwdc/core';

/** What the server said, in whichever of its error shapes it used. */
export interface ServerErrorDetails {
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  serverMessage: string;
  validationErrors?: Record<string, string[]>;
}

/** A request to the Bitwarden API that failed: an error status, or no answer after every retry. */
export class BitwardenApiError extends BwdcError {
  readonly status: number;
  readonly serverMessage: string;
  readonly validationErrors?: Record<string, string[]>;
  /** e.g. `POST https://api.bitwarden.com/public/organization/import`. */
  readonly request: string;

  constructor(
    request: string,
    details: ServerErrorDetails,
    options?: { cause?: unknown; actions?: readonly string[]; message?: string },
  ) {
    super('BITWARDEN_REQUEST_FAILED', options?.message ?? describe(request, details), options);
    this.request = request;
    this.status = details.status;
    this.serverMessage = details.serverMessage;
    if (details.validationErrors) this.validationErrors = details.validationErrors;
  }
}

/** The identity server refused the organization API key, or the API refused the token. */
export class BitwardenAuthError extends BwdcError {
  readonly status: number;
  readonly serverMessage: string;

  constructor(
    message: string,
    details: ServerErrorDetails,
    options?: { cause?: unknown; actions?: readonly string[] },
  ) {
    super('BITWARDEN_AUTH_FAILED', message, options);
    this.status = details.status;
    this.serverMessage = details.serverMessage;
  }
}

function describe(request: string, d: ServerErrorDetails): string {
  const head =
    d.status === 0
      ? `Bitwarden did not answer ${request}`
      : `Bitwarden answered ${request} with HTTP ${d.status}`;
  const lines = Object.entries(d.validationErrors ?? {}).flatMap(([field, messages]) =>
    messages.map((m) => `  ${field || '(request)'}: ${m}`),
  );
  return [`${head}: ${d.serverMessage}`, ...lines].join('\n');
}
