/**
 * What a plan's import requests will change in the organization: who is invited, who loses access
 * and why, which groups are created, renamed or change members, and whom the sync leaves alone.
 *
 * Pure: it replays each request, in the order a sync posts them, on a copy of the organization
 * with the official server's import steps (`ImportOrganizationUsersAndGroupsCommand`, contract §3):
 * 1. deleted members are removed, except Owners; 2. with overwriteExisting, every external
 * non-Owner member the request does not list is removed, unless one of them has no master password
 * (then the server refuses the request); 3. members without an externalId are linked by their exact
 * email; 4. the other new members are invited, except emails already in the organization;
 * 5. groups are created or renamed, and their members set to exactly the mapped externalIds.
 * Groups missing from the import are never touched. A request the server would refuse stops the
 * replay there, as a sync stops at its first failed request.
 */
import type { ImportRequest } from '@bwdc/core';
import {
  MemberRole,
  MemberState,
  roleName,
  statusName,
  type OrganizationState,
} from './organization';
import {
  REMOVAL_REASON_TEXT,
  type LeftOutEntry,
  type PlannedUser,
  type RemovalReason,
  type SyncPlanResult,
} from './types';

export interface ChangedMember {
  readonly email: string;
  readonly externalId: string;
}

export interface MemberRemoval {
  readonly email: string;
  readonly externalId: string;
  /** Why, in words: "deleted in the directory", "disabled with removeDisabled", ... */
  readonly reason: string;
  readonly code: RemovalReason;
  /** Owner, Admin, User, Custom. */
  readonly role: string;
  /** invited, accepted, confirmed, revoked, staged. */
  readonly status: string;
}

export interface GroupChange {
  readonly name: string;
  readonly externalId: string;
  readonly create: boolean;
  /** The group's name in Bitwarden now, when the import renames it. */
  readonly renamedFrom?: string;
  /**
   * Emails the import adds to and takes out of the group. Members removed from the organization
   * are listed in `remove`, not here. Empty when `membersCompared` is false.
   */
  readonly add: readonly string[];
  readonly remove: readonly string[];
  /** False when the group's current members were not read, so its member changes are unknown. */
  readonly membersCompared: boolean;
  /** Members after the import, when known. */
  readonly members?: number;
}

/** A member without an externalId: the sync never removes it (though imported groups drop it). */
export interface UnmanagedMember {
  readonly email: string;
  readonly role: string;
  readonly status: string;
}

/** A member whose email in Bitwarden differs from the directory's; an import never changes it. */
export interface EmailMismatch {
  readonly externalId: string;
  readonly email: string;
  readonly directoryEmail: string;
}

export interface MemberNote {
  readonly email: string;
  readonly externalId: string;
  readonly reason: string;
}

export interface WaitingMember {
  readonly email: string;
  readonly externalId: string;
  readonly status: 'invited' | 'staged' | 'revoked';
}

export interface ChangeCounts {
  readonly invite: number;
  readonly remove: number;
  readonly link: number;
  readonly groupsCreated: number;
  readonly groupsRenamed: number;
  /** Groups whose members change (created groups included). */
  readonly groupsChanged: number;
  readonly unmanaged: number;
  readonly membersBefore: number;
  readonly membersAfter: number;
}

export interface OrganizationChanges {
  readonly object: 'changes';
  /** True when a sync sends nothing: the plan is unchanged since the last successful sync. */
  readonly unchanged: boolean;
  readonly invite: readonly ChangedMember[];
  /** Everyone who loses access, with the reason. */
  readonly remove: readonly MemberRemoval[];
  /** Only groups that change (created, renamed, or with other members). */
  readonly groups: readonly GroupChange[];
  readonly unmanaged: readonly UnmanagedMember[];
  /** Members without an externalId that the import links to a directory entry by email. */
  readonly link: readonly ChangedMember[];
  readonly emailDiffers: readonly EmailMismatch[];
  /** Directory users not invited because their email already belongs to another member. */
  readonly notInvited: readonly MemberNote[];
  /** Synced members who have not joined yet (invited, staged) or were revoked in Bitwarden. */
  readonly pending: readonly WaitingMember[];
  /** Owners the import asks to remove: the server never removes an Owner. */
  readonly keptOwners: readonly MemberNote[];
  /** The server would refuse a request: why, in its words and ours; the lists stop there. */
  readonly refusal: string | null;
  /** Existing groups the import sends whose members were not read (see `membersCompared`). */
  readonly groupsNotCompared: number;
  readonly counts: ChangeCounts;
  /**
   * With `unchanged`: what sending the plan again would change (the organization has drifted from
   * the directory since the last sync), or null when it would change nothing.
   */
  readonly drift: OrganizationChanges | null;
}

/** What the diff needs of a plan. */
export type ChangesPlan = Pick<SyncPlanResult, 'requests' | 'users' | 'leftOut' | 'unchanged'>;

const OVERWRITE_TAIL = 'and sync.overwriteExisting removes every member the import does not list';
const SERVER_OVERWRITE_REFUSAL =
  "Sync failed. To proceed, disable the 'Remove and re-add users during next sync' setting and try again.";

/**
 * The members during the replay, one index each: the organization's first, then the invites.
 * Arrays by field rather than an object per member: at 100,000 members the replay is dominated
 * by allocation otherwise.
 */
class Members {
  readonly id: string[] = [];
  readonly email: string[] = [];
  readonly externalId: (string | null)[] = [];
  readonly originalExternalId: (string | null)[] = [];
  readonly status: number[] = [];
  readonly type: number[] = [];
  readonly invited: boolean[] = [];
  readonly removed: boolean[] = [];
  /** Scratch stamps for set operations on member lists without building sets. */
  readonly mark: number[] = [];

  add(
    id: string,
    email: string,
    externalId: string | null,
    status: number,
    type: number,
    invited: boolean,
  ): number {
    const i = this.id.length;
    this.id.push(id);
    this.email.push(email);
    this.externalId.push(externalId);
    this.originalExternalId.push(invited ? null : externalId);
    this.status.push(status);
    this.type.push(type);
    this.invited.push(invited);
    this.removed.push(false);
    this.mark.push(0);
    return i;
  }

  get size(): number {
    return this.id.length;
  }
}

interface GroupRow {
  readonly id: string;
  readonly externalId: string | null;
  name: string;
  readonly originalName: string;
  readonly created: boolean;
  /**
   * Member ids as read (undefined when not read); resolved only for groups the import touches.
   * Ids of no member cannot be named and are left out.
   */
  readonly originalIds: readonly string[] | undefined;
  /** Member indices after the replay, each once; undefined while unknown. */
  members: readonly number[] | undefined;
  touched: boolean;
}

const isBlank = (s: string | null | undefined): boolean => !s || s.trim() === '';
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What the plan's requests change in `org`. A plan that is unchanged since the last sync sends
 * nothing, so it changes nothing; its `drift` says what sending it again would change.
 */
export function diffOrganization(plan: ChangesPlan, org: OrganizationState): OrganizationChanges {
  const changes = replay(plan, org);
  if (!plan.unchanged) return changes;
  const quiet = replay({ ...plan, requests: [] }, org);
  return {
    ...quiet,
    // What the organization keeps whether or not anything is sent.
    emailDiffers: changes.emailDiffers,
    pending: changes.pending,
    unchanged: true,
    drift: isEmpty(changes) ? null : changes,
  };
}

function isEmpty(c: OrganizationChanges): boolean {
  return (
    c.invite.length === 0 &&
    c.remove.length === 0 &&
    c.groups.length === 0 &&
    c.link.length === 0 &&
    c.refusal === null
  );
}

function replay(plan: ChangesPlan, org: OrganizationState): OrganizationChanges {
  /** Why each member sent as deleted is removed. */
  const planned = new Map<string, PlannedUser>();
  for (const u of plan.users) if (u.removal !== undefined) planned.set(u.externalId, u);
  const leftOut = new Map<string, LeftOutEntry>();
  for (const e of plan.leftOut) if (e.kind === 'user') leftOut.set(e.externalId, e);

  const m = new Members();
  /** Organization-user id -> index. */
  const byId = new Map<string, number>();
  const byExternalId = new Map<string, number>();
  /** Members without an externalId by exact email; -1 marks two of them (the server fails). */
  const unlinked = new Map<string, number>();
  /** Lower-cased emails in the organization -> the first member with it; counts only when shared. */
  const known = new Map<string, number>();
  const sharedEmail = new Map<string, number>();
  let duplicateExternalId: string | undefined;
  const knowEmail = (i: number): void => {
    const key = m.email[i]!.toLowerCase();
    if (!known.has(key)) known.set(key, i);
    else sharedEmail.set(key, (sharedEmail.get(key) ?? 1) + 1);
  };
  const forgetEmail = (i: number): void => {
    const key = m.email[i]!.toLowerCase();
    const count = sharedEmail.get(key);
    if (count === undefined) known.delete(key);
    else if (count > 2) sharedEmail.set(key, count - 1);
    else sharedEmail.delete(key);
  };
  for (const member of org.members) {
    const i = m.add(member.id, member.email, member.externalId, member.status, member.type, false);
    byId.set(member.id, i);
    knowEmail(i);
    if (isBlank(member.externalId)) {
      unlinked.set(member.email, unlinked.has(member.email) ? -1 : i);
    } else if (byExternalId.has(member.externalId!)) {
      duplicateExternalId ??= member.externalId!;
    } else {
      byExternalId.set(member.externalId!, i);
    }
  }
  const groups = new Map<string, GroupRow>();
  for (const g of org.groups) {
    // The server keys existing groups by externalId; of two with one externalId the later wins.
    if (isBlank(g.externalId)) continue;
    groups.set(g.externalId!, {
      id: g.id,
      externalId: g.externalId,
      name: g.name,
      originalName: g.name,
      created: false,
      originalIds: g.memberIds,
      members: undefined,
      touched: false,
    });
  }

  // Owners are never removed and invites are never Owners, so this holds for the whole replay.
  const confirmedOwner = org.members.some(
    (x) => x.type === MemberRole.Owner && x.status === MemberState.Confirmed,
  );
  /** Removed by the request being replayed, to take out of `byExternalId` after its step 2. */
  let removedNow: number[] = [];
  const removals: MemberRemoval[] = [];
  const keptOwners: MemberNote[] = [];
  const keepOwner = (i: number, externalId: string, why: string): void => {
    if (keptOwners.some((k) => k.externalId === externalId)) return;
    keptOwners.push({
      email: m.email[i]!,
      externalId,
      reason: `${why}, but Bitwarden never removes an Owner through a sync`,
    });
  };
  const notInvited: MemberNote[] = [];
  const mapped = new Set<string>();
  let refusal: string | null = null;
  let marks = 0;

  const remove = (i: number, code: RemovalReason, reason: string): void => {
    if (m.removed[i]) return;
    m.removed[i] = true;
    removedNow.push(i);
    forgetEmail(i);
    if (!m.invited[i]) {
      removals.push({
        email: m.email[i]!,
        externalId: m.externalId[i] ?? '',
        reason,
        code,
        role: roleName(m.type[i]!),
        status: statusName(m.status[i]!),
      });
    }
  };
  const overwriteReason = (externalId: string): string => {
    const out = leftOut.get(externalId);
    return out
      ? `left out of the sync (${out.message}), ${OVERWRITE_TAIL}`
      : `not in the directory read, ${OVERWRITE_TAIL}`;
  };

  for (const [index, request] of plan.requests.entries()) {
    const which =
      plan.requests.length > 1 ? ` (request ${index + 1} of ${plan.requests.length})` : '';
    if (duplicateExternalId !== undefined) {
      refusal = `The server fails the import${which} with HTTP 500: two members of the organization share the externalId "${duplicateExternalId}". Give one of them another externalId (or remove it) in the Admin Console.`;
      break;
    }
    refusal = applyRequest(request, which);
    if (refusal !== null) break;
  }

  function applyRequest(request: ImportRequest, which: string): string | null {
    const importedIds = new Set<string>();
    let imported = 0;
    for (const x of request.members) {
      if (x.deleted) continue;
      importedIds.add(x.externalId);
      mapped.add(x.externalId);
      imported++;
    }

    // 1. Deleted members: every match but an Owner is removed.
    for (const x of request.members) {
      if (!x.deleted || importedIds.has(x.externalId)) continue;
      const i = byExternalId.get(x.externalId);
      if (i === undefined || m.removed[i]) continue;
      const code = planned.get(x.externalId)?.removal ?? 'deleted-in-directory';
      if (m.type[i] === MemberRole.Owner) {
        keepOwner(i, x.externalId, REMOVAL_REASON_TEXT[code]);
        continue;
      }
      remove(i, code, REMOVAL_REASON_TEXT[code]);
    }

    // 2. overwriteExisting: every external non-Owner the request does not list.
    if (request.overwriteExisting) {
      const targets: number[] = [];
      for (const [externalId, i] of byExternalId) {
        if (importedIds.has(externalId)) continue;
        if (m.type[i] === MemberRole.Owner) {
          keepOwner(i, externalId, overwriteReason(externalId));
          continue;
        }
        targets.push(i);
      }
      const noPassword = targets.filter(
        (i) => m.status[i] === MemberState.Invited || m.status[i] === MemberState.Staged,
      );
      if (noPassword.length > 0) {
        const names = noPassword
          .slice(0, 5)
          .map((i) => m.email[i])
          .join(', ');
        return (
          `The server refuses the import${which} with "${SERVER_OVERWRITE_REFUSAL}": ${noPassword.length} member(s) that overwriteExisting would remove have not joined yet and have no master password (${names}${noPassword.length > 5 ? ', ...' : ''}). ` +
          'Members sent as deleted before that are removed all the same. Turn off sync.overwriteExisting, or remove those invitations in the Admin Console.'
        );
      }
      for (const i of targets) remove(i, 'overwrite', overwriteReason(m.externalId[i]!));
    }
    for (const i of removedNow) {
      const externalId = m.externalId[i];
      if (externalId !== null && byExternalId.get(externalId!) === i)
        byExternalId.delete(externalId!);
    }
    removedNow = [];

    // 3. Link members without an externalId by exact email.
    if (imported > 0) {
      for (const [email, i] of unlinked) {
        if (i === -1) {
          return `The server fails the import${which} with HTTP 500: two members without an externalId share the email ${email}. Remove one of them in the Admin Console.`;
        }
      }
      if (unlinked.size > 0) {
        for (const x of request.members) {
          if (x.deleted) continue;
          const email = x.email.toLowerCase();
          const i = unlinked.get(email);
          if (i === undefined) continue;
          if (byExternalId.has(x.externalId)) {
            return `The server fails the import${which} with HTTP 500: ${email} (externalId ${x.externalId}) would be linked to a member without an externalId while another member already has that externalId.`;
          }
          m.externalId[i] = x.externalId;
          byExternalId.set(x.externalId, i);
          unlinked.delete(email);
        }
      }
    }

    // 4. New members: invited unless their email is already in the organization.
    const invites: { email: string; externalId: string }[] = [];
    const inviting = new Set<string>();
    for (const x of request.members) {
      if (x.deleted || byExternalId.has(x.externalId) || isBlank(x.email)) continue;
      const email = x.email.toLowerCase();
      const owner = known.get(email);
      if (owner !== undefined || inviting.has(email)) {
        if (owner === undefined) continue;
        const other = m.externalId[owner];
        notInvited.push({
          email,
          externalId: x.externalId,
          reason: isBlank(other)
            ? `${m.email[owner]} is already a member without an externalId, and Bitwarden links only an exact (case-sensitive) email match; it is not linked, invited or added to groups`
            : `${m.email[owner]} is already a member with externalId ${other}; the directory entry is not invited or added to groups`,
        });
        continue;
      }
      inviting.add(email);
      invites.push({ email, externalId: x.externalId });
    }
    if (invites.length > 0) {
      if (!confirmedOwner) {
        return `The server refuses the import${which} with "Organization must have at least one confirmed owner.": confirm an Owner of the organization first.`;
      }
      for (const x of invites) {
        const i = m.add(
          `new:${x.externalId}`,
          x.email,
          x.externalId,
          MemberState.Invited,
          MemberRole.User,
          true,
        );
        knowEmail(i);
        byExternalId.set(x.externalId, i);
      }
    }

    // 5. Groups: created or renamed, members set to exactly the mapped externalIds.
    for (const g of request.groups) {
      const stamp = ++marks;
      const wanted: number[] = [];
      for (const externalId of g.memberExternalIds) {
        const i = byExternalId.get(externalId);
        if (i !== undefined && !m.removed[i] && m.mark[i] !== stamp) {
          m.mark[i] = stamp;
          wanted.push(i);
        }
      }
      const existing = groups.get(g.externalId);
      if (!existing) {
        groups.set(g.externalId, {
          id: `new:${g.externalId}`,
          externalId: g.externalId,
          name: g.name,
          originalName: g.name,
          created: true,
          originalIds: [],
          members: wanted,
          touched: true,
        });
        continue;
      }
      existing.touched = true;
      existing.name = g.name;
      if (existing.originalIds !== undefined) existing.members = wanted;
    }
    return null;
  }

  // The outcome, compared with the organization as it was.
  const live: number[] = [];
  for (let i = 0; i < m.size; i++) if (!m.removed[i]) live.push(i);
  const linked = live
    .filter((i) => !m.invited[i] && isBlank(m.originalExternalId[i]) && !isBlank(m.externalId[i]))
    .map((i) => ({ email: m.email[i]!, externalId: m.externalId[i]! }));
  const invite = live
    .filter((i) => m.invited[i])
    .map((i) => ({ email: m.email[i]!, externalId: m.externalId[i]! }))
    .sort((a, b) => byText(a.email, b.email));
  const groupChanges: GroupChange[] = [];
  let groupsNotCompared = 0;
  for (const g of groups.values()) {
    if (!g.touched) continue;
    const renamed = !g.created && g.name !== g.originalName;
    if (g.members === undefined || g.originalIds === undefined) {
      groupsNotCompared++;
      if (g.created || renamed) {
        groupChanges.push({
          name: g.name,
          externalId: g.externalId!,
          create: g.created,
          ...(renamed ? { renamedFrom: g.originalName } : {}),
          add: [],
          remove: [],
          membersCompared: false,
        });
      }
      continue;
    }
    // Set differences by stamping members: one pass over each list, no sets built.
    const before = ++marks;
    const original: number[] = [];
    for (const id of g.originalIds) {
      const i = byId.get(id);
      if (i !== undefined && m.mark[i] !== before) {
        m.mark[i] = before;
        original.push(i);
      }
    }
    const add: string[] = [];
    let members = 0;
    for (const i of g.members) {
      // A later request can remove a member from the organization, and so from every group.
      if (m.removed[i]) continue;
      members++;
      if (m.mark[i] !== before) add.push(m.email[i]!);
    }
    const after = ++marks;
    for (const i of g.members) m.mark[i] = after;
    const out: string[] = [];
    for (const i of original) {
      // Members removed from the organization are listed as removals, not here.
      if (!m.removed[i] && m.mark[i] !== after) out.push(m.email[i]!);
    }
    if (!g.created && !renamed && add.length === 0 && out.length === 0) continue;
    groupChanges.push({
      name: g.name,
      externalId: g.externalId!,
      create: g.created,
      ...(renamed ? { renamedFrom: g.originalName } : {}),
      add: add.sort(byText),
      remove: out.sort(byText),
      membersCompared: true,
      members,
    });
  }
  groupChanges.sort((a, b) => byText(a.name, b.name) || byText(a.externalId, b.externalId));

  const unmanaged = live
    .filter((i) => isBlank(m.externalId[i]))
    .map((i) => ({
      email: m.email[i]!,
      role: roleName(m.type[i]!),
      status: statusName(m.status[i]!),
    }))
    .sort((a, b) => byText(a.email, b.email));

  // Members the import maps whose state in Bitwarden it will not change.
  const emailDiffers: EmailMismatch[] = [];
  const pending: WaitingMember[] = [];
  const directoryEmail = new Map<string, string>();
  for (const request of plan.requests)
    for (const x of request.members) if (!x.deleted) directoryEmail.set(x.externalId, x.email);
  for (const i of live) {
    const externalId = m.externalId[i];
    if (m.invited[i] || isBlank(externalId) || !mapped.has(externalId!)) continue;
    const wanted = directoryEmail.get(externalId!)?.toLowerCase();
    if (
      wanted !== undefined &&
      m.originalExternalId[i] !== null &&
      m.email[i]!.toLowerCase() !== wanted
    )
      emailDiffers.push({ externalId: externalId!, email: m.email[i]!, directoryEmail: wanted });
    const s = m.status[i];
    const status =
      s === MemberState.Invited
        ? 'invited'
        : s === MemberState.Staged
          ? 'staged'
          : s === MemberState.Revoked
            ? 'revoked'
            : undefined;
    if (status) pending.push({ email: m.email[i]!, externalId: externalId!, status });
  }

  removals.sort((a, b) => byText(a.email, b.email) || byText(a.externalId, b.externalId));
  const byEmail = <T extends { email: string }>(list: T[]): T[] =>
    list.sort((a, b) => byText(a.email, b.email));
  return {
    object: 'changes',
    unchanged: false,
    invite,
    remove: removals,
    groups: groupChanges,
    unmanaged,
    link: byEmail(linked),
    emailDiffers: byEmail(emailDiffers),
    notInvited: byEmail(notInvited),
    pending: byEmail(pending),
    keptOwners: byEmail(keptOwners),
    refusal,
    groupsNotCompared,
    counts: {
      invite: invite.length,
      remove: removals.length,
      link: linked.length,
      groupsCreated: groupChanges.filter((g) => g.create).length,
      groupsRenamed: groupChanges.filter((g) => g.renamedFrom !== undefined).length,
      groupsChanged: groupChanges.filter((g) => g.create || g.add.length > 0 || g.remove.length > 0)
        .length,
      unmanaged: unmanaged.length,
      membersBefore: org.members.length,
      membersAfter: live.length,
    },
    drift: null,
  };
}
