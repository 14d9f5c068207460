import { z } from 'zod';
import { checkServerUrl } from './url';

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
    const checked = checkServerUrl(v, 'loopback');
    if (!checked.ok) {
      ctx.addIssue({ code: 'custom', message: checked.problem });
      return z.NEVER;
    }
    return checked.url.toString().replace(/\/+$/, '');
  });
