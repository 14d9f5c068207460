import { joinJsonStrings } from '@bwdc/core';

/**
 * Elements stringified at once, at most: enough for JSON.stringify's speed. Fewer are taken when
 * they are large, so a piece stays a young, short-lived string (about PIECE characters) rather
 * than a large object the heap keeps until a full collection.
 */
const SLICE = 64;
const PIECE = 16_384;
/** Objects this close to the top are opened up, so long arrays inside them are sliced. */
const OPEN_DEPTH = 2;

/**
 * `JSON.stringify(value, null, indent)`, the same text, as a sequence of small pieces: long
 * arrays are stringified a few elements at a time, and objects holding a long array (a group
 * and its members) are opened up. The `bwdc test` plan of 100k users is a 60 MB document; as one
 * string it is built, copied to end a line and copied again into a buffer to be written.
 */
export function* jsonPieces(value: unknown, indent?: string): Generator<string> {
  yield* pieces(value, indent ?? '', 0);
}

function* pieces(value: unknown, indent: string, depth: number): Generator<string> {
  if (Array.isArray(value) && value.length > SLICE) yield* arrayPieces(value, indent, depth);
  else if (isPlainObject(value) && (depth < OPEN_DEPTH || holdsLongArray(value)))
    yield* objectPieces(value, indent, depth);
  else yield nested(JSON.stringify(value, null, indent) ?? 'undefined', indent, depth);
}

function* arrayPieces(array: readonly unknown[], indent: string, depth: number): Generator<string> {
  const comma = indent ? `,\n${indent.repeat(depth + 1)}` : ',';
  yield indent ? `[\n${indent.repeat(depth + 1)}` : '[';
  let first = true;
  let run = 8;
  // Runs of ordinary elements are stringified together; an element holding a long array alone.
  for (let start = 0; start < array.length; ) {
    const strings = stringRun(array, start, comma);
    if (strings) {
      yield (first ? '' : comma) + strings.json;
      first = false;
      start = strings.end;
      continue;
    }
    let end = start;
    while (end < array.length && end - start < run && !isLong(array[end])) end++;
    if (end > start) {
      const slice = JSON.stringify(array.slice(start, end), null, indent);
      // The run without its brackets (and, indented, without the line breaks next to them).
      const inner = indent ? slice.slice(2 + indent.length, -2) : slice.slice(1, -1);
      yield (first ? '' : comma) + nested(inner, indent, depth);
      if (inner.length > PIECE) run = Math.max(1, run >> 1);
      else if (inner.length < PIECE / 4) run = Math.min(SLICE, run << 1);
    } else {
      if (!first) yield comma;
      yield* pieces(array[end++], indent, depth + 1);
    }
    first = false;
    start = end;
  }
  yield indent ? `\n${indent.repeat(depth)}]` : ']';
}

function* objectPieces(
  object: Record<string, unknown>,
  indent: string,
  depth: number,
): Generator<string> {
  const inner = indent.repeat(depth + 1);
  let first = true;
  for (const key of Object.keys(object)) {
    const value = object[key];
    // What JSON.stringify leaves out of an object.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    const name = JSON.stringify(key);
    yield (first ? '{' : ',') + (indent ? `\n${inner}${name}: ` : `${name}:`);
    first = false;
    yield* pieces(value, indent, depth + 1);
  }
  yield first ? '{}' : indent ? `\n${indent.repeat(depth)}}` : '}';
}

const STRING_RUN = 2048;

/**
 * A run of strings from `start` (a group's member ids), joined rather than stringified (see
 * joinJsonStrings). Undefined when the run does not start with two strings or one of them needs
 * an escape: JSON.stringify then writes it.
 */
function stringRun(
  array: readonly unknown[],
  start: number,
  comma: string,
): { json: string; end: number } | undefined {
  let end = start;
  let length = 0;
  while (end < array.length && end - start < STRING_RUN && length < PIECE) {
    const value = array[end];
    if (typeof value !== 'string') break;
    length += value.length;
    end++;
  }
  if (end - start < 2) return undefined;
  const json = joinJsonStrings(array.slice(start, end) as string[], comma);
  return json === undefined ? undefined : { json, end };
}

/** Indented JSON of a value `depth` levels down: every line after the first moves right. */
function nested(json: string, indent: string, depth: number): string {
  return indent && depth > 0 ? json.replaceAll('\n', `\n${indent.repeat(depth)}`) : json;
}

/** A long array, or an object holding one: written in pieces of its own. */
function isLong(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.length > SLICE;
  return isPlainObject(value) && holdsLongArray(value);
}

function holdsLongArray(object: Record<string, unknown>): boolean {
  for (const key in object) {
    const value = object[key];
    if (Array.isArray(value) && value.length > SLICE) return true;
  }
  return false;
}

/** An object JSON.stringify writes key by key: no toJSON of its own, a plain prototype. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return (
    (proto === Object.prototype || proto === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}
