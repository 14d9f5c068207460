import { FilterSyntaxError } from '@bwdc/core';

/**
 * `sync.userFilter` / `sync.groupFilter`, read the way the directory reads them. Every directory
 * knows the clause `include:a,b` / `exclude:a,b` (values matched exactly and case-insensitively:
 * emails for users, names for groups); some add keywords of their own (Entra's `includeGroup:`).
 * What else the text holds is the directory's own query, which only its provider interprets.
 */
export interface FilterClause {
  /** Lower-cased keyword, e.g. `include`, `excludegroup`. */
  readonly keyword: string;
  /** Trimmed, lower-cased, non-empty values. */
  readonly values: readonly string[];
}

export interface ParsedFilter {
  readonly clause: FilterClause | undefined;
  /** The directory's own query, trimmed; the engine never looks inside it. */
  readonly native: string | undefined;
}

/**
 * How a directory reads its filters; each provider declares its own (`DirectoryProvider.filterSyntax`).
 *
 * - `clause` is the official connector's syntax for cloud directories: `keyword:a,b|<native>`.
 *   The text before the first `|` must be a clause, so a mistyped keyword is an error, not a query.
 * - `native` is LDAP's: the whole text is the directory's filter (an LDAP OR filter starts with
 *   `(|`), unless it starts with one of the keywords and a colon; then it is `keyword:a,b|<native>`.
 *
 * Unlike upstream, a malformed clause is an error instead of being silently ignored, and the
 * native part runs to the end of the text rather than to a second `|`.
 */
export interface FilterSyntax {
  readonly form: 'clause' | 'native';
  /** Keywords `sync.userFilter` may use, as admins write them (`includeGroup`). */
  readonly userKeywords: readonly string[];
  /** Keywords `sync.groupFilter` may use. */
  readonly groupKeywords: readonly string[];
  /**
   * What is wrong with the native part, or undefined: the provider's own check, so `config`
   * refuses a filter with the words the run would fail with (LDAP checks RFC 4515). `filter` is
   * the whole text.
   */
  readonly nativeProblem?: (native: string, kind: FilterKind, filter: string) => string | undefined;
}

export type FilterKind = 'user' | 'group';

/** The setting a filter of this kind comes from. */
export const filterSetting = (kind: FilterKind): string =>
  kind === 'user' ? 'sync.userFilter' : 'sync.groupFilter';

export const BASIC_KEYWORDS = ['include', 'exclude'] as const;

/** The official syntax of the cloud directories (Google, Okta, OneLogin) and of files. */
export const OFFICIAL_FILTER_SYNTAX: FilterSyntax = {
  form: 'clause',
  userKeywords: BASIC_KEYWORDS,
  groupKeywords: BASIC_KEYWORDS,
};

/** Parses a filter as `syntax` reads it; a malformed clause is a FilterSyntaxError naming it. */
export function parseFilter(
  filter: string | undefined | null,
  syntax: FilterSyntax = OFFICIAL_FILTER_SYNTAX,
  kind: FilterKind = 'user',
): ParsedFilter {
  const text = filter?.trim();
  if (!text) return { clause: undefined, native: undefined };
  const keywords = kind === 'user' ? syntax.userKeywords : syntax.groupKeywords;
  if (syntax.form === 'native' && !startsWithKeyword(text, keywords)) {
    return { clause: undefined, native: text };
  }
  const bar = text.indexOf('|');
  const head = (bar < 0 ? text : text.slice(0, bar)).trim();
  const nativeText = bar < 0 ? '' : text.slice(bar + 1).trim();
  return {
    clause: head === '' ? undefined : parseClause(filter!, head, keywords, filterSetting(kind)),
    native: nativeText === '' ? undefined : nativeText,
  };
}

/**
 * What is wrong with a filter as `syntax` reads it, in the words a run would fail with, or
 * undefined: the clause (a FilterSyntaxError's message), then the provider's check of the rest.
 */
export function filterProblem(
  filter: string | undefined | null,
  syntax: FilterSyntax,
  kind: FilterKind,
): string | undefined {
  let native: string | undefined;
  try {
    native = parseFilter(filter, syntax, kind).native;
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error.message;
    throw error;
  }
  return native === undefined ? undefined : syntax.nativeProblem?.(native, kind, filter!);
}

function startsWithKeyword(text: string, keywords: readonly string[]): boolean {
  const match = /^([A-Za-z]+)\s*:/.exec(text);
  if (!match) return false;
  const word = match[1]!.toLowerCase();
  return keywords.some((k) => k.toLowerCase() === word);
}

/** Parses one `keyword:a,b` clause; `filter` is the whole text, for the error message. */
export function parseClause(
  filter: string,
  text: string,
  keywords: readonly string[],
  setting?: string,
): FilterClause {
  const parts = text.split(':');
  if (parts.length !== 2) {
    throw new FilterSyntaxError(
      filter,
      `"${text}" must be one keyword and a list, like "include:alice@example.com,bob@example.com"`,
      setting,
    );
  }
  const keyword = parts[0]!.trim().toLowerCase();
  const allowed = keywords.map((k) => k.toLowerCase());
  if (!allowed.includes(keyword)) {
    throw new FilterSyntaxError(
      filter,
      `unknown keyword "${parts[0]!.trim()}"; use one of ${keywords.join(', ')}`,
      setting,
    );
  }
  const values = parts[1]!
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
  if (values.length === 0)
    throw new FilterSyntaxError(filter, `"${keyword}:" lists no values`, setting);
  return { keyword, values };
}

/**
 * A predicate for a basic include/exclude clause. Values are compared lower-cased; a filter
 * without a clause keeps everything.
 */
export function filterMatcher(
  clause: FilterClause | undefined,
): (value: string | undefined) => boolean {
  if (!clause) return () => true;
  const set = new Set(clause.values);
  if (clause.keyword === 'include')
    return (value) => value !== undefined && set.has(value.trim().toLowerCase());
  if (clause.keyword === 'exclude')
    return (value) => value === undefined || !set.has(value.trim().toLowerCase());
  // A directory-specific keyword is the provider's to apply; the generic matcher keeps all.
  return () => true;
}
