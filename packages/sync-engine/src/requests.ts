import {
  ConfigValidationError,
  type DirectorySnapshot,
  type ImportGroup,
  type ImportMember,
  type ImportRequest,
  type SyncConfig,
} from '@bwdc/core';
import { fingerprintOf, legacyFingerprintOf } from './fingerprint';
import type { MemberPlan } from './leavers';
import type { LeftOutLog } from './left-out';
import type { Fingerprint, PlannedGroup, SyncContext } from './types';

/** Entries per request when batching, as the official connector (and nginx's default body limit). */
export const BATCH_SIZE = 2000;
/** Bitwarden cloud refuses more than this many groups or active members without largeImport. */
const CLOUD_LIMIT = 2000;

export interface RequestOptions {
  readonly overwriteExisting: boolean;
  readonly largeImport: boolean;
  readonly inviteUsersAfterProvisioning: boolean;
}

/**
 * The import request(s) for a plan, as the official connector builds them: one request unless
 * `largeImport` is on and there are more than 2000 entries; then members in chunks of 2000 (each
 * with `groups: []`), then groups in chunks (each with `members: []`), all with `largeImport: true`
 * and `overwriteExisting: false`. Nothing to send and no overwrite means no request.
 *
 * Objects are built with keys in the server model's order, so `JSON.stringify` of them is the
 * body the official connector would post and hash.
 */
export function buildRequests(
  groups: readonly ImportGroup[],
  members: readonly ImportMember[],
  options: RequestOptions,
): ImportRequest[] {
  if (!options.overwriteExisting && groups.length === 0 && members.length === 0) return [];
  const invite = options.inviteUsersAfterProvisioning;
  if (!(options.largeImport && groups.length + members.length > BATCH_SIZE)) {
    return [
      {
        groups,
        members,
        overwriteExisting: options.overwriteExisting,
        largeImport: false,
        inviteUsersAfterProvisioning: invite,
      },
    ];
  }
  if (options.overwriteExisting) {
    throw new ConfigValidationError([
      {
        setting: 'sync.overwriteExisting',
        message:
          "You cannot use the 'Remove and re-add organization users during the next sync' option with large imports " +
          `(sync.largeImport, ${groups.length + members.length} entries). Turn one of them off.`,
      },
    ]);
  }
  const requests: ImportRequest[] = [];
  for (let i = 0; i < members.length; i += BATCH_SIZE) {
    requests.push({
      groups: [],
      members: members.slice(i, i + BATCH_SIZE),
      overwriteExisting: false,
      largeImport: true,
      inviteUsersAfterProvisioning: invite,
    });
  }
  for (let i = 0; i < groups.length; i += BATCH_SIZE) {
    requests.push({
      groups: groups.slice(i, i + BATCH_SIZE),
      members: [],
      overwriteExisting: false,
      largeImport: true,
      inviteUsersAfterProvisioning: invite,
    });
  }
  return requests;
}

/** Warns about a sync that sends nothing, or more than Bitwarden cloud takes in one import. */
export function warnAboutSize(
  snapshot: DirectorySnapshot,
  activeMembers: number,
  groups: number,
  config: SyncConfig,
  log: LeftOutLog,
): void {
  if (snapshot.users === undefined && snapshot.groups === undefined) {
    log.warn('Neither sync.users nor sync.groups is on: there is nothing to sync.');
  }
  if (!config.largeImport && (groups > CLOUD_LIMIT || activeMembers > CLOUD_LIMIT)) {
    log.warn(
      `${activeMembers} members and ${groups} groups: Bitwarden cloud refuses more than ${CLOUD_LIMIT} of either in one import; turn on sync.largeImport.`,
    );
  }
}

export interface PlannedRequests {
  readonly importGroups: readonly ImportGroup[];
  readonly requests: readonly ImportRequest[];
  /** Undefined when there is no request. */
  readonly fingerprint: Fingerprint | undefined;
  /** The fingerprint equals `lastSyncHash` (or its legacy form): a sync posts nothing. */
  readonly unchanged: boolean;
}

/**
 * The requests of a plan and their fingerprint, and the fingerprint of the organization once they
 * are applied: without the leavers, whose deletions are sent once.
 */
export function planRequests(
  groups: readonly PlannedGroup[],
  { members, leaverIds }: MemberPlan,
  config: SyncConfig,
  context: SyncContext,
  lastSyncHash: string | undefined,
  withFingerprint = true,
): PlannedRequests {
  const importGroups: ImportGroup[] = groups.map((g) => ({
    name: g.name,
    externalId: g.externalId,
    memberExternalIds: g.memberExternalIds,
  }));
  const requests = buildRequests(importGroups, members, config);
  if (requests.length === 0 || !withFingerprint)
    return { importGroups, requests, fingerprint: undefined, unchanged: false };
  const hash = fingerprintOf(requests, context.apiUrl, context.organizationId);
  const settled = leaverIds.size
    ? buildRequests(
        importGroups,
        members.filter((m) => !leaverIds.has(m.externalId)),
        config,
      )
    : requests;
  const settledHash = settled.length
    ? fingerprintOf(settled, context.apiUrl, context.organizationId)
    : hash;
  const unchanged =
    lastSyncHash !== undefined &&
    (lastSyncHash === hash || lastSyncHash === legacyFingerprintOf(requests, context.apiUrl));
  return { importGroups, requests, fingerprint: { hash, settledHash }, unchanged };
}
