/** Where a server URL setting may use plain http://: only on this machine, or anywhere. */
export type HttpPolicy = 'loopback' | 'anywhere';

export type ServerUrlCheck =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly problem: string };

/**
 * The one check of a server URL setting (a directory's API, token endpoint or org URL). A value
 * without a scheme gets https://. https:// is always accepted; http:// as `http` allows: by
 * default only on loopback hosts, which is how tests reach the emulators. `problem` completes a
 * sentence that starts with the setting's name.
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
      problem: 'must use https:// (http:// is allowed only for loopback hosts)',
    };
  }
  if (url.protocol !== 'https:') {
    return { ok: false, problem: `must be an https:// URL, not ${url.protocol}` };
  }
  return { ok: true, url };
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
