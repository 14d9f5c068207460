import { DirectoryError } from '@bwdc/core';

/**
 * A failure talking to Entra ID: the token endpoint or Microsoft Graph. The message names the
 * call, what went wrong, and the setting or permission to fix.
 */
export class EntraError extends DirectoryError {}
