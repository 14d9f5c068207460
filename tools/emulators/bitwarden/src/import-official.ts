/**
 * The official server's import (contract §2–§3): controller size rule, then
 * ImportOrganizationUsersAndGroupsCommand's steps in order. Steps change `org` in place and are
 * not undone when a later step throws, exactly like the server's non-transactional repositories.
 */
import { randomUUID } from 'node:crypto';
import type { ParsedImport } from './body';
import {
  EventType,
  MemberStatus,
  MemberType,
  officialBadRequest,
  officialServerError,
  type EmulatorEvent,
  type MemberRow,
  type OrgState,
} from './model';

export interface ImportEffects {
  events: EmulatorEvent[];
  /** Emails that were sent an invitation. */
  invites: string[];
}

const LIMIT = 2000;
const isBlank = (s: string | null | undefined): boolean =>
  s === null || s === undefined || s.trim() === '';

export function officialImport(
  org: OrgState,
  model: ParsedImport,
  selfHosted: boolean,
  effects: ImportEffects,
): void {
  // Null collections get past model validation and crash the controller's LINQ.
  if (model.groups === null || model.members === null) throw officialServerError();
  const groups = model.groups;
  const members = model.members;

  if (
    !selfHosted &&
    !model.largeImport &&
    (groups.length > LIMIT || members.filter((m) => !m.deleted).length > LIMIT)
  ) {
    throw officialBadRequest('You cannot import this much data at once.');
  }
  if (groups.some((g) => g.memberExternalIds === null)) throw officialServerError();

  // Step 0: the organization and a snapshot of its users (Revoked and Staged included).
  if (!org.useDirectory) throw officialBadRequest('Organization cannot use directory syncing.');
  const imported = members
    .filter((m) => !m.deleted)
    .map((m) => ({ email: m.email!.toLowerCase(), externalId: m.externalId }));
  const removeIds = members.filter((m) => m.deleted).map((m) => m.externalId);
  const importedIds = new Set(imported.map((m) => m.externalId));
  // The rows as they are now. Steps 1 and 2 only drop rows and step 3 only links rows whose
  // ExternalId is blank, after reading them, so the rows themselves serve as the snapshot.
  const index = memberIndex(org);
  if (index.duplicate) throw officialServerError();
  const existingExternal = index.external;
  const externalIdToId = new Overlay(index.byExternalId);
  const removeMembers = (ids: Iterable<string>): void => {
    const gone = new Set(ids);
    org.members = org.members.filter((m) => !gone.has(m.id));
    for (const g of org.groups) g.memberIds = g.memberIds.filter((id) => !gone.has(id));
    for (const id of gone)
      effects.events.push({ type: EventType.OrganizationUserRemoved, memberId: id, systemUser: 3 });
  };

  // Step 1: deleted=true removes every matched external user except Owners.
  if (removeIds.length > 0) {
    const byExternalId = new Map(existingExternal.map((m) => [m.externalId!, m]));
    const targets = [...new Set(removeIds)]
      .filter((id) => !importedIds.has(id))
      .map((id) => byExternalId.get(id))
      .filter((m): m is MemberRow => m !== undefined && m.type !== MemberType.Owner);
    removeMembers(targets.map((m) => m.id));
  }

  // Step 2: overwriteExisting removes unlisted external non-Owners, unless one lacks a master password.
  if (model.overwriteExisting) {
    const targets = existingExternal.filter(
      (m) =>
        m.type !== MemberType.Owner &&
        !importedIds.has(m.externalId!) &&
        externalIdToId.has(m.externalId!),
    );
    if (targets.some((m) => !m.hasMasterPassword)) {
      throw officialBadRequest(
        "Sync failed. To proceed, disable the 'Remove and re-add users during next sync' setting and try again.",
      );
    }
    removeMembers(targets.map((m) => m.id));
    for (const m of targets) externalIdToId.delete(m.externalId!);
  }

  // Step 3: link members without an ExternalId by (ordinal) email.
  if (imported.length > 0) {
    const unlinked = new Map<string, MemberRow>();
    for (const m of index.blank) {
      if (unlinked.has(m.email)) throw officialServerError();
      unlinked.set(m.email, m);
    }
    const importedByEmail = new Map<string, string>();
    for (const m of imported) {
      if (importedByEmail.has(m.email)) throw officialServerError(); // ToDictionary on a duplicate key
      importedByEmail.set(m.email, m.externalId);
    }
    for (const [email, externalId] of importedByEmail) {
      const existing = unlinked.get(email);
      const row = existing && org.members.find((m) => m.id === existing.id);
      if (!row) continue;
      if (externalIdToId.has(externalId)) throw officialServerError(); // Dictionary.Add on a duplicate key
      row.externalId = externalId;
      externalIdToId.set(externalId, row.id);
    }
  }

  // Step 4: new users, staged or invited.
  const toAdd = imported.filter((m) => !externalIdToId.has(m.externalId) && !isBlank(m.email));
  if (toAdd.length > 0) {
    const known = new Set(org.members.map((m) => m.email.toLowerCase()));
    if (!model.inviteUsersAfterProvisioning && org.stagedStatus) {
      for (const m of toAdd) {
        if (known.has(m.email)) continue;
        known.add(m.email);
        const row = newMember(m.email, m.externalId, MemberStatus.Staged);
        org.members.push(row);
        externalIdToId.set(m.externalId, row.id);
        effects.events.push({
          type: EventType.OrganizationUserStaged,
          memberId: row.id,
          systemUser: 3,
        });
      }
    } else {
      const invites: { email: string; externalId: string }[] = [];
      for (const m of toAdd) {
        if (known.has(m.email)) continue; // OrganizationUser_SelectKnownEmails: silently skipped
        known.add(m.email);
        invites.push(m);
      }
      if (invites.length > 0) {
        checkSeats(org, invites.length, selfHosted);
        const confirmedOwner = org.members.some(
          (m) => m.type === MemberType.Owner && m.status === MemberStatus.Confirmed,
        );
        if (!confirmedOwner)
          throw officialBadRequest('Organization must have at least one confirmed owner.');
        for (const m of invites) {
          const row = newMember(m.email, m.externalId, MemberStatus.Invited);
          org.members.push(row);
          externalIdToId.set(m.externalId, row.id);
          effects.invites.push(m.email);
          effects.events.push({
            type: EventType.OrganizationUserInvited,
            memberId: row.id,
            systemUser: 3,
          });
        }
      }
    }
  }

  // Step 5: groups, after every user change above has been applied.
  if (groups.length === 0) return;
  if (!org.useGroups) throw officialBadRequest('Organization cannot use groups.');
  const importedGroups = new Map<string, { name: string; ids: string[] }>();
  for (const g of groups) {
    if (importedGroups.has(g.externalId)) throw officialServerError();
    importedGroups.set(g.externalId, { name: g.name, ids: g.memberExternalIds! });
  }
  // Each live member a number, found by any ExternalId that maps to it, so a group's list is
  // resolved and deduplicated in one pass (lists run to 100k ids).
  const liveIds = new Map<string, number>();
  for (const m of org.members) if (!liveIds.has(m.id)) liveIds.set(m.id, liveIds.size);
  const live = new Map<string, { id: string; n: number }>();
  for (const [externalId, id] of externalIdToId) {
    const n = liveIds.get(id);
    if (n !== undefined) live.set(externalId, { id, n });
  }
  const listed = new Int32Array(liveIds.size);
  let round = 0;
  /** The known, live member ids of `ids`, in the order listed, each once. */
  const membership = (ids: string[]): string[] => {
    const r = ++round;
    const result: string[] = [];
    for (const x of ids) {
      const m = live.get(x);
      if (m !== undefined && listed[m.n] !== r) {
        listed[m.n] = r;
        result.push(m.id);
      }
    }
    return result;
  };
  const existingByExternalId = new Map(
    org.groups.filter((g) => !isBlank(g.externalId)).map((g) => [g.externalId!, g]),
  );
  for (const [externalId, g] of importedGroups) {
    if (existingByExternalId.has(externalId)) continue;
    const row = { id: randomUUID(), name: g.name, externalId, memberIds: membership(g.ids) };
    org.groups.push(row);
    effects.events.push({ type: EventType.GroupCreated, groupId: row.id, systemUser: 3 });
  }
  for (const [externalId, row] of existingByExternalId) {
    const g = importedGroups.get(externalId);
    if (!g) continue; // groups missing from the import are never touched
    if (row.name !== g.name) row.name = g.name;
    const wanted = membership(g.ids);
    const current = new Set(row.memberIds);
    const same = wanted.length === current.size && wanted.every((id) => current.has(id));
    if (!same) row.memberIds = wanted;
    effects.events.push({ type: EventType.GroupUpdated, groupId: row.id, systemUser: 3 });
  }
}

/**
 * Step 0's dictionary of an organization's members by ExternalId, and its rows with and without
 * one. Kept between imports: a large import comes as dozens of requests, and building it for
 * 100k members each time cost more than the rest of a request. It is checked against the rows on
 * every use (same rows, ids and ExternalIds, in order) and rebuilt, or extended by rows added at
 * the end, when they changed.
 */
interface MemberIndex {
  readonly rows: MemberRow[];
  readonly ids: string[];
  readonly externalIds: (string | null)[];
  readonly byExternalId: Map<string, string>;
  readonly external: MemberRow[];
  readonly blank: MemberRow[];
  /** Two rows share an ExternalId: step 0's ToDictionary fails (a 500). */
  duplicate: boolean;
}

const INDEXES = new WeakMap<OrgState, MemberIndex>();

function memberIndex(org: OrgState): MemberIndex {
  const rows = org.members;
  let index = INDEXES.get(org);
  if (index && !unchangedPrefix(index, rows)) index = undefined;
  if (!index) {
    index = {
      rows: [],
      ids: [],
      externalIds: [],
      byExternalId: new Map(),
      external: [],
      blank: [],
      duplicate: false,
    };
    INDEXES.set(org, index);
  }
  for (let i = index.rows.length; i < rows.length; i++) {
    const m = rows[i]!;
    index.rows.push(m);
    index.ids.push(m.id);
    index.externalIds.push(m.externalId);
    if (isBlank(m.externalId)) {
      index.blank.push(m);
      continue;
    }
    index.external.push(m);
    const size = index.byExternalId.size;
    // A key already present leaves the size as it was: one lookup instead of two per member.
    if (index.byExternalId.set(m.externalId!, m.id).size === size) index.duplicate = true;
  }
  return index;
}

/** Whether the rows the index was built from are still the first rows, unchanged. */
function unchangedPrefix(index: MemberIndex, rows: readonly MemberRow[]): boolean {
  if (index.rows.length > rows.length) return false;
  for (let i = 0; i < index.rows.length; i++) {
    const m = rows[i]!;
    if (m !== index.rows[i] || m.id !== index.ids[i] || m.externalId !== index.externalIds[i])
      return false;
  }
  return true;
}

/** A request's own changes to step 0's dictionary, over it, leaving it as it was. */
class Overlay {
  private readonly set_ = new Map<string, string>();
  private readonly deleted = new Set<string>();

  constructor(private readonly base: ReadonlyMap<string, string>) {}

  get(key: string): string | undefined {
    if (this.deleted.has(key)) return undefined;
    return this.set_.get(key) ?? this.base.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: string): void {
    this.deleted.delete(key);
    this.set_.set(key, value);
  }

  delete(key: string): void {
    this.set_.delete(key);
    this.deleted.add(key);
  }

  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const [key, value] of this.base)
      if (!this.deleted.has(key) && !this.set_.has(key)) yield [key, value];
    yield* this.set_;
  }
}

function newMember(email: string, externalId: string, status: MemberStatus): MemberRow {
  return {
    id: randomUUID(),
    userId: null,
    email,
    externalId,
    status,
    type: MemberType.User,
    hasMasterPassword: false,
  };
}

/** OrganizationService's seat check: occupied seats are Invited, Accepted and Confirmed members. */
function checkSeats(org: OrgState, invites: number, selfHosted: boolean): void {
  if (org.seats === null) return;
  const occupied = org.members.filter(
    (m) => m.status >= MemberStatus.Invited && m.status <= MemberStatus.Confirmed,
  ).length;
  const needed = invites - (org.seats - occupied);
  if (needed <= 0) return;
  if (selfHosted) throw officialBadRequest('Cannot autoscale on self-hosted instance.');
  if (org.maxAutoscaleSeats !== null && org.seats + needed > org.maxAutoscaleSeats) {
    throw officialBadRequest('Seat limit has been reached.');
  }
  org.seats += needed;
}
