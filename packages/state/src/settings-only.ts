import type { StateDocument } from './migrations/index';
import { MANAGED_MEMBERS_KEY } from './model';

/** The member lists as bwdc writes them: the last key of the document, indented by two spaces. */
const LAST_KEY = Buffer.from(`,\n  ${JSON.stringify(MANAGED_MEMBERS_KEY)}: `);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** `document` with the member lists as its last key, as every write lays data.json out. */
export function withMemberListsLast(document: StateDocument): StateDocument {
  if (!(MANAGED_MEMBERS_KEY in document)) return document;
  const { [MANAGED_MEMBERS_KEY]: lists, ...rest } = document;
  return { ...rest, [MANAGED_MEMBERS_KEY]: lists };
}

/**
 * data.json's text without the last sync's member lists, for a read that needs only settings
 * (`bwdc config <setting>`): at 100k members the lists are 10 MB of a 14 MB file, and parsing
 * them made a setting's read take 220 ms instead of 130. bwdc writes them as the document's last
 * key (`withMemberListsLast`); when the rest of the file is that one value and the closing brace,
 * the text before it is returned, closed. Undefined when the file is laid out any other way
 * (written by the official connector or by hand, cut short): the caller then parses it whole.
 * The value left out is only checked to be one balanced array or object; a sync parses it.
 */
export function withoutMemberLists(bytes: Buffer): string | undefined {
  // The first occurrence: were there a later one, the value would not reach the closing brace.
  const at = bytes.indexOf(LAST_KEY);
  if (at < 0) return undefined;
  const end = endOfValue(bytes, at + LAST_KEY.length);
  if (end === undefined) return undefined;
  let i = skipSpace(bytes, end);
  if (bytes[i] !== CLOSE_OBJECT) return undefined;
  i = skipSpace(bytes, i + 1);
  if (i !== bytes.length) return undefined;
  return `${bytes.toString('utf8', 0, at)}\n}`;
}

/** Just past the array or object that starts at `start`; undefined when it is not closed. */
function endOfValue(bytes: Buffer, start: number): number | undefined {
  if (bytes[start] !== OPEN_ARRAY && bytes[start] !== OPEN_OBJECT) return undefined;
  let depth = 0;
  let i = start;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === QUOTE) {
      const close = closingQuote(bytes, i);
      if (close < 0) return undefined;
      i = close + 1;
      continue;
    }
    if (b === OPEN_ARRAY || b === OPEN_OBJECT) depth++;
    else if ((b === CLOSE_ARRAY || b === CLOSE_OBJECT) && --depth === 0) return i + 1;
    i++;
  }
  return undefined;
}

/** The quote that ends the string opening at `open` (found natively: strings are most of it). */
function closingQuote(bytes: Buffer, open: number): number {
  let at = bytes.indexOf(QUOTE, open + 1);
  while (at > 0) {
    // Escaped when an odd number of backslashes comes before it.
    let backslashes = 0;
    while (bytes[at - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = bytes.indexOf(QUOTE, at + 1);
  }
  return -1;
}

function skipSpace(bytes: Buffer, from: number): number {
  let i = from;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)
  )
    i++;
  return i;
}
