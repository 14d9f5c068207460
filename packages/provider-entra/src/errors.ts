import { DirectoryError, type ErrorCode } from '@bwdc/core';

/**
 * A failure talking to Entra ID: the token endpoint or Microsoft Graph. The message names the
 * call, what went wrong, and the setting or permission to fix.
 */
export class EntraError extends DirectoryError {
  constructor(
    code: Extract<ErrorCode, `DIRECTORY_${string}`>,
    source: string,
    message: string,
    options?: { cause?: unknown; actions?: readonly string[] },
  ) {
    super(code, source, message, options);
  }
}
