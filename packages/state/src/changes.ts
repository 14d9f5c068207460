import type { DirectoryType } from '@bwdc/core';
import type { ConnectorState } from './model';

/**
 * `clear-cache`: forget the fingerprint, cursor and last sync times (and the official
 * connector's delta tokens), so the next sync reads and sends everything. The list of managed
 * members and the groups' member counts stay: they are not a cache but the record of what bwdc
 * sent, and without them leavers, and a read that would empty groups, could not be noticed.
 */
export function clearSyncCache(state: ConnectorState): ConnectorState {
  const { managedMembers, groupMemberCounts } = state.checkpoint;
  return {
    ...state,
    checkpoint: {
      ...(managedMembers ? { managedMembers } : {}),
      ...(groupMemberCounts ? { groupMemberCounts } : {}),
    },
    officialDeltaTokens: {},
  };
}

/**
 * Points the state at an organization and directory type. When either changes, the cursor, last
 * sync times and delta tokens are cleared as upstream clears them (its hash stays, as upstream keeps it);
 * the managed-member list follows the pair, so it is the new pair's list (if any) from now on.
 */
export function selectTarget(
  state: ConnectorState,
  target: { organizationId?: string; directoryType?: DirectoryType },
): ConnectorState {
  const organizationId = 'organizationId' in target ? target.organizationId : state.organizationId;
  const directoryType = 'directoryType' in target ? target.directoryType : state.directoryType;
  if (organizationId === state.organizationId && directoryType === state.directoryType)
    return state;
  const { lastSyncHash, lastSyncHashBy } = state.checkpoint;
  return {
    ...state,
    organizationId,
    directoryType,
    checkpoint: lastSyncHash ? { lastSyncHash, ...(lastSyncHashBy ? { lastSyncHashBy } : {}) } : {},
    officialDeltaTokens: {},
  };
}
