/** One attribute value: text, or bytes (objectGUID, `;binary` types, values that are not UTF-8). */
export type AttributeValue = string | Buffer;
export type AttributeValues = readonly AttributeValue[];

/** Attribute values by lower-case name: one value, or several. */
export type EntryValues = Record<string, AttributeValue | AttributeValues>;

const lowerNames = new Map<string, string>();

/** `name` in lower case; the few names a read asks for are converted once. */
function lower(name: string): string {
  let low = lowerNames.get(name);
  if (low === undefined) {
    low = name.toLowerCase();
    if (lowerNames.size < 256) lowerNames.set(name, low);
  }
  return low;
}

/**
 * An entry as the reads use it: its DN, and attribute values found by name in any case (LDAP
 * attribute names are case-insensitive). Values are kept by lower-case name.
 */
export class EntryView {
  constructor(
    readonly dn: string,
    private readonly values: EntryValues,
  ) {}

  /** An entry as ldapts returns it (`{ dn, Name: value | value[] }`). */
  static fromEntry(entry: { dn: string; [name: string]: unknown }): EntryView {
    const values: Record<string, AttributeValue | AttributeValue[]> = {};
    for (const [name, value] of Object.entries(entry)) {
      if (name === 'dn') continue;
      const list: AttributeValue[] = Array.isArray(value)
        ? (value as unknown[]).filter(isValue)
        : isValue(value)
          ? [value]
          : [];
      const key = name.toLowerCase();
      const before = values[key];
      const merged = before === undefined ? list : [...toList(before), ...list];
      if (merged.length > 0) values[key] = merged.length === 1 ? merged[0]! : merged;
    }
    return new EntryView(entry.dn, values);
  }

  /** Names as returned, lower-cased: for attribute options such as `member;range=0-1499`. */
  get names(): string[] {
    return Object.keys(this.values);
  }

  all(name: string | undefined): AttributeValues {
    if (!name) return [];
    const value = this.values[lower(name)];
    return value === undefined ? [] : toList(value);
  }

  first(name: string | undefined): AttributeValue | undefined {
    if (!name) return undefined;
    const value = this.values[lower(name)];
    return value === undefined || isValue(value) ? value : value[0];
  }

  text(name: string | undefined): string | undefined {
    const v = this.first(name);
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v : v.toString('utf8');
  }
}

function isValue(value: unknown): value is AttributeValue {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

function toList(value: AttributeValue | AttributeValues): AttributeValues {
  return isValue(value) ? [value] : value;
}

/** One `attr;range=low-high` answer: its values and the next low bound, or undefined when done. */
export interface RangePage {
  readonly values: AttributeValues;
  readonly next: number | undefined;
}

/** Finds the ranged form of `attribute` in an entry (AD's answer to a large multi-valued read). */
export function rangedValues(view: EntryView, attribute: string): RangePage | undefined {
  const prefix = `${attribute.toLowerCase()};range=`;
  for (const name of view.names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)-(\d+|\*)$/.exec(name.slice(prefix.length));
    if (!m) continue;
    return { values: view.all(name), next: m[2] === '*' ? undefined : Number(m[2]) + 1 };
  }
  return undefined;
}
