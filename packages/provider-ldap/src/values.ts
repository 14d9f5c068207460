import type { AttributeValue, EntryView } from './entry';

/**
 * Small, pure helpers for LDAP values: filter escaping, objectGUID, generalized time, DNs and
 * ids. Kept apart from I/O so they are unit-tested directly.
 */

/** RFC 4515 escaping of a value placed inside a filter assertion. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/**
 * objectGUID in the official connector's string form: the first three fields byte-swapped
 * (little-endian on the wire), lower-case, dashed. Existing organizations keep their links.
 */
export function guidToString(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new Error(`objectGUID must be 16 bytes, got ${bytes.length}`);
  const h = (i: number): string => HEX[bytes[i]!]!;
  return `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

/**
 * A generalized time for a `>=` filter, at whole seconds. AD's form carries a fraction
 * (`20240102030405.0Z`); OpenLDAP's does not. Both servers accept their own form.
 */
export function toGeneralizedTime(date: Date, withFraction: boolean): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const base = `${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`;
  return withFraction ? `${base}.0Z` : `${base}Z`;
}

/** Parses `YYYYMMDDHHMMSS[.f]Z` (the forms AD and OpenLDAP return); undefined otherwise. */
export function parseGeneralizedTime(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:[.,](\d+))?Z$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const date = new Date(
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms),
  );
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * A comparable form of a DN: lower-cased, without the optional spaces around separators.
 * Escaped characters are kept as they are, so `cn=a\, b` stays one RDN.
 */
export function normalizeDn(dn: string): string {
  if (isPlainLowerCase(dn)) return dn;
  // Most DNs have neither escapes nor optional spaces: skip the character walk for them.
  if (!dn.includes('\\') && !dn.includes(' ')) return dn.toLowerCase();
  let out = '';
  let pendingSpace = '';
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i]!;
    if (c === '\\' && i + 1 < dn.length) {
      out += pendingSpace + c + dn[i + 1]!;
      pendingSpace = '';
      i++;
    } else if (c === ',' || c === '=' || c === '+') {
      out += c;
      pendingSpace = '';
      while (dn[i + 1] === ' ') i++;
    } else if (c === ' ') {
      pendingSpace += c;
    } else {
      out += pendingSpace + c;
      pendingSpace = '';
    }
  }
  return out.toLowerCase();
}

/**
 * True when a DN is its own normal form: ASCII without capitals, spaces or escapes (DNs a
 * directory writes in lower case, such as OpenLDAP's usual ones). Checked without allocating.
 */
function isPlainLowerCase(dn: string): boolean {
  for (let i = 0; i < dn.length; i++) {
    const c = dn.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c === 32 || c === 92 || c > 127) return false;
  }
  return true;
}

/** A member value that names an entry (rather than a memberUid login name). */
export function isDnLike(value: string): boolean {
  return value.includes('=') && (value.includes(',') || /^[a-z][\w-]*=/i.test(value));
}

/** objectGUID in upstream's form when present, else the DN (upstream's rule for users and groups). */
export function objectId(view: EntryView): string {
  const guid = view.first('objectGUID');
  if (guid !== undefined) return idString(guid);
  return view.dn;
}

/** An id attribute's value as text: a 16-byte binary value is a GUID, other binary hex. */
export function idString(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  return value.length === 16 ? guidToString(value) : value.toString('hex');
}

/** Whether `dn` is `base` or lies below it. */
export function isAtOrBelow(dn: string, base: string): boolean {
  const d = normalizeDn(dn);
  const b = normalizeDn(base);
  return d === b || d.endsWith(`,${b}`);
}

/** Attribute names without blanks and case-insensitive repeats, in order. */
export function unique(names: readonly (string | undefined)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of names) {
    if (!name || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}
