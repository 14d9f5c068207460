import { checkServerUrl, type OneLoginConfig } from '@bwdc/core';
import { OneLoginError } from './errors';

/** The provider's resolved view of `onelogin.*`. */
export interface OneLoginSettings {
  /** The API base without a trailing slash, e.g. `https://api.us.onelogin.com`. */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** `https://api.{region}.onelogin.com` unless `onelogin.apiUrl` overrides it; names errors before it is checked. */
export function apiUrlOf(config: OneLoginConfig): string {
  return (config.apiUrl ?? `https://api.${config.region ?? 'us'}.onelogin.com`).replace(/\/+$/, '');
}

/** Checks `onelogin.*` once: an https:// API URL (http:// on loopback only) and both credentials. */
export function resolveSettings(config: OneLoginConfig): OneLoginSettings {
  const raw = apiUrlOf(config);
  const checked = checkServerUrl(raw);
  if (!checked.ok) {
    throw new OneLoginError('DIRECTORY_NOT_CONFIGURED', raw, `onelogin.apiUrl ${checked.problem}`);
  }
  if (!config.clientId || !config.clientSecret) {
    throw new OneLoginError(
      'DIRECTORY_NOT_CONFIGURED',
      raw,
      `${config.clientId ? 'onelogin.clientSecret' : 'onelogin.clientId'} is not set`,
      {
        actions: [
          'Create API credentials ("Read users" or higher) in OneLogin under Developers > API Credentials.',
        ],
      },
    );
  }
  return {
    apiUrl: checked.url.href.replace(/\/+$/, ''),
    clientId: config.clientId,
    clientSecret: config.clientSecret,
  };
}
