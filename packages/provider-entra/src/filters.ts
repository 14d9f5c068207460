import { FilterSyntaxError } from '@bwdc/core';
import { parseClause, type FilterKind, type FilterSyntax } from '@bwdc/directory-provider';

/**
 * The Entra filter language: clauses separated by `|`, each `keyword:value,value`, all of which
 * must hold. Entra has no native query part, so every part is a clause and a part that is not one
 * is an error (upstream read only the first clause and ignored the rest without a word).
 *
 * Users: `include:`/`exclude:` emails, `includeGroup:`/`excludeGroup:` group ids whose members,
 * nested ones included, are kept or dropped. Groups: `include:`/`exclude:` names,
 * `includeAdministrativeUnit:`/`excludeAdministrativeUnit:` ids of administrative units whose
 * member groups are kept or dropped.
 */
export const USER_FILTER_KEYWORDS = ['include', 'exclude', 'includeGroup', 'excludeGroup'] as const;
export const GROUP_FILTER_KEYWORDS = [
  'include',
  'exclude',
  'includeAdministrativeUnit',
  'excludeAdministrativeUnit',
] as const;

export interface UserFilter {
  readonly includeEmails?: ReadonlySet<string>;
  readonly excludeEmails?: ReadonlySet<string>;
  readonly includeGroupIds?: readonly string[];
  readonly excludeGroupIds?: readonly string[];
}

export interface GroupFilter {
  readonly includeNames?: ReadonlySet<string>;
  readonly excludeNames?: ReadonlySet<string>;
  readonly includeUnitIds?: readonly string[];
  readonly excludeUnitIds?: readonly string[];
}

function clauses(
  filter: string | undefined,
  keywords: readonly string[],
  setting: string,
): Map<string, string[]> {
  const byKeyword = new Map<string, string[]>();
  if (filter === undefined || filter.trim() === '') return byKeyword;
  for (const part of filter.split('|')) {
    if (part.trim() === '')
      throw new FilterSyntaxError(filter, 'an empty clause between "|" separators', setting);
    const clause = parseClause(filter, part.trim(), keywords, setting);
    byKeyword.set(clause.keyword, [...(byKeyword.get(clause.keyword) ?? []), ...clause.values]);
  }
  return byKeyword;
}

export function parseUserFilter(filter: string | undefined): UserFilter {
  const c = clauses(filter, USER_FILTER_KEYWORDS, 'sync.userFilter');
  return {
    includeEmails: c.has('include') ? new Set(c.get('include')) : undefined,
    excludeEmails: c.has('exclude') ? new Set(c.get('exclude')) : undefined,
    includeGroupIds: c.get('includegroup'),
    excludeGroupIds: c.get('excludegroup'),
  };
}

export function parseGroupFilter(filter: string | undefined): GroupFilter {
  const c = clauses(filter, GROUP_FILTER_KEYWORDS, 'sync.groupFilter');
  return {
    includeNames: c.has('include') ? new Set(c.get('include')) : undefined,
    excludeNames: c.has('exclude') ? new Set(c.get('exclude')) : undefined,
    includeUnitIds: c.get('includeadministrativeunit'),
    excludeUnitIds: c.get('excludeadministrativeunit'),
  };
}

/** Whether a user passes, given the member sets of the include/exclude groups. */
export function userPasses(
  filter: UserFilter,
  user: { id: string; email: string | undefined },
  groupSets: { included?: ReadonlySet<string>; excluded?: ReadonlySet<string> },
): boolean {
  const email = user.email?.toLowerCase();
  if (filter.includeEmails && (email === undefined || !filter.includeEmails.has(email)))
    return false;
  if (filter.excludeEmails && email !== undefined && filter.excludeEmails.has(email)) return false;
  if (groupSets.included && !groupSets.included.has(user.id.toLowerCase())) return false;
  if (groupSets.excluded?.has(user.id.toLowerCase())) return false;
  return true;
}

/** Whether a group passes, given the group ids of the include/exclude administrative units. */
export function groupPasses(
  filter: GroupFilter,
  group: { id: string; name: string },
  unitSets: { included?: ReadonlySet<string>; excluded?: ReadonlySet<string> },
): boolean {
  const name = group.name.trim().toLowerCase();
  if (filter.includeNames && !filter.includeNames.has(name)) return false;
  if (filter.excludeNames?.has(name)) return false;
  if (unitSets.included && !unitSets.included.has(group.id.toLowerCase())) return false;
  if (unitSets.excluded?.has(group.id.toLowerCase())) return false;
  return true;
}

/**
 * How Entra reads its filters: clauses only, so what follows the first `|` must be clauses too;
 * `config` checks it with the parser a read uses.
 */
export const ENTRA_FILTER_SYNTAX: FilterSyntax = {
  form: 'clause',
  userKeywords: USER_FILTER_KEYWORDS,
  groupKeywords: GROUP_FILTER_KEYWORDS,
  nativeProblem: (_rest: string, kind: FilterKind, filter: string) => {
    try {
      if (kind === 'user') parseUserFilter(filter);
      else parseGroupFilter(filter);
      return undefined;
    } catch (error) {
      if (error instanceof FilterSyntaxError) return error.message;
      throw error;
    }
  },
};
