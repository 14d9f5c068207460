/** Where a server URL setting may use plain http://: only on this machine, or anywhere. */
export type HttpPolicy = 'loopback' | 'anywhere';

export type ServerUrlCheck =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly problem: string };

/**
 * The one check of a server URL setting (the Bitwarden server, a directory's API, token endpoint
 * or org URL), read as the official connector reads it: trimmed, https:// added when no scheme is
 * given. https:// is always accepted; http:// as `http` allows: by default only on loopback hosts
 * (how tests reach the emulators); `anywhere` for the Bitwarden server, which the official
 * connector also reaches over plain http (see `plainHttpWarning`).
 */
export function checkServerUrl(value: string, http: HttpPolicy = 'loopback'): ServerUrlCheck {
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { ok: false, problem: `"${text}" is not a URL` };
  }
  if (url.protocol === 'http:') {
    if (http === 'anywhere' || isLoopbackHost(url.hostname)) return { ok: true, url };
    return {
      ok: false,
      problem: `"${text}" uses http://, which is allowed only for loopback hosts (localhost, 127.0.0.1, ::1); use https://`,
    };
  }
  if (url.protocol !== 'https:') {
    return { ok: false, problem: `"${text}" must be an https:// URL, not ${url.protocol}` };
  }
  return { ok: true, url };
}

/** Whether a host is this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/**
 * The warning for a server reached over plain `http://` beyond this machine, printed when the
 * setting is saved and on every run; undefined for https and loopback.
 */
export function plainHttpWarning(setting: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' || isLoopbackHost(parsed.hostname)) return undefined;
  return (
    `${setting} ${url} uses plain http://: the organization API key, access tokens and ` +
    'every member’s email cross the network unencrypted. Use https:// unless the network between ' +
    'bwdc and the server is trusted.'
  );
}
