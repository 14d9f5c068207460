/**
 * Server URLs resolved the way the official connector does (DC `environment.service.ts`):
 * cloud US by default, cloud EU on request, `{base}/api` and `{base}/identity` for a self-hosted
 * base URL, explicit api/identity/webVault overriding either. Trailing slashes are stripped and a
 * missing scheme becomes https://. Plain http:// is accepted, as upstream accepts it, but beyond
 * this machine `plainHttpWarnings` names it so the CLI can warn when it is set and on every run.
 */
import {
  ConfigValidationError,
  isLoopbackHost,
  checkServerUrl,
  plainHttpWarning,
  type ConfigIssue,
} from '@bwdc/core';

export { isLoopbackHost };

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

/**
 * One warning per server reached over plain http:// beyond this machine (see `plainHttpWarning`
 * in @bwdc/core), for `bwdc config server` and every run. The API and identity URLs of one
 * server share a warning.
 */
export function plainHttpWarnings(urls: ResolvedUrls): string[] {
  const origins = new Set([urls.api, urls.identity].map((url) => new URL(url).origin));
  return [...origins]
    .map((origin) => plainHttpWarning('The Bitwarden server', origin))
    .filter((w): w is string => w !== undefined);
}

function normalizeUrl(value: string | undefined): string | undefined | { problem: string } {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  const checked = checkServerUrl(trimmed, 'anywhere');
  if (!checked.ok) return { problem: checked.problem };
  const url = checked.url;
  if (url.search || url.hash || url.username || url.password) {
    return { problem: `"${trimmed}" must not contain credentials, a query or a fragment` };
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
