import type { SyncConfig } from '@bwdc/core';
import {
  filterMatcher,
  parseFilter,
  type FilterClause,
  type FilterSyntax,
} from '@bwdc/directory-provider';
import type { Candidate } from './admit';
import type { FlattenResult } from './flatten';
import type { LeftOutLog } from './left-out';

/**
 * The clauses of `sync.userFilter` / `sync.groupFilter`, read by the directory's own syntax (the
 * provider's `filterSyntax`). Only `include:`/`exclude:` are applied here; other keywords, and the
 * native query, belong to the provider, which applies them while reading.
 */
export function syncFilterClauses(
  config: Pick<SyncConfig, 'userFilter' | 'groupFilter'>,
  syntax: FilterSyntax,
): { user: FilterClause | undefined; group: FilterClause | undefined } {
  return {
    user: parseFilter(config.userFilter, syntax, 'user').clause,
    group: parseFilter(config.groupFilter, syntax, 'group').clause,
  };
}

function isBasicClause(clause: FilterClause | undefined): clause is FilterClause {
  return clause !== undefined && (clause.keyword === 'include' || clause.keyword === 'exclude');
}

/** The sync filters as the engine applies them. */
export interface SyncFilters {
  /** The user filter, on normalized emails. */
  readonly keepUser: (email: string | undefined) => boolean;
  /** The group filter, on group names. */
  readonly keepGroup: (name: string | undefined) => boolean;
  /** The group filter is include/exclude, so users in none of the kept groups are left out. */
  readonly byKeptGroups: boolean;
}

/** Parses both filters; a malformed one throws `FilterSyntaxError` naming its setting. */
export function syncFilters(config: SyncConfig, syntax: FilterSyntax): SyncFilters {
  const { user: userClause, group: groupClause } = syncFilterClauses(config, syntax);
  return {
    keepUser: filterMatcher(userClause),
    keepGroup: filterMatcher(groupClause),
    byKeptGroups: isBasicClause(groupClause),
  };
}

/**
 * With an include/exclude group filter, users in none of the kept groups are left out, as
 * upstream does; deleted users, and disabled ones when removeDisabled is on, still go through.
 */
export function inKeptGroups(
  candidates: readonly Candidate[],
  flat: FlattenResult,
  keptGroups: readonly number[],
  idIndex: ReadonlyMap<string, number>,
  log: LeftOutLog,
): Candidate[] {
  const inKept = new Uint8Array(flat.ids.length);
  for (const g of keptGroups) for (const u of flat.members[g]!) inKept[u] = 1;
  return candidates.filter((c) => {
    if (c.sendDeleted) return true;
    const i = idIndex.get(c.user.externalId);
    if (i !== undefined && inKept[i]) return true;
    log.user(
      c.user,
      'not-in-kept-group',
      `User ${c.user.referenceId} (${c.email}) is in none of the groups sync.groupFilter keeps.`,
      false,
    );
    return false;
  });
}
