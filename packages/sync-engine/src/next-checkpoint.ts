import type { SyncCheckpoint, SyncConfig } from '@bwdc/core';
import type { PlannedGroup, SyncPlanResult } from './types';

/**
 * What a sync that posted every request of `plan` leaves in the checkpoint: the settled
 * fingerprint, the provider's cursor, the last sync times of the kinds synced, the members it
 * manages and each group's member count, for the next run's guard.
 */
export function nextCheckpoint(
  plan: SyncPlanResult,
  previous: SyncCheckpoint,
  config: SyncConfig,
): SyncCheckpoint {
  const next: {
    -readonly [K in keyof SyncCheckpoint]: SyncCheckpoint[K];
  } = {};
  // With no request there is no new fingerprint; the last one still describes the organization.
  const hash = plan.fingerprint?.settledHash ?? previous.lastSyncHash;
  if (hash !== undefined) next.lastSyncHash = hash;
  if (plan.cursor !== undefined) next.cursor = plan.cursor;
  const userSync = config.users ? plan.startedAt : previous.lastUserSync;
  if (userSync !== undefined) next.lastUserSync = userSync;
  const groupSync = config.groups ? plan.startedAt : previous.lastGroupSync;
  if (groupSync !== undefined) next.lastGroupSync = groupSync;
  if (plan.nextManagedMembers !== undefined) next.managedMembers = plan.nextManagedMembers;
  const counts = nextGroupCounts(plan, previous, config.groups);
  if (counts !== undefined) next.groupMemberCounts = counts;
  return next;
}

/**
 * Each group's member count as the server now has it from us: after a complete read, the groups
 * sent; after an incremental one, the last counts with the groups it sent changed.
 */
function nextGroupCounts(
  plan: SyncPlanResult,
  previous: SyncCheckpoint,
  groupsSynced: boolean,
): Record<string, number> | undefined {
  if (!groupsSynced)
    return previous.groupMemberCounts ? { ...previous.groupMemberCounts } : undefined;
  const counts: Record<string, number> = plan.complete ? {} : { ...previous.groupMemberCounts };
  for (const g of plan.groups as readonly PlannedGroup[])
    counts[g.externalId] = g.memberExternalIds.length;
  return counts;
}
