import { createHash } from 'node:crypto';
import type { DirectoryGroup, DirectorySnapshot, DirectoryUser, ImportRequest } from '@bwdc/core';

/*
 * The fingerprint as the official connector computes it from its own request, to recognise a
 * `lastSyncHash` it wrote (a data folder it synced last). Part of `fingerprint.ts`'s job, kept
 * apart because it rebuilds the official request rather than hashing ours.
 */

/** The part of the sync settings the official connector's request depends on. */
export interface OfficialRequestSettings {
  readonly users: boolean;
  readonly groups: boolean;
  readonly userFilter?: string;
  readonly groupFilter?: string;
  readonly removeDisabled: boolean;
  readonly overwriteExisting: boolean;
  readonly largeImport: boolean;
  readonly inviteUsersAfterProvisioning: boolean;
}

/** The official connector's batch size, where `largeImport` splits a request. */
const OFFICIAL_BATCH = 2000;

/**
 * True when `lastSyncHash`, written by the official connector, is the hash of the request the
 * official connector would build from this read, and `ours` adds nothing to that request: what
 * we would send has been sent. Its request lists entries in read order, not sorted as ours, with
 * its own filtering, flattening and de-duplication (read from its `sync.service.ts`, the request
 * builders and `baseDirectory.service.ts`), rebuilt here from the snapshot. Where its read order
 * is not fixed (Okta's active and deprovisioned users come from two queries at once), each
 * possible order is tried; a match still proves the same content, as the hash covers every byte.
 */
export function matchesOfficialFingerprint(
  snapshot: DirectorySnapshot,
  settings: OfficialRequestSettings,
  ours: readonly ImportRequest[],
  apiUrl: string,
  organizationId: string,
  lastSyncHash: string,
): boolean {
  for (const requests of officialRequestCandidates(snapshot, settings)) {
    for (const json of officialJsonForms(requests)) {
      const sha = (prefix: string) =>
        createHash('sha256')
          .update(prefix + json, 'utf8')
          .digest('base64');
      if (sha(apiUrl + organizationId) !== lastSyncHash && sha(apiUrl) !== lastSyncHash) continue;
      return addsNothing(ours, requests);
    }
  }
  return false;
}

/**
 * The request as the official connector serialized it: ids as strings, and, where every id is a
 * whole number, also as numbers. Its OneLogin reader keeps the numbers OneLogin's API returns, so
 * its request reads `"externalId":10000`; the hash covers every byte.
 */
function* officialJsonForms(requests: readonly ImportRequest[]): Generator<string> {
  const json = (r: readonly unknown[]) => JSON.stringify(r.length === 1 ? r[0] : r);
  yield json(requests);
  const ids = requests.flatMap((r) => [
    ...r.members.map((m) => m.externalId),
    ...r.groups.flatMap((g) => [g.externalId, ...g.memberExternalIds]),
  ]);
  if (ids.length === 0 || !ids.every(isWholeNumber)) return;
  yield json(
    requests.map((r) => ({
      ...r,
      groups: r.groups.map((g) => ({
        ...g,
        externalId: Number(g.externalId),
        memberExternalIds: g.memberExternalIds.map(Number),
      })),
      members: r.members.map((m) => ({ ...m, externalId: Number(m.externalId) })),
    })),
  );
}

/** A decimal id that reads back the same as a JSON number. */
function isWholeNumber(id: string): boolean {
  return /^(0|[1-9]\d{0,15})$/.test(id) && Number.isSafeInteger(Number(id));
}

/**
 * Whether every member and membership of `ours` is already in `sent`: the same member (email,
 * deleted or not), the same group (name), and no group member it did not list. Ours may leave
 * out what the official connector sends (an invalid email, a disabled user's membership); it
 * must not add (a leaver, a tombstone sent as deleted).
 */
function addsNothing(ours: readonly ImportRequest[], sent: readonly ImportRequest[]): boolean {
  if (ours.some((r) => r.overwriteExisting)) return false;
  const members = new Map<string, string>();
  const groups = new Map<string, { name: string; members: Set<string> }>();
  for (const request of sent) {
    for (const m of request.members)
      members.set(m.externalId, JSON.stringify([m.email, m.deleted]));
    for (const g of request.groups)
      groups.set(g.externalId, { name: g.name, members: new Set(g.memberExternalIds) });
  }
  return ours.every(
    (request) =>
      request.members.every(
        (m) => members.get(m.externalId) === JSON.stringify([m.email, m.deleted]),
      ) &&
      request.groups.every((g) => {
        const known = groups.get(g.externalId);
        return (
          known !== undefined &&
          known.name === g.name &&
          g.memberExternalIds.every((id) => known.members.has(id))
        );
      }),
  );
}

/**
 * The official connector's request(s) for this read, once per order its read may have had where
 * ours can differ: users as read or deprovisioned ones first (Okta's two parallel queries), and
 * each group's direct members as read or by id (the official Entra reader lists members with
 * `/groups/{id}/members`, ours through the group delta round). Lazily: usually the first matches.
 */
export function* officialRequestCandidates(
  snapshot: DirectorySnapshot,
  settings: OfficialRequestSettings,
): Generator<ImportRequest[]> {
  const users = snapshot.users ?? [];
  const userOrders: (readonly DirectoryUser[])[] = [users];
  const deletedFirst = [...users.filter((u) => u.deleted), ...users.filter((u) => !u.deleted)];
  if (deletedFirst.some((u, i) => u !== users[i])) userOrders.push(deletedFirst);
  const groups = snapshot.groups ?? [];
  const groupOrders: (readonly DirectoryGroup[])[] = [groups];
  const byId = groups.map((g) => ({
    ...g,
    userMemberExternalIds: [...g.userMemberExternalIds].sort(byCodeUnit),
  }));
  if (
    byId.some((g, i) =>
      g.userMemberExternalIds.some((id, k) => id !== groups[i]!.userMemberExternalIds[k]),
    )
  )
    groupOrders.push(byId);
  for (const groupOrder of groupOrders) {
    for (const userOrder of userOrders) {
      const requests = officialRequests(
        { ...snapshot, users: snapshot.users && userOrder, groups: snapshot.groups && groupOrder },
        settings,
      );
      if (requests) yield requests;
    }
  }
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface OfficialUser {
  readonly referenceId: string;
  readonly externalId: string;
  readonly email: string | undefined;
  readonly disabled: boolean;
  readonly deleted: boolean;
}

interface OfficialGroup {
  readonly referenceId: string;
  readonly externalId: string;
  readonly name: string;
  readonly members: Set<string>;
  readonly children: ReadonlySet<string>;
}

/** Undefined where the official connector would send nothing (or fail on duplicate emails). */
function officialRequests(
  snapshot: DirectorySnapshot,
  settings: OfficialRequestSettings,
): ImportRequest[] | undefined {
  const userSet = officialSetFilter(settings.userFilter);
  let users: OfficialUser[] | undefined = settings.users
    ? (snapshot.users ?? [])
        .map((u) => ({
          referenceId: u.referenceId,
          externalId: u.externalId,
          email: u.email?.trim().toLowerCase(),
          disabled: u.disabled,
          deleted: u.deleted,
        }))
        .filter((u) => !filteredOut(userSet, u.email))
    : undefined;
  let groups: OfficialGroup[] | undefined;
  if (settings.groups) {
    const groupSet = officialSetFilter(settings.groupFilter);
    groups = (snapshot.groups ?? [])
      .filter((g) => !filteredOut(groupSet, g.name))
      .map((g) => ({
        referenceId: g.referenceId,
        externalId: g.externalId,
        name: g.name,
        members: new Set(g.userMemberExternalIds),
        children: new Set(g.groupMemberReferenceIds),
      }));
    // With a group set filter, users in none of the kept groups (direct members, before
    // flattening) go, except deleted ones and disabled ones with removeDisabled.
    if (groupSet && users) {
      const kept = groups;
      users = users.filter(
        (u) =>
          u.deleted ||
          (u.disabled && settings.removeDisabled) ||
          kept.some((g) => g.members.has(u.externalId)),
      );
    }
  }
  users = users?.filter((u) => u.email !== undefined && u.email.length <= 256);
  if (groups && groups.length > 0 && !flattenAsOfficial(groups)) return undefined;
  const unique = users && dedupeAsOfficial(users);
  if (unique === null) return undefined;
  if (!settings.overwriteExisting && !groups?.length && !unique?.length) return undefined;

  const members = (unique ?? []).map((u) => ({
    email: u.email!,
    externalId: u.externalId,
    deleted: u.deleted || (settings.removeDisabled && u.disabled),
  }));
  const importGroups = (groups ?? []).map((g) => ({
    name: g.name,
    externalId: g.externalId,
    memberExternalIds: [...g.members],
  }));
  const invite = settings.inviteUsersAfterProvisioning;
  if (!(settings.largeImport && importGroups.length + members.length > OFFICIAL_BATCH)) {
    return [
      {
        groups: importGroups,
        members,
        overwriteExisting: settings.overwriteExisting,
        largeImport: false,
        inviteUsersAfterProvisioning: invite,
      },
    ];
  }
  if (settings.overwriteExisting) return undefined;
  const requests: ImportRequest[] = [];
  for (let i = 0; i < members.length; i += OFFICIAL_BATCH) {
    requests.push({
      groups: [],
      members: members.slice(i, i + OFFICIAL_BATCH),
      overwriteExisting: false,
      largeImport: true,
      inviteUsersAfterProvisioning: invite,
    });
  }
  for (let i = 0; i < importGroups.length; i += OFFICIAL_BATCH) {
    requests.push({
      groups: importGroups.slice(i, i + OFFICIAL_BATCH),
      members: [],
      overwriteExisting: false,
      largeImport: true,
      inviteUsersAfterProvisioning: invite,
    });
  }
  return requests;
}

/**
 * The official `include:a,b` / `exclude:a,b` set of a filter's first clause (its
 * `createCustomSet`; Entra's administrative-unit keywords, which the provider has already
 * resolved into the groups read, count as a set filter too); undefined for anything else.
 */
function officialSetFilter(
  filter: string | undefined,
): { exclude: boolean; values: ReadonlySet<string> | undefined } | undefined {
  if (!filter) return undefined;
  const first = filter.split('|')[0] ?? '';
  const parts = first.split(':');
  if (first.trim() === '' || parts.length !== 2) return undefined;
  const keyword = parts[0]!.trim().toLowerCase();
  const values = new Set(parts[1]!.split(',').map((p) => p.trim().toLowerCase()));
  if (keyword === 'include' || keyword === 'exclude')
    return { exclude: keyword === 'exclude', values };
  if (keyword === 'includeadministrativeunit' || keyword === 'excludeadministrativeunit')
    return { exclude: false, values: undefined };
  return undefined;
}

function filteredOut(
  set: ReturnType<typeof officialSetFilter>,
  value: string | undefined,
): boolean {
  if (!set?.values) return false;
  const clean = value === undefined ? '--' : value.trim().toLowerCase();
  return set.exclude ? set.values.has(clean) : !set.values.has(clean);
}

/**
 * The official connector's nested-group flattening, with the same result and insertion order:
 * each group, in read order, is visited with a fresh set of visited groups; its child groups are
 * taken in read order, flattened first (sharing the visited set, so a group visited once on the
 * way is skipped), and their users appended to its own. It looks children up by index instead of
 * scanning every group. False when the nesting is too deep to follow.
 */
function flattenAsOfficial(groups: OfficialGroup[]): boolean {
  const indicesOf = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const list = indicesOf.get(g.referenceId);
    if (list) list.push(i);
    else indicesOf.set(g.referenceId, [i]);
  });
  const childrenOf = groups.map((g) =>
    [...g.children].flatMap((ref) => indicesOf.get(ref) ?? []).sort((a, b) => a - b),
  );
  const visit = (level: readonly number[], visited: Set<string> | undefined): Set<string> => {
    const all = new Set<string>();
    for (const i of level) {
      const group = groups[i]!;
      const seen = visited ?? new Set<string>();
      if (seen.has(group.referenceId)) continue;
      seen.add(group.referenceId);
      for (const id of visit(childrenOf[i]!, seen)) group.members.add(id);
      for (const id of group.members) all.add(id);
    }
    return all;
  };
  try {
    visit(
      groups.map((_, i) => i),
      undefined,
    );
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/**
 * The official connector's `removeDuplicateUsers`: the first of identical entries is kept, a
 * deleted entry after an active one with the same email is skipped, deleted-only duplicates are
 * all kept; active entries that differ make it fail (null), so it would send nothing.
 */
function dedupeAsOfficial(users: readonly OfficialUser[]): OfficialUser[] | null {
  const key = (u: OfficialUser) =>
    JSON.stringify([u.referenceId, u.externalId, u.email, u.disabled, u.deleted]);
  const active = new Map<string, string>();
  const deleted = new Set<string>();
  const unique: OfficialUser[] = [];
  for (const u of users) {
    const email = u.email!;
    if (active.has(email)) {
      if (!u.deleted && active.get(email) !== key(u)) return null;
    } else if (!u.deleted) {
      if (deleted.has(email)) return null;
      active.set(email, key(u));
      unique.push(u);
    } else {
      deleted.add(email);
      unique.push(u);
    }
  }
  return unique;
}
