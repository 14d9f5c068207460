import { isUtf8 } from 'node:buffer';
import { SearchEntry, type BerReader, type Entry } from 'ldapts';
import { EntryView, type AttributeValue, type EntryValues } from './entry';

const OCTET_STRING = 0x04;
const SEQUENCE = 0x30;
const SET = 0x31;

/** Attributes whose values stay bytes, as ldapts's `explicitBufferAttributes` does for ours. */
const BINARY_ATTRIBUTES = new Set(['objectguid']);

/** An element's content, found by `header`. */
let contentEnd = 0;

/**
 * Reads the tag and length of the element at `pos` (short or long form, as BER allows) and
 * returns where its content starts; `contentEnd` is where it ends.
 */
function header(buf: Buffer, pos: number, limit: number, tag: number): number {
  if (pos + 2 > limit || buf[pos] !== tag)
    throw new Error(`malformed search entry: expected tag 0x${tag.toString(16)} at ${pos}`);
  let length = buf[pos + 1]!;
  pos += 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || pos + bytes > limit)
      throw new Error('malformed search entry: unsupported length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + buf[pos++]!;
  }
  contentEnd = pos + length;
  if (contentEnd > limit) throw new Error('malformed search entry: length past its end');
  return pos;
}

/**
 * A value's text, as ldapts decodes it: UTF-8, or undefined when the bytes are not UTF-8 (the
 * caller then keeps bytes). The replacement character only appears for bytes that are not
 * UTF-8, or when the value itself contains one: only then are the bytes checked.
 */
function text(buf: Buffer, start: number, end: number): string | undefined {
  const s = buf.toString('utf8', start, end);
  if (s.includes('\uFFFD') && !isUtf8(buf.subarray(start, end))) return undefined;
  return s;
}

const bytes = (buf: Buffer, start: number, end: number): Buffer =>
  // A copy: a view would keep the whole network chunk alive as long as the value.
  Buffer.from(buf.subarray(start, end));

/** Attribute names seen so far, so each entry reuses one lower-cased string per name. */
const names: { raw: Buffer; lower: string; binary: boolean }[] = [];

function attributeName(buf: Buffer, start: number, end: number): (typeof names)[number] {
  const length = end - start;
  outer: for (const name of names) {
    if (name.raw.length !== length) continue;
    for (let i = 0; i < length; i++) if (name.raw[i] !== buf[start + i]) continue outer;
    return name;
  }
  const lower = buf.toString('latin1', start, end).toLowerCase();
  const name = {
    raw: bytes(buf, start, end),
    lower,
    binary: BINARY_ATTRIBUTES.has(lower) || lower.endsWith(';binary'),
  };
  if (names.length < 64) names.push(name);
  return name;
}

/**
 * Decodes the content of a SearchResultEntry (RFC 4511 4.5.2: objectName, then a sequence of
 * attribute descriptions with their sets of values) from `buf[start, end)` straight into an
 * EntryView. The same values as ldapts's decoder: UTF-8 text, except objectGUID, `;binary` types
 * and attributes with a value that is not UTF-8, which stay bytes (all their values). Names are
 * lower-cased, as EntryView keeps them.
 */
export function decodeEntry(buf: Buffer, start: number, end: number): EntryView {
  let pos = header(buf, start, end, OCTET_STRING);
  const dn = text(buf, pos, contentEnd) ?? buf.toString('latin1', pos, contentEnd);
  pos = header(buf, contentEnd, end, SEQUENCE);
  const listEnd = contentEnd;
  const values: EntryValues = [];
  while (pos < listEnd) {
    pos = header(buf, pos, listEnd, SEQUENCE);
    const attributeEnd = contentEnd;
    pos = header(buf, pos, attributeEnd, OCTET_STRING);
    const name = attributeName(buf, pos, contentEnd);
    pos = header(buf, contentEnd, attributeEnd, SET);
    const setEnd = contentEnd;
    const setStart = pos;
    let binary = name.binary;
    let first: AttributeValue | undefined;
    let more: AttributeValue[] | undefined;
    while (pos < setEnd) {
      pos = header(buf, pos, setEnd, OCTET_STRING);
      let value: AttributeValue | undefined = binary ? undefined : text(buf, pos, contentEnd);
      if (value === undefined) {
        if (!binary) {
          // One value is not text: every value of the attribute is bytes, as in ldapts.
          binary = true;
          first = undefined;
          more = undefined;
          pos = setStart;
          continue;
        }
        value = bytes(buf, pos, contentEnd);
      }
      if (first === undefined) first = value;
      else (more ??= [first]).push(value);
      pos = contentEnd;
    }
    // An attribute without values (a types-only answer) is left out, as if it were absent.
    if (first !== undefined) values.push(name.lower, more ?? first);
    pos = attributeEnd;
  }
  return new EntryView(dn, values);
}

/**
 * ldapts's SearchEntry, decoded by `decodeEntry` instead of into ldapts's Attribute objects,
 * which cost several allocations per value and a second pass in `toObject`. `toObject` hands
 * the EntryView to the search result as it is (see LdapSession).
 */
export class ViewSearchEntry extends SearchEntry {
  view: EntryView | undefined;

  override parseMessage(reader: BerReader): void {
    const start = reader.offset;
    const end = start + reader.length;
    this.view = decodeEntry(reader.buffer, start, end);
    this.name = this.view.dn;
    reader.offset = end;
  }

  override toObject(): Entry {
    return this.view as unknown as Entry;
  }
}
