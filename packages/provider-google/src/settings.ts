import type { KeyObject } from 'node:crypto';
import { checkServerUrl, type GSuiteConfig, type Logger } from '@bwdc/core';
import { GoogleError } from './errors';
import { GOOGLE_DIRECTORY_SCOPES, parsePrivateKey } from './token';

export const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
export const DEFAULT_ROOT_URL = 'https://admin.googleapis.com/';

/** The provider's resolved view of `gsuite.*`. */
export interface GoogleSettings {
  readonly clientEmail: string;
  readonly key: KeyObject;
  readonly adminUser: string;
  /** The read-only directory scopes asked for, and to be granted in domain-wide delegation. */
  readonly scopes: readonly string[];
  readonly customer: string | undefined;
  readonly domain: string | undefined;
  readonly tokenUri: string;
  readonly rootUrl: string;
}

/** Names the account in messages: the customer id or domain the admin configured. */
export function sourceOf(config: GSuiteConfig): string {
  const scope = config.customer?.trim() || config.domain?.trim();
  return scope ? `Google Workspace ${scope}` : 'Google Workspace';
}

/** Checks `gsuite.*` once: the key, the admin, a domain or customer, and https:// endpoints. */
export function resolveSettings(config: GSuiteConfig, logger: Logger): GoogleSettings {
  const source = sourceOf(config);
  const text = (v: string | undefined | null): string | undefined =>
    v == null || v.trim() === '' ? undefined : v.trim();
  const missing = [
    text(config.clientEmail) ? undefined : 'gsuite.clientEmail',
    text(config.privateKey) ? undefined : 'gsuite.privateKey',
    text(config.adminUser) ? undefined : 'gsuite.adminUser',
    text(config.domain) || text(config.customer) ? undefined : 'gsuite.domain (or gsuite.customer)',
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0) {
    throw new GoogleError(
      'not-configured',
      source,
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set.`,
      {
        actions: [
          "Load the service account's JSON key file and set the admin user and domain in the Google Workspace settings.",
        ],
      },
    );
  }
  const customer = text(config.customer);
  const domain = text(config.domain);
  if (customer && domain) {
    logger.debug(
      'gsuite.customer is set, so every domain of the account is read; gsuite.domain is not sent.',
      { customer, domain },
    );
  }
  const endpoint = (setting: string, value: string | undefined, fallback: string): string => {
    if (!value?.trim()) return fallback;
    // The config schema says the same; this guards objects that did not go through it.
    const checked = checkServerUrl(value);
    if (checked.ok) return checked.url.toString();
    throw new GoogleError('not-configured', source, `${setting} ${checked.problem}.`);
  };
  return {
    clientEmail: text(config.clientEmail)!,
    key: parsePrivateKey(config.privateKey!, source),
    adminUser: text(config.adminUser)!,
    scopes: GOOGLE_DIRECTORY_SCOPES,
    customer,
    domain,
    tokenUri: endpoint('gsuite.tokenUri', config.tokenUri, DEFAULT_TOKEN_URI),
    rootUrl: endpoint('gsuite.rootUrl', config.rootUrl, DEFAULT_ROOT_URL),
  };
}

/**
 * `customer` when set, else `domain`. Google restricts a list to `domain` whenever it is sent,
 * even next to `customer`, which is how upstream lost every user of a secondary domain (#1193);
 * with a customer id set, the domain is not sent and every domain of the account is read.
 */
export function scopeParams(settings: GoogleSettings): { customer: string } | { domain: string } {
  return settings.customer ? { customer: settings.customer } : { domain: settings.domain! };
}
