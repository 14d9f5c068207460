/**
 * Text from a directory (names, emails, DNs) is shown in terminals, log files and the app. A
 * value carrying control characters could clear the screen, move the cursor or rewrite earlier
 * lines (ESC sequences, a carriage return), and BIDI overrides make text read other than it is
 * (an email that shows as someone else's). Every sink shows such characters as visible escapes
 * instead: `\x1b`, `\r`, `\u202e`.
 */

/**
 * C0 controls (all, or all but the line feed), DEL, C1 controls, the BIDI embeddings, overrides
 * and isolates (U+202A-U+202E, U+2066-U+2069) and marks (U+200E, U+200F, U+061C), and the Unicode
 * line and paragraph separators.
 */
// Control characters are what these patterns are about.
/* eslint-disable no-control-regex */
const UNSAFE_ALL =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_BUT_NEWLINE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */
/** What JSON.stringify leaves as it is: DEL, C1 controls, BIDI and the separators. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control and BIDI character shown as an escape. With `keepNewlines`, line feeds
 * stay (a message of several lines), everything else is escaped, carriage returns included.
 */
export function escapeControlChars(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(options.keepNewlines ? UNSAFE_BUT_NEWLINE : UNSAFE_ALL, visible);
}

/**
 * JSON text with the characters JSON.stringify leaves raw written as `\uXXXX` escapes: the same
 * JSON value for a parser, nothing a terminal acts on.
 */
export function escapeJsonText(json: string): string {
  return json.replace(
    UNSAFE_IN_JSON,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
