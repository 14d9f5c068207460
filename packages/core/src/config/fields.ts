import { z } from 'zod';

/** An optional text setting: absent, null and blank all mean "not set". */
export const optionalText = z
  .string()
  .nullish()
  .transform((v) => (v == null || v.trim() === '' ? undefined : v));

export const flag = (defaultValue: boolean) => z.boolean().default(defaultValue);

/**
 * Reads a URL setting as the official connector does: trimmed, `https://` added when no scheme is
 * given. `http://` is refused for hosts other than this machine unless `allowPlainHttp` (the
 * Bitwarden server, which the official connector reaches over plain http too; see
 * `plainHttpWarning`).
 */
export function parseUrlSetting(
  text: string,
  options: { allowPlainHttp?: boolean } = {},
): { url: URL } | { problem: string } {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return { problem: `"${trimmed}" is not a URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `"${trimmed}" must be an https:// URL, not ${url.protocol}` };
  }
  if (url.protocol === 'http:' && !options.allowPlainHttp && !isLoopbackHost(url.hostname)) {
    return {
      problem: `"${trimmed}" uses http://, which is allowed only for loopback hosts (localhost, 127.0.0.1, ::1); use https://`,
    };
  }
  return { url };
}

/** A URL setting for a directory: https, or http on loopback (tests' emulators). */
export const httpsUrl = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const parsed = parseUrlSetting(v);
    if ('problem' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed.url.toString().replace(/\/+$/, '');
  });

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
