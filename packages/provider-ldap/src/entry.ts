/** One attribute value: text, or bytes (objectGUID, `;binary` types, values that are not UTF-8). */
export type AttributeValue = string | Buffer;
export type AttributeValues = readonly AttributeValue[];

/**
 * An entry's attributes, flat: lower-case name, then its value (one, or an array of several),
 * then the next name... Entries hold a handful of attributes, so a scan beats a lookup table,
 * and one array per entry is the least a decoder can allocate.
 */
export type EntryValues = (string | AttributeValue | AttributeValues)[];

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
 * attribute names are case-insensitive).
 */
export class EntryView {
  constructor(
    readonly dn: string,
    /** See EntryValues; names in lower case, each once. */
    private readonly values: EntryValues,
  ) {}

  /** An entry as ldapts returns it (`{ dn, Name: value | value[] }`). */
  static fromEntry(entry: { dn: string; [name: string]: unknown }): EntryView {
    const byName = new Map<string, AttributeValue[]>();
    for (const [name, value] of Object.entries(entry)) {
      if (name === 'dn') continue;
      const list: AttributeValue[] = Array.isArray(value)
        ? (value as unknown[]).filter(isValue)
        : isValue(value)
          ? [value]
          : [];
      const key = name.toLowerCase();
      byName.set(key, [...(byName.get(key) ?? []), ...list]);
    }
    const values: EntryValues = [];
    for (const [name, list] of byName)
      if (list.length > 0) values.push(name, list.length === 1 ? list[0]! : list);
    return new EntryView(entry.dn, values);
  }

  /** Names as returned, lower-cased: for attribute options such as `member;range=0-1499`. */
  get names(): string[] {
    const names: string[] = [];
    for (let i = 0; i < this.values.length; i += 2) names.push(this.values[i] as string);
    return names;
  }

  all(name: string | undefined): AttributeValues {
    const value = this.find(name);
    return value === undefined ? [] : isValue(value) ? [value] : value;
  }

  first(name: string | undefined): AttributeValue | undefined {
    const value = this.find(name);
    return value === undefined || isValue(value) ? value : value[0];
  }

  text(name: string | undefined): string | undefined {
    const v = this.first(name);
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v : v.toString('utf8');
  }

  private find(name: string | undefined): AttributeValue | AttributeValues | undefined {
    if (!name) return undefined;
    const key = lower(name);
    const values = this.values;
    for (let i = 0; i < values.length; i += 2)
      if (values[i] === key) return values[i + 1] as AttributeValue | AttributeValues;
    return undefined;
  }
}

function isValue(value: unknown): value is AttributeValue {
  return typeof value === 'string' || Buffer.isBuffer(value);
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
