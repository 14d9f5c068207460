import { z } from 'zod';

/** An optional text setting: absent, null and blank all mean "not set". */
export const optionalText = z
  .string()
  .nullish()
  .transform((v) => (v == null || v.trim() === '' ? undefined : v));

export const flag = (defaultValue: boolean) => z.boolean().default(defaultValue);

/** A URL setting. `http://` is accepted only for loopback hosts, which tests use for emulators. */
export const httpsUrl = z
  .string()
  .trim()
  .transform((v, ctx) => {
    let url: URL;
    try {
      url = new URL(/^[a-z]+:\/\//i.test(v) ? v : `https://${v}`);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a URL` });
      return z.NEVER;
    }
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must use https:// (http:// is allowed only for loopback hosts)',
      });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `must be an https:// URL, not ${url.protocol}` });
      return z.NEVER;
    }
    return url.toString().replace(/\/+$/, '');
  });

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
