import { BwdcError, describeNetworkError, speaksNoTls } from '@bwdc/core';

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

/**
 * A request that got no answer after every attempt, saying why in terms of what to change: an
 * https:// URL for a plain-http port (a URL typed without a scheme gets https://), a certificate
 * from a CA this machine does not trust, or else the network.
 */
export function noAnswerError(
  label: string,
  url: string,
  attempts: number,
  error: unknown,
): BitwardenApiError {
  const failure = describeNetworkError(error);
  const details = { status: 0, serverMessage: failure.detail };
  const { origin, host } = new URL(url);
  if (speaksNoTls(failure)) {
    return new BitwardenApiError(label, details, {
      cause: error,
      message: `Bitwarden did not answer ${label}: ${origin} does not speak TLS (${failure.code}), so it is probably a plain-http port.`,
      actions: [
        `A server URL typed without http:// or https:// gets https://. If this server is on plain http, set it so: bwdc config server http://${host}`,
        "Otherwise set the server's https address: bwdc config server https://<host>:<https port>",
      ],
    });
  }
  if (failure.untrustedCertificate) {
    return new BitwardenApiError(label, details, {
      cause: error,
      message: `Bitwarden did not answer ${label}: the certificate of ${origin} is not trusted here (${failure.code ?? failure.detail}).`,
      actions: [
        'If it comes from a private or self-signed CA, give bwdc that CA in a PEM file: NODE_EXTRA_CA_CERTS=/path/to/ca.pem (in the environment of bwdc, of its service or of the desktop app).',
        'If the server has a public certificate, check the server URL (bwdc config server) and any TLS-inspecting proxy (HTTPS_PROXY).',
      ],
    });
  }
  return new BitwardenApiError(label, details, {
    cause: error,
    message: `Bitwarden did not answer ${label} after ${attempts} attempt(s): ${failure.detail}`,
    actions: [
      'Check the server URL, the network path and any proxy (HTTPS_PROXY/NO_PROXY), then try again.',
    ],
  });
}
