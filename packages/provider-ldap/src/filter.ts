import {
  BASIC_KEYWORDS,
  filterSetting,
  type FilterKind,
  type FilterSyntax,
} from '@bwdc/directory-provider';

/**
 * How LDAP reads `sync.userFilter` / `sync.groupFilter`, as the official connector does: the text
 * is an LDAP filter, ANDed with the object class (`(&(objectClass=X)<filter>)`), OR filters and
 * extensible matches included. Ours on top: text that starts with `include:` or `exclude:` is a
 * list of emails (users) or names (groups), optionally followed by `|<LDAP filter>`.
 */
export const LDAP_FILTER_SYNTAX: FilterSyntax = {
  form: 'native',
  userKeywords: BASIC_KEYWORDS,
  groupKeywords: BASIC_KEYWORDS,
  nativeProblem: (native, kind) => ldapFilterMessage(kind, native),
};

/** The LDAP part of a filter as it is searched: `mail=*` becomes `(mail=*)`. */
export function parenthesized(native: string): string {
  return native.startsWith('(') ? native : `(${native})`;
}

/**
 * What `config` refuses and a run fails with for an LDAP filter that is not one (RFC 4515), or
 * undefined: names the setting, the problem and what to write instead.
 */
export function ldapFilterMessage(kind: FilterKind, native: string): string | undefined {
  const problem = ldapFilterProblem(parenthesized(native));
  if (!problem) return undefined;
  const list = kind === 'user' ? 'emails' : 'group names';
  return (
    `${filterSetting(kind)}: "${native}" is not a valid LDAP filter: ${problem}. Write an LDAP filter such as ` +
    `(memberOf=cn=staff,ou=groups,dc=example,dc=com), or start with include: or exclude: and a list of ${list}.`
  );
}

/**
 * What is wrong with an LDAP filter (RFC 4515), or undefined. ldapts forgives malformed filters
 * (an unclosed parenthesis silently changes the query), so the structure is checked here. One or more parenthesized filters
 * are accepted, as the official connector ANDs the text into its search: `(a=1)(b=2)` works there.
 * Values are not checked beyond their escapes; the server judges attribute names and rules.
 */
export function ldapFilterProblem(text: string): string | undefined {
  let i = 0;
  const skipSpace = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };

  const one = (): string | undefined => {
    const open = i;
    i++;
    const op = text[i];
    if (op === ')') return `an empty "()" at position ${open + 1}`;
    if (op === '&' || op === '|' || op === '!') {
      i++;
      skipSpace();
      let count = 0;
      while (text[i] === '(') {
        const problem = one();
        if (problem) return problem;
        count++;
        skipSpace();
      }
      if (i >= text.length) return `the "(" at position ${open + 1} is never closed`;
      if (text[i] !== ')') return `"${text[i]}" at position ${i + 1} where a "(" was expected`;
      if (op === '!' && count !== 1)
        return `"(!" at position ${open + 1} must hold exactly one filter`;
      i++;
      return undefined;
    }
    const start = i;
    while (i < text.length && text[i] !== ')') {
      if (text[i] === '(')
        return `an unescaped "(" at position ${i + 1} (write \\28 for "(" and \\29 for ")" in values)`;
      if (text[i] === '\\') i++;
      i++;
    }
    if (i >= text.length) return `the "(" at position ${open + 1} is never closed`;
    const item = text.slice(start, i);
    if (item.indexOf('=') <= 0)
      return `"(${item})" is not an attribute, an operator (=, ~=, >=, <=) and a value`;
    i++;
    return undefined;
  };

  skipSpace();
  if (i >= text.length) return 'it is empty';
  while (i < text.length) {
    if (text[i] === ')') return `an unmatched ")" at position ${i + 1}`;
    if (text[i] !== '(') return `text outside parentheses at position ${i + 1}`;
    const problem = one();
    if (problem) return problem;
    skipSpace();
  }
  return undefined;
}
