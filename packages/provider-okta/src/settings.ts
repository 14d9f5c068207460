import { checkServerUrl, type OktaConfig } from '@bwdc/core';
import { OktaError } from './errors';

/** The provider's resolved view of `okta.*`. */
export interface OktaSettings {
  /** The org URL without a trailing slash, e.g. `https://example.okta.com`. */
  readonly orgUrl: string;
  readonly token: string;
  /** Share (0..1] of each Okta rate-limit bucket this connector may use per window. */
  readonly rateLimitShare: number;
}

/** Checks `okta.*` once: an https:// org URL (http:// on loopback only) and an API token. */
export function resolveSettings(config: OktaConfig, rateLimitShare?: number): OktaSettings {
  const raw = (config.orgUrl ?? '').replace(/\/+$/, '');
  if (!raw) {
    throw new OktaError('DIRECTORY_NOT_CONFIGURED', 'okta', 'okta.orgUrl is not set', {
      actions: ['Set okta.orgUrl to your Okta org, e.g. https://example.okta.com.'],
    });
  }
  const checked = checkServerUrl(raw);
  if (!checked.ok) {
    throw new OktaError('DIRECTORY_NOT_CONFIGURED', raw, `okta.orgUrl ${checked.problem}`);
  }
  const orgUrl = checked.url.href.replace(/\/+$/, '');
  if (!config.token) {
    throw new OktaError('DIRECTORY_NOT_CONFIGURED', orgUrl, 'okta.token is not set', {
      actions: [
        'Create an API token in the Okta Admin Console (Security > API > Tokens) and save it as okta.token.',
      ],
    });
  }
  // `okta.rateLimitShare` is read when the config schema carries it; until then the io option sets it.
  const configured = (config as OktaConfig & { rateLimitShare?: number }).rateLimitShare;
  return { orgUrl, token: config.token, rateLimitShare: rateLimitShare ?? configured ?? 0.5 };
}
