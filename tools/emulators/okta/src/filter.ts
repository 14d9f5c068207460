/**
 * The subset of Okta's filter expression language the emulator understands:
 * `attr op "value"` with eq, ne, gt, ge, lt, le, sw, co; `attr pr`; `and`, `or` and parentheses.
 * Date attributes compare as instants, strings case-insensitively, as Okta does.
 */
export type Predicate = (entry: Record<string, unknown>) => boolean;

export class FilterParseError extends Error {}

type Token = { kind: 'word' | 'string' | 'lparen' | 'rparen'; text: string };

const OPERATORS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'co']);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(') {
      tokens.push({ kind: 'lparen', text: ch });
      i++;
    } else if (ch === ')') {
      tokens.push({ kind: 'rparen', text: ch });
      i++;
    } else if (ch === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      if (i >= text.length) throw new FilterParseError('unterminated string');
      i++;
      tokens.push({ kind: 'string', text: value });
    } else {
      const match = /^[^\s()"]+/.exec(text.slice(i))!;
      tokens.push({ kind: 'word', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

export function lookup(entry: Record<string, unknown>, path: string): unknown {
  let current: unknown = entry;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function compare(actual: unknown, op: string, expected: string | number | boolean | null): boolean {
  if (actual === undefined || actual === null)
    return op === 'ne' ? expected !== null : expected === null && op === 'eq';
  if (
    typeof expected === 'string' &&
    typeof actual === 'string' &&
    ISO_INSTANT.test(expected) &&
    ISO_INSTANT.test(actual)
  ) {
    return ordered(Date.parse(actual) - Date.parse(expected), op);
  }
  if (typeof expected === 'string') {
    const a = String(actual).toLowerCase();
    const e = expected.toLowerCase();
    if (op === 'sw') return a.startsWith(e);
    if (op === 'co') return a.includes(e);
    return ordered(a < e ? -1 : a > e ? 1 : 0, op);
  }
  if (typeof expected === 'number' && typeof actual === 'number')
    return ordered(actual - expected, op);
  if (op === 'eq') return actual === expected;
  if (op === 'ne') return actual !== expected;
  return false;
}

function ordered(diff: number, op: string): boolean {
  switch (op) {
    case 'eq':
      return diff === 0;
    case 'ne':
      return diff !== 0;
    case 'gt':
      return diff > 0;
    case 'ge':
      return diff >= 0;
    case 'lt':
      return diff < 0;
    case 'le':
      return diff <= 0;
    default:
      return false;
  }
}

/** Parses a filter expression into a predicate; throws FilterParseError on anything else. */
export function parseOktaFilter(text: string): Predicate {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const keyword = (word: string): boolean => {
    const t = peek();
    if (t?.kind === 'word' && t.text.toLowerCase() === word) {
      pos++;
      return true;
    }
    return false;
  };

  const parseOr = (): Predicate => {
    const parts = [parseAnd()];
    while (keyword('or')) parts.push(parseAnd());
    return parts.length === 1 ? parts[0]! : (e) => parts.some((p) => p(e));
  };
  const parseAnd = (): Predicate => {
    const parts = [parseFactor()];
    while (keyword('and')) parts.push(parseFactor());
    return parts.length === 1 ? parts[0]! : (e) => parts.every((p) => p(e));
  };
  const parseFactor = (): Predicate => {
    const t = tokens[pos++];
    if (!t) throw new FilterParseError('unexpected end of filter');
    if (t.kind === 'lparen') {
      const inner = parseOr();
      if (tokens[pos++]?.kind !== 'rparen') throw new FilterParseError('missing )');
      return inner;
    }
    if (t.kind !== 'word') throw new FilterParseError(`expected an attribute, found "${t.text}"`);
    const attribute = t.text;
    const opToken = tokens[pos++];
    const op = opToken?.text.toLowerCase();
    if (opToken?.kind !== 'word' || !op)
      throw new FilterParseError(`expected an operator after ${attribute}`);
    if (op === 'pr')
      return (e) => lookup(e, attribute) !== undefined && lookup(e, attribute) !== null;
    if (!OPERATORS.has(op)) throw new FilterParseError(`unknown operator "${opToken.text}"`);
    const valueToken = tokens[pos++];
    if (!valueToken || (valueToken.kind !== 'string' && valueToken.kind !== 'word')) {
      throw new FilterParseError(`expected a value after ${attribute} ${op}`);
    }
    let value: string | number | boolean | null = valueToken.text;
    if (valueToken.kind === 'word') {
      if (value === 'true' || value === 'false') value = value === 'true';
      else if (value === 'null') value = null;
      else if (/^-?\d+(\.\d+)?$/.test(value)) value = Number(value);
      else throw new FilterParseError(`string values must be quoted: ${valueToken.text}`);
    }
    const expected = value;
    return (e) => compare(lookup(e, attribute), op, expected);
  };

  const predicate = parseOr();
  if (pos !== tokens.length) throw new FilterParseError(`unexpected "${tokens[pos]!.text}"`);
  return predicate;
}
