import type { SyncConfig } from '@bwdc/core';
import { filterMatcher, parseFilter, type FilterClause } from '@bwdc/directory-provider';
import type { Candidate } from './admit';
import type { FlattenResult } from './flatten';
import type { LeftOutLog } from './left-out';

/** Every clause keyword some provider understands; the engine itself applies include/exclude. */
export const FILTER_KEYWORDS = [
  'include',
  'exclude',
  'includeGroup',
  'excludeGroup',
  'includeAdministrativeUnit',
  'excludeAdministrativeUnit',
] as const;

/**
 * Parses `sync.userFilter` / `sync.groupFilter`. Only `include:`/`exclude:` are applied here; the
 * other keywords belong to the provider that understands them, which applies them while reading.
 */
export function parseSyncFilter(filter: string | undefined): FilterClause | undefined {
  return parseFilter(filter, FILTER_KEYWORDS).clause;
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
export function syncFilters(config: SyncConfig): SyncFilters {
  const userClause = parseSyncFilter(config.userFilter);
  const groupClause = parseSyncFilter(config.groupFilter);
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
