/**
 * Elements stringified at once: enough for JSON.stringify's speed, few enough that a piece is
 * usually a young, short-lived string rather than a large object the heap keeps until a full GC.
 */
const SLICE = 64;
/** Objects this close to the top are opened up, so a long array inside them is sliced. */
const OPEN_DEPTH = 2;

/**
 * `JSON.stringify(value, null, indent)`, the same text, as a sequence of pieces: long arrays
 * near the top are stringified a slice of elements at a time. The `bwdc test` plan of 100k users
 * is a 60 MB document; as one string it is built, copied to end a line and copied again into a
 * buffer to be written.
 */
export function* jsonPieces(value: unknown, indent?: string): Generator<string> {
  yield* pieces(value, indent ?? '', 0);
}

function* pieces(value: unknown, indent: string, depth: number): Generator<string> {
  if (Array.isArray(value) && value.length > SLICE) {
    yield* arrayPieces(value, indent, depth);
  } else if (depth < OPEN_DEPTH && isPlainObject(value)) {
    yield* objectPieces(value, indent, depth);
  } else {
    yield nested(JSON.stringify(value, null, indent) ?? 'undefined', indent, depth);
  }
}

function* arrayPieces(array: readonly unknown[], indent: string, depth: number): Generator<string> {
  const open = indent ? `[\n${indent.repeat(depth + 1)}` : '[';
  const comma = indent ? `,\n${indent.repeat(depth + 1)}` : ',';
  yield open;
  for (let i = 0; i < array.length; i += SLICE) {
    const slice = JSON.stringify(array.slice(i, i + SLICE), null, indent);
    // The slice without its brackets (and, indented, without the line breaks next to them).
    const inner = indent ? slice.slice(2 + indent.length, -2) : slice.slice(1, -1);
    yield (i > 0 ? comma : '') + nested(inner, indent, depth);
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

/** Indented JSON of a value `depth` levels down: every line after the first moves right. */
function nested(json: string, indent: string, depth: number): string {
  return indent && depth > 0 ? json.replaceAll('\n', `\n${indent.repeat(depth)}`) : json;
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
