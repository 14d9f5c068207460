import { FilterSyntaxError } from '@bwdc/core';

/**
 * The official connector's filter language: `include:a,b|<native>` or `exclude:a,b|<native>`.
 * The clause before the first `|` lists values matched exactly and case-insensitively (emails for
 * users, names for groups); what follows the first `|` is passed to the directory as its own query
 * (an LDAP filter, a Google or Okta query).
 *
 * Two deliberate differences from upstream: a malformed clause is an error instead of being
 * silently ignored, and the native part runs to the end of the text, so an LDAP filter containing
 * `|` (an OR such as `(|(a=1)(b=2))`) is not cut short.
 */
export interface FilterClause {
  /** Lower-cased keyword, e.g. `include`, `excludegroup`. */
  readonly keyword: string;
  /** Trimmed, lower-cased, non-empty values. */
  readonly values: readonly string[];
}

export interface ParsedFilter {
  readonly clause: FilterClause | undefined;
  readonly native: string | undefined;
}

export const BASIC_KEYWORDS = ['include', 'exclude'] as const;

/**
 * Parses a filter. `keywords` lists the clause keywords the directory understands (providers
 * such as Entra add `includeGroup` and friends); anything else is rejected by name.
 */
export function parseFilter(
  filter: string | undefined | null,
  keywords: readonly string[] = BASIC_KEYWORDS,
): ParsedFilter {
  if (filter == null || filter.trim() === '') return { clause: undefined, native: undefined };
  const bar = filter.indexOf('|');
  const head = (bar < 0 ? filter : filter.slice(0, bar)).trim();
  const nativeText = bar < 0 ? '' : filter.slice(bar + 1).trim();
  return {
    clause: head === '' ? undefined : parseClause(filter, head, keywords),
    native: nativeText === '' ? undefined : nativeText,
  };
}

/** Parses one `keyword:a,b` clause; `filter` is the whole text, for the error message. */
export function parseClause(
  filter: string,
  text: string,
  keywords: readonly string[],
): FilterClause {
  const parts = text.split(':');
  if (parts.length !== 2) {
    throw new FilterSyntaxError(
      filter,
      `"${text}" must be one keyword and a list, like "include:alice@example.com,bob@example.com"`,
    );
  }
  const keyword = parts[0]!.trim().toLowerCase();
  const allowed = keywords.map((k) => k.toLowerCase());
  if (!allowed.includes(keyword)) {
    throw new FilterSyntaxError(
      filter,
      `unknown keyword "${parts[0]!.trim()}"; use one of ${keywords.join(', ')}`,
    );
  }
  const values = parts[1]!
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
  if (values.length === 0) throw new FilterSyntaxError(filter, `"${keyword}:" lists no values`);
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
