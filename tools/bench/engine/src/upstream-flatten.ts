import type { DirectoryGroup } from '@bwdc/core';

/**
 * The baseline: the official connector's nested-group flattening (bitwarden/directory-connector
 * `SyncService.flattenUsersToGroups`, v2026.6.1), re-implemented for this benchmark only. Its
 * shape is kept, because its shape is its cost:
 * - groups hold `Set`s of member ids and referenceIds, and are mutated in place;
 * - for every group visited, every group is scanned (`allGroups.filter`) to find its children;
 * - each top-level group starts a fresh visited set, so shared subtrees are walked again;
 * - the union returned at each level is rebuilt as a new Set after every group.
 */
export interface UpstreamGroup {
  readonly referenceId: string;
  readonly externalId: string;
  readonly name: string;
  readonly userMemberExternalIds: Set<string>;
  readonly groupMemberReferenceIds: Set<string>;
}

export function toUpstreamGroups(groups: readonly DirectoryGroup[]): UpstreamGroup[] {
  return groups.map((g) => ({
    referenceId: g.referenceId,
    externalId: g.externalId,
    name: g.name,
    userMemberExternalIds: new Set(g.userMemberExternalIds),
    groupMemberReferenceIds: new Set(g.groupMemberReferenceIds),
  }));
}

export interface Budget {
  /** `performance.now()` after which the top-level loop stops. */
  readonly deadline: number;
  /** Top-level iterations completed; set as it runs. */
  done: number;
}

/**
 * The algorithm. `budget` is consulted only between top-level iterations (where upstream has no
 * such check) so that a run that would take minutes can be measured on its first part and
 * extrapolated; the work of each iteration is untouched.
 */
export function flattenUsersToGroups(
  levelGroups: UpstreamGroup[],
  allGroups: UpstreamGroup[],
  visitedGroups?: Set<string>,
  budget?: Budget,
): Set<string> {
  let allUsers = new Set<string>();
  if (allGroups == null) return allUsers;

  for (const group of levelGroups) {
    if (budget && performance.now() > budget.deadline) break;
    const visited = visitedGroups ?? new Set<string>();
    if (visited.has(group.referenceId)) {
      if (budget) budget.done++;
      continue;
    }
    visited.add(group.referenceId);
    const childGroups = allGroups.filter((g) => group.groupMemberReferenceIds.has(g.referenceId));
    const childUsers = flattenUsersToGroups(childGroups, allGroups, visited);
    childUsers.forEach((id) => group.userMemberExternalIds.add(id));
    allUsers = new Set([...allUsers, ...group.userMemberExternalIds]);
    if (budget) budget.done++;
  }
  return allUsers;
}
