/**
 * Server URLs resolved the way the official connector does (DC `environment.service.ts`):
 * cloud US by default, cloud EU on request, `{base}/api` and `{base}/identity` for a self-hosted
 * base URL, explicit api/identity/webVault overriding either. Trailing slashes are stripped and a
 * missing scheme becomes https://. Unlike the official connector, plain http:// is refused except
 * for loopback hosts, so an API key is never sent in clear over a network.
 */
import { ConfigValidationError, type ConfigIssue } from '@bwdc/core';

/** data.json `environmentUrls`. */
export interface EnvironmentUrls {
  base?: string;
  api?: string;
  identity?: string;
  webVault?: string;
}

export interface ResolvedUrls {
  api: string;
  identity: string;
  webVault: string;
}

const CLOUD: Record<'us' | 'eu', ResolvedUrls> = {
  us: {
    api: 'https://api.bitwarden.com',
    identity: 'https://identity.bitwarden.com',
    webVault: 'https://vault.bitwarden.com',
  },
  eu: {
    api: 'https://api.bitwarden.eu',
    identity: 'https://identity.bitwarden.eu',
    webVault: 'https://vault.bitwarden.eu',
  },
};

/** @throws ConfigValidationError (code CONFIG_INVALID) naming each bad `environmentUrls.*` setting. */
export function resolveEnvironmentUrls(
  env: EnvironmentUrls & { region?: 'us' | 'eu' } = {},
): ResolvedUrls {
  const issues: ConfigIssue[] = [];
  const read = (key: keyof EnvironmentUrls): string | undefined => {
    const setting = `environmentUrls.${key}`;
    const result = normalizeUrl(env[key]);
    if (typeof result === 'object') {
      issues.push({ setting, message: result.problem });
      return undefined;
    }
    return result;
  };
  const base = read('base');
  const api = read('api');
  const identity = read('identity');
  const webVault = read('webVault');
  if (issues.length > 0) throw new ConfigValidationError(issues);

  const fallback = base
    ? { api: `${base}/api`, identity: `${base}/identity`, webVault: base }
    : CLOUD[env.region ?? 'us'];
  return {
    api: api ?? fallback.api,
    identity: identity ?? fallback.identity,
    webVault: webVault ?? fallback.webVault,
  };
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Whether a host is this machine, the only place http:// is allowed to reach. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname) || hostname.toLowerCase().endsWith('.localhost');
}

function normalizeUrl(value: string | undefined): string | undefined | { problem: string } {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { problem: `"${trimmed}" is not a valid URL` };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return {
      problem: `"${trimmed}" uses http://, which is allowed only for loopback hosts (localhost, 127.0.0.1, ::1); use https://`,
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { problem: `"${trimmed}" must be an https:// URL` };
  }
  if (url.search || url.hash || url.username || url.password) {
    return { problem: `"${trimmed}" must not contain credentials, a query or a fragment` };
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
