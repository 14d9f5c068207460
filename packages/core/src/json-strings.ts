/**
 * What JSON.stringify writes as an escape in a string (`"`, `\`, C0 controls, lone surrogates),
 * but the line feed and the quote: separators hold those, so they are counted instead.
 */
// Control characters are what this pattern is about.
// eslint-disable-next-line no-control-regex
const ESCAPED = /[\\\u0000-\u0009\u000b-\u001f\ud800-\udfff]/;

/**
 * The elements of `JSON.stringify(strings)` without its brackets, separated by `separator` (a
 * comma, with a line break and indentation for indented output), or undefined when a string needs
 * an escape: then only JSON.stringify writes it right. Joining and checking the result once is
 * several times faster than stringifying, for the long lists of ids a directory has.
 */
export function joinJsonStrings(strings: readonly string[], separator = ','): string | undefined {
  if (strings.length === 0) return '';
  const joined = strings.join(`"${separator}"`);
  // Any surrogate falls back, paired or not: a pair split across two ids must not look whole.
  if (ESCAPED.test(joined)) return undefined;
  // Quotes and line feeds beyond the separators' are inside a string.
  const gaps = strings.length - 1;
  if (count(joined, '"') !== 2 * gaps || count(joined, '\n') !== count(separator, '\n') * gaps)
    return undefined;
  return `"${joined}"`;
}

function count(text: string, char: string): number {
  let n = 0;
  for (let at = text.indexOf(char); at >= 0; at = text.indexOf(char, at + 1)) n++;
  return n;
}
