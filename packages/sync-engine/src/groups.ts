import type { DirectoryGroup, DirectoryUser } from '@bwdc/core';
import { IdPool, attachPoolRefs, isJsonSafe } from './fingerprint';
import { flattenGroups, type FlattenResult } from './flatten';
import type { LeftOutLog } from './left-out';
import { byString } from './order';
import { jsonBytes, recordListBytes } from './requests';
import type { PlannedGroup } from './types';

/** The groups read, flattened; their indices are those of `sorted`. */
export interface FlatGroups {
  readonly sorted: readonly DirectoryGroup[];
  readonly flat: FlattenResult;
  /** User externalId -> index in `flat.ids`. */
  readonly idIndex: ReadonlyMap<string, number>;
  /** Ids below this index are users read, indexed in sorted order; later ones were never read. */
  readonly usersIndexed: number;
}

/**
 * Flattens every group read, before any group is left out, so a kept group keeps the users of
 * nested groups the filter drops (upstream filters first and loses them). Warns about nested
 * references that match no group read.
 */
export function flattenRead(
  groupsRead: readonly DirectoryGroup[] | undefined,
  sortedUsers: readonly DirectoryUser[],
  log: LeftOutLog,
): FlatGroups {
  const sorted = [...(groupsRead ?? [])].sort(
    (a, b) => byString(a.referenceId, b.referenceId) || byString(a.externalId, b.externalId),
  );
  const idIndex = new Map<string, number>();
  for (const u of sortedUsers)
    if (u.externalId && !idIndex.has(u.externalId)) idIndex.set(u.externalId, idIndex.size);
  const usersIndexed = idIndex.size;
  const flat = flattenGroups(sorted, idIndex);
  sorted.forEach((g, i) => {
    const unknown = flat.unknownReferences[i];
    if (unknown) {
      const shown = unknown.slice(0, 5).join('; ');
      log.warn(
        `Group ${g.referenceId} (${g.name}) lists ${unknown.length} nested group(s) that were not read: ${shown}${unknown.length > 5 ? '; ...' : ''}.`,
      );
    }
  });
  return { sorted, flat, idIndex, usersIndexed };
}

/**
 * The groups as sent: only members the plan keeps (active users, and ids the read did not cover),
 * sorted; groups with the same externalId merged. `forFingerprint`: member lists are also kept
 * as pooled bytes for the fingerprint.
 */
export function groupsToSend(
  { sorted: groups, flat, usersIndexed }: FlatGroups,
  kept: readonly number[],
  isActive: (externalId: string) => boolean,
  log: LeftOutLog,
  forFingerprint = true,
): PlannedGroup[] {
  const ids = flat.ids;
  // Member lists are ordered by the rank of each externalId. Users read were indexed in sorted
  // order, so their index is their rank unless groups name ids no user had; then sort them all.
  let order: Int32Array;
  if (ids.length === usersIndexed) order = Int32Array.from(ids.keys());
  else order = Int32Array.from(ids.keys()).sort((a, b) => byString(ids[a]!, ids[b]!));
  const rank = new Int32Array(ids.length);
  const keepRank = new Uint8Array(ids.length);
  for (let r = 0; r < order.length; r++) {
    const i = order[r]!;
    rank[i] = r;
    // Keep active users, and ids the read did not cover (the server maps them, or drops them).
    keepRank[r] = i >= usersIndexed || isActive(ids[i]!) ? 1 : 0;
  }
  const byExternalId = new Map<string, number[]>();
  for (const g of kept) {
    const list = byExternalId.get(groups[g]!.externalId);
    if (list) list.push(g);
    else byExternalId.set(groups[g]!.externalId, [g]);
  }
  const sortedIds: string[] = new Array(ids.length);
  for (let r = 0; r < order.length; r++) sortedIds[r] = ids[order[r]!]!;
  // Each id's share of a request body, measured once for every list it is in.
  const idBytes = new Int32Array(ids.length);
  for (let r = 0; r < order.length; r++) idBytes[r] = jsonBytes(sortedIds[r]!) + 1;
  // Plain ids (the usual GUIDs and DNs) are encoded once for the fingerprint.
  const pool = forFingerprint && sortedIds.every(isJsonSafe) ? new IdPool(sortedIds) : undefined;
  // Big lists are put in order by marking ranks and scanning them all, small ones by sorting:
  // whichever is cheaper, so the whole step stays near linear in the output.
  const seen = new Uint8Array(ids.length);
  const result: PlannedGroup[] = [];
  for (const [externalId, list] of byExternalId) {
    const first = groups[list[0]!]!;
    if (list.length > 1) {
      const names = new Set(list.map((g) => groups[g]!.name));
      const refs = new Set(list.map((g) => groups[g]!.referenceId));
      if (names.size > 1 || refs.size > 1) {
        log.warn(
          `Groups ${[...refs].join('; ')} share externalId ${externalId}; sent once as "${first.name}" with the members of all of them.`,
        );
      }
    }
    const lists = list.map((g) => flat.members[g]!);
    const total = lists.reduce((n, m) => n + m.length, 0);
    let ranks: Int32Array;
    if (lists.length > 1 || total * Math.log2(total + 1) > ids.length) {
      let n = 0;
      for (const m of lists) {
        for (let k = 0; k < m.length; k++) {
          const r = rank[m[k]!]!;
          if (keepRank[r] && !seen[r]) {
            seen[r] = 1;
            n++;
          }
        }
      }
      ranks = new Int32Array(n);
      for (let r = 0, k = 0; k < n; r++) {
        if (seen[r]) {
          ranks[k++] = r;
          seen[r] = 0;
        }
      }
    } else {
      const m = lists[0]!;
      ranks = new Int32Array(m.length);
      let n = 0;
      for (let k = 0; k < m.length; k++) {
        const r = rank[m[k]!]!;
        if (keepRank[r]) ranks[n++] = r;
      }
      ranks = ranks.subarray(0, n).sort();
    }
    const memberExternalIds: string[] = new Array(ranks.length);
    let bytes = 0;
    for (let k = 0; k < ranks.length; k++) {
      memberExternalIds[k] = sortedIds[ranks[k]!]!;
      bytes += idBytes[ranks[k]!]!;
    }
    recordListBytes(memberExternalIds, bytes);
    if (pool) attachPoolRefs(memberExternalIds, pool, ranks);
    result.push({
      externalId,
      referenceId: first.referenceId,
      name: first.name,
      memberExternalIds,
    });
  }
  result.sort((a, b) => byString(a.externalId, b.externalId));
  return result;
}
