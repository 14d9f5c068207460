import { z } from 'zod';
import { checkServerUrl } from './url';

/** An optional text setting: absent, null and blank all mean "not set". */
export const optionalText = z
  .string()
  .nullish()
  .transform((v) => (v == null || v.trim() === '' ? undefined : v));

/**
 * An LDAP search path below the root path. Absent or null means "not set" (Active Directory then
 * searches `CN=Users`, as the official connector); a blank text is kept as `""`, which the
 * official app saves for a cleared path field and which means the root path itself.
 */
export const optionalPath = z
  .string()
  .nullish()
  .transform((v) => (v == null ? undefined : v.trim() === '' ? '' : v));

export const flag = (defaultValue: boolean) => z.boolean().default(defaultValue);

/** A URL setting. `http://` is accepted only for loopback hosts, which tests use for emulators. */
export const httpsUrl = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const checked = checkServerUrl(v, 'loopback');
    if (!checked.ok) {
      ctx.addIssue({ code: 'custom', message: checked.problem });
      return z.NEVER;
    }
    return checked.url.toString().replace(/\/+$/, '');
  });
