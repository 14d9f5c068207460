import { ConfigValidationError, isLoopbackHost, type EntraConfig } from '@bwdc/core';

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

/**
 * `entra.identityAuthority` is a host as upstream stores it (`login.microsoftonline.us`) or a full
 * URL; http:// only for loopback hosts, which is how tests reach an emulator.
 */
export function resolveEndpoints(config: EntraConfig, tenant: string): EntraEndpoints {
  const raw = (config.identityAuthority ?? DEFAULT_AUTHORITY).trim();
  let authority: URL;
  try {
    authority = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw new ConfigValidationError([
      { setting: 'entra.identityAuthority', message: `"${raw}" is not a host name or URL` },
    ]);
  }
  if (
    authority.protocol !== 'https:' &&
    !(authority.protocol === 'http:' && isLoopbackHost(authority.hostname))
  ) {
    throw new ConfigValidationError([
      {
        setting: 'entra.identityAuthority',
        message: 'must use https:// (http:// is allowed only for loopback hosts)',
      },
    ]);
  }
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
