import {
  ConfigValidationError,
  type DirectorySnapshot,
  type ImportGroup,
  type ImportMember,
  type ImportRequest,
  type SyncCheckpoint,
  type SyncConfig,
} from '@bwdc/core';
import { RequestTooLargeError } from './errors';
import { fingerprintOf, isJsonSafe, legacyFingerprintOf } from './fingerprint';
import type { MemberPlan } from './leavers';
import type { LeftOutLog } from './left-out';
import type { Fingerprint, PlannedGroup, SyncContext } from './types';

/** Entries per request when batching, as the official connector (and nginx's default body limit). */
export const BATCH_SIZE = 2000;
/** Bitwarden cloud refuses more than this many groups or active members without largeImport. */
const CLOUD_LIMIT = 2000;
/**
 * The largest body the server reads: ASP.NET Core's default, which the import action keeps
 * (bitwarden/server); a larger one is answered 413 and nothing of it is applied.
 */
export const SERVER_BODY_LIMIT = 30_000_000;
/**
 * Batched requests stay below this many bytes, with room under the server's limit (and under
 * Vaultwarden's 20 MiB): flattened groups of a large directory run to tens of megabytes.
 */
export const BATCH_BODY_BYTES = 20_000_000;

export interface RequestOptions {
  readonly overwriteExisting: boolean;
  readonly largeImport: boolean;
  readonly inviteUsersAfterProvisioning: boolean;
  /** Overrides BATCH_BODY_BYTES and SERVER_BODY_LIMIT (tests). */
  readonly bodyLimits?: { readonly batch: number; readonly server: number };
}

/**
 * The import request(s) for a plan, as the official connector builds them: one request unless
 * `largeImport` is on and there are more than 2000 entries; then members in chunks of 2000 (each
 * with `groups: []`), then groups in chunks (each with `members: []`), all with `largeImport: true`
 * and `overwriteExisting: false`. Nothing to send and no overwrite means no request.
 *
 * Unlike upstream, a chunk of groups also ends before its body would pass BATCH_BODY_BYTES:
 * 2000 flattened groups of a large directory can weigh more than the server reads. A group too
 * large for a request of its own fails the plan before anything is sent.
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
  const budget = options.bodyLimits?.batch ?? BATCH_BODY_BYTES;
  const serverLimit = options.bodyLimits?.server ?? SERVER_BODY_LIMIT;
  let chunk: ImportGroup[] = [];
  let bytes = 0;
  const flush = () => {
    if (chunk.length === 0) return;
    requests.push({
      groups: chunk,
      members: [],
      overwriteExisting: false,
      largeImport: true,
      inviteUsersAfterProvisioning: invite,
    });
    chunk = [];
    bytes = 0;
  };
  for (const group of groups) {
    const size = groupBytes(group);
    if (size + REQUEST_OVERHEAD > serverLimit) {
      throw new RequestTooLargeError(
        group.externalId,
        group.name,
        group.memberExternalIds.length,
        size + REQUEST_OVERHEAD,
        serverLimit,
      );
    }
    if (chunk.length === BATCH_SIZE || (chunk.length > 0 && bytes + size > budget)) flush();
    chunk.push(group);
    bytes += size;
  }
  flush();
  return requests;
}

/** The body of a request around its groups: `{"groups":[],"members":[],...flags}`. */
const REQUEST_OVERHEAD = 200;

/** A group's bytes in a request body, exactly (JSON punctuation aside). */
function groupBytes(group: ImportGroup): number {
  let list = LIST_BYTES.get(group.memberExternalIds);
  if (list === undefined) {
    list = 0;
    for (const id of group.memberExternalIds) list += jsonBytes(id) + 1;
  }
  return 60 + jsonBytes(group.name) + jsonBytes(group.externalId) + list;
}

/** The UTF-8 bytes of a string as JSON, quotes included. */
export function jsonBytes(text: string): number {
  return isJsonSafe(text) ? text.length + 2 : Buffer.byteLength(JSON.stringify(text), 'utf8');
}

const LIST_BYTES = new WeakMap<readonly string[], number>();

/**
 * Records the size of a member list as `groupBytes` counts it (each id's `jsonBytes` plus one),
 * computed where the list was built from ids measured once each: a large plan's lists hold
 * millions of ids, most of them many times over.
 */
export function recordListBytes(ids: readonly string[], bytes: number): void {
  LIST_BYTES.set(ids, bytes);
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
 * are applied: without the leavers, whose deletions are sent once. `last` is the last sync's
 * hash, and who wrote it: only the official connector ever wrote the legacy form.
 */
export function planRequests(
  groups: readonly PlannedGroup[],
  { members, leaverIds }: MemberPlan,
  config: SyncConfig,
  context: SyncContext,
  last: Pick<SyncCheckpoint, 'lastSyncHash' | 'lastSyncHashBy'>,
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
  // The legacy form is a second pass over the whole JSON (~150 ms at 100k members): only for a
  // hash the official connector wrote.
  const { lastSyncHash } = last;
  const unchanged =
    lastSyncHash !== undefined &&
    (lastSyncHash === hash ||
      (last.lastSyncHashBy === 'official' &&
        lastSyncHash === legacyFingerprintOf(requests, context.apiUrl)));
  return { importGroups, requests, fingerprint: { hash, settledHash }, unchanged };
}
