import { checkServerUrl, type EntraConfig } from '@bwdc/core';
import { EntraError } from './errors';

/** Where tokens and Graph live for one configuration. */
export interface EntraEndpoints {
  /** e.g. `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token` */
  readonly tokenUrl: string;
  /** Origin of the identity authority, for messages. */
  readonly authority: string;
  /** Graph origin without a trailing slash, e.g. `https://graph.microsoft.com`. */
  readonly graphUrl: string;
  /** `{graph}/.default`: every application permission granted to the app. */
  readonly scope: string;
}

/** The provider's resolved view of `entra.*`. */
export interface EntraSettings {
  readonly tenant: string;
  readonly applicationId: string;
  readonly key: string;
  readonly endpoints: EntraEndpoints;
}

/**
 * National clouds: each identity authority has its own Graph endpoint (Microsoft's "national
 * cloud deployments" table). `entra.graphUrl` overrides the choice.
 */
const GRAPH_FOR_AUTHORITY: Readonly<Record<string, string>> = {
  'login.microsoftonline.com': 'https://graph.microsoft.com',
  'login.microsoftonline.us': 'https://graph.microsoft.us',
  'login.chinacloudapi.cn': 'https://microsoftgraph.chinacloudapi.cn',
  'login.partner.microsoftonline.cn': 'https://microsoftgraph.chinacloudapi.cn',
};

export const DEFAULT_AUTHORITY = 'login.microsoftonline.com';

/** Names the tenant in messages about its settings. */
function sourceOf(config: EntraConfig): string {
  const tenant = config.tenant?.trim();
  return tenant ? `Entra ID ${tenant}` : 'Entra ID';
}

/**
 * Checks `entra.*` once: the tenant, the application and its secret are set, and the identity
 * authority is https:// (http:// on loopback only). A setting problem is DIRECTORY_NOT_CONFIGURED,
 * as in every other provider.
 */
export function resolveSettings(config: EntraConfig): EntraSettings {
  const required = { tenant: config.tenant, applicationId: config.applicationId, key: config.key };
  const missing = Object.entries(required)
    .filter(([, value]) => value === undefined || value.trim() === '')
    .map(([name]) => `entra.${name}: is required for Entra ID`);
  if (missing.length > 0) {
    throw new EntraError('DIRECTORY_NOT_CONFIGURED', sourceOf(config), missing.join('\n'), {
      actions: [
        "Set entra.tenant (the directory ID), entra.applicationId (the app registration's application ID) and entra.key (a client secret's Value).",
      ],
    });
  }
  const tenant = config.tenant!.trim();
  return {
    tenant,
    applicationId: config.applicationId!.trim(),
    key: config.key!,
    endpoints: resolveEndpoints(config, tenant),
  };
}

/**
 * `entra.identityAuthority` is a host as upstream stores it (`login.microsoftonline.us`) or a full
 * URL; http:// only for loopback hosts, which is how tests reach an emulator.
 */
export function resolveEndpoints(config: EntraConfig, tenant: string): EntraEndpoints {
  const raw = (config.identityAuthority ?? DEFAULT_AUTHORITY).trim();
  const checked = checkServerUrl(raw);
  if (!checked.ok) {
    throw new EntraError(
      'DIRECTORY_NOT_CONFIGURED',
      sourceOf(config),
      `entra.identityAuthority ${checked.problem}`,
    );
  }
  const authority = checked.url;
  const base = `${authority.origin}${authority.pathname.replace(/\/+$/, '')}`;
  const graphUrl = (
    config.graphUrl ??
    GRAPH_FOR_AUTHORITY[authority.hostname.toLowerCase()] ??
    GRAPH_FOR_AUTHORITY[DEFAULT_AUTHORITY]!
  ).replace(/\/+$/, '');
  return {
    tokenUrl: `${base}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
    authority: authority.origin,
    graphUrl,
    scope: `${graphUrl}/.default`,
  };
}
