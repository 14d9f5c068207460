import type { EmulatedDirectory, EmulatedGroup, EmulatedUser } from './directory';

/**
 * The parts of Google's search syntax the emulator understands: space-separated terms ANDed
 * together, each `field:value` (word or `prefix*` match, case-insensitive), `field=value` (exact),
 * a quoted (`'a b'`, `"a b"`) or braced (`{a b}`, any of the words) value, or a bare word that
 * prefix-matches the email and names. Unknown fields are rejected as Google does.
 *
 * Users: email, givenName, familyName, name, isAdmin, isSuspended, isArchived, orgUnitPath.
 * Groups: email, name, memberKey.
 */
export class QuerySyntaxError extends Error {}

interface Term {
  readonly field: string | undefined;
  readonly op: ':' | '=';
  readonly values: readonly string[];
}

export function parseQuery(query: string): Term[] {
  const terms: Term[] = [];
  let i = 0;
  const text = query.trim();
  while (i < text.length) {
    while (text[i] === ' ') i += 1;
    if (i >= text.length) break;
    const match = /^([A-Za-z][A-Za-z0-9.]*)([:=])/.exec(text.slice(i));
    let field: string | undefined;
    let op: ':' | '=' = ':';
    if (match) {
      field = match[1];
      op = match[2] as ':' | '=';
      i += match[0].length;
    }
    const [values, next] = readValue(text, i);
    if (values.length === 0) throw new QuerySyntaxError(`Invalid Input: ${query}`);
    terms.push({ field, op, values });
    i = next;
  }
  return terms;
}

function readValue(text: string, start: number): [string[], number] {
  const open = text[start];
  const close = open === "'" ? "'" : open === '"' ? '"' : open === '{' ? '}' : undefined;
  if (close) {
    const end = text.indexOf(close, start + 1);
    if (end < 0) throw new QuerySyntaxError(`Invalid Input: unbalanced ${open} in ${text}`);
    const inner = text.slice(start + 1, end);
    const values = open === '{' ? inner.split(/\s+/).filter(Boolean) : [inner];
    return [values, end + 1];
  }
  let end = start;
  while (end < text.length && text[end] !== ' ') end += 1;
  return [[text.slice(start, end)].filter(Boolean), end];
}

function textMatches(actual: string | undefined, op: ':' | '=', wanted: string): boolean {
  if (actual === undefined) return false;
  const a = actual.toLowerCase();
  const w = wanted.toLowerCase();
  if (op === '=') return a === w;
  const words = [a, ...a.split(/[\s@.]+/)];
  if (w.endsWith('*')) {
    const prefix = w.slice(0, -1);
    return words.some((word) => word.startsWith(prefix));
  }
  return words.includes(w);
}

function boolMatches(actual: boolean, wanted: string, query: string): boolean {
  const w = wanted.toLowerCase();
  if (w !== 'true' && w !== 'false') throw new QuerySyntaxError(`Invalid Input: ${query}`);
  return actual === (w === 'true');
}

/** `orgUnitPath=/Sales` matches /Sales and every org unit under it. */
function orgUnitMatches(actual: string, wanted: string): boolean {
  const a = actual.toLowerCase();
  const w = wanted.toLowerCase().replace(/\/+$/, '') || '/';
  return w === '/' || a === w || a.startsWith(`${w}/`);
}

export function userQueryPredicate(query: string | undefined): (user: EmulatedUser) => boolean {
  if (!query || !query.trim()) return () => true;
  const terms = parseQuery(query);
  for (const term of terms) {
    const known = [
      'email',
      'givenname',
      'familyname',
      'name',
      'isadmin',
      'issuspended',
      'isarchived',
      'orgunitpath',
    ];
    if (term.field !== undefined && !known.includes(term.field.toLowerCase())) {
      throw new QuerySyntaxError(`Invalid Input: ${query}`);
    }
  }
  return (user) =>
    terms.every((term) =>
      term.values.some((value) => {
        const fullName = `${user.givenName} ${user.familyName}`;
        switch (term.field?.toLowerCase()) {
          case undefined:
            return [user.primaryEmail, user.givenName, user.familyName].some((f) =>
              textMatches(f, ':', `${value.replace(/\*$/, '')}*`),
            );
          case 'email':
            return [user.primaryEmail, ...user.aliases].some((e) => textMatches(e, term.op, value));
          case 'givenname':
            return textMatches(user.givenName, term.op, value);
          case 'familyname':
            return textMatches(user.familyName, term.op, value);
          case 'name':
            return textMatches(fullName, term.op, value);
          case 'isadmin':
            return boolMatches(user.isAdmin, value, query);
          case 'issuspended':
            return boolMatches(user.suspended, value, query);
          case 'isarchived':
            return boolMatches(user.archived, value, query);
          case 'orgunitpath':
            return orgUnitMatches(user.orgUnitPath, value);
          default:
            return false;
        }
      }),
    );
}

export function groupQueryPredicate(
  query: string | undefined,
  directory: EmulatedDirectory,
): (group: EmulatedGroup) => boolean {
  if (!query || !query.trim()) return () => true;
  const terms = parseQuery(query);
  for (const term of terms) {
    if (
      term.field === undefined ||
      !['email', 'name', 'memberkey'].includes(term.field.toLowerCase())
    ) {
      throw new QuerySyntaxError(`Invalid Input: ${query}`);
    }
  }
  return (group) =>
    terms.every((term) =>
      term.values.some((value) => {
        switch (term.field!.toLowerCase()) {
          case 'email':
            return [group.email, ...group.aliases].some((e) => textMatches(e, term.op, value));
          case 'name':
            return textMatches(group.name, term.op, value);
          default: {
            const target = directory.findUser(value)?.id ?? directory.findGroup(value)?.id;
            return (
              target !== undefined &&
              directory.membersOf(group.id).some((m) => m.targetId === target)
            );
          }
        }
      }),
    );
}
