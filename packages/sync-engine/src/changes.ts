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

interface Row {
  readonly id: string;
  readonly email: string;
  externalId: string | null;
  readonly status: number;
  readonly type: number;
  /** Added by this replay (an invite). */
  readonly invited: boolean;
  /** The externalId before the replay. */
  readonly originalExternalId: string | null;
  removed: boolean;
}

interface GroupRow {
  readonly id: string;
  readonly externalId: string | null;
  name: string;
  readonly originalName: string;
  readonly created: boolean;
  /** Undefined when not read (and not created here). */
  readonly originalMembers: ReadonlySet<string> | undefined;
  members: Set<string> | undefined;
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
  const planned = new Map<string, PlannedUser>();
  for (const u of plan.users) planned.set(u.externalId, u);
  const leftOut = new Map<string, LeftOutEntry>();
  for (const e of plan.leftOut) if (e.kind === 'user') leftOut.set(e.externalId, e);

  const rows = new Map<string, Row>();
  const byExternalId = new Map<string, Row>();
  /** Members without an externalId by exact email; null marks two of them (the server fails). */
  const unlinked = new Map<string, Row | null>();
  /** Lower-cased emails of members in the organization, with the first member of each. */
  const known = new Map<string, { row: Row; count: number }>();
  let duplicateExternalId: string | undefined;
  const knowEmail = (row: Row): void => {
    const key = row.email.toLowerCase();
    const entry = known.get(key);
    if (entry) entry.count++;
    else known.set(key, { row, count: 1 });
  };
  for (const m of org.members) {
    const row: Row = {
      id: m.id,
      email: m.email,
      externalId: m.externalId,
      status: m.status,
      type: m.type,
      invited: false,
      originalExternalId: m.externalId,
      removed: false,
    };
    rows.set(m.id, row);
    knowEmail(row);
    if (isBlank(m.externalId)) {
      unlinked.set(m.email, unlinked.has(m.email) ? null : row);
    } else if (byExternalId.has(m.externalId!)) {
      duplicateExternalId ??= m.externalId!;
    } else {
      byExternalId.set(m.externalId!, row);
    }
  }
  const groups = new Map<string, GroupRow>();
  for (const g of org.groups) {
    // The server keys existing groups by externalId; of two with one externalId the later wins.
    if (isBlank(g.externalId)) continue;
    const members = g.memberIds === undefined ? undefined : new Set(g.memberIds);
    groups.set(g.externalId!, {
      id: g.id,
      externalId: g.externalId,
      name: g.name,
      originalName: g.name,
      created: false,
      originalMembers: members,
      members: members === undefined ? undefined : new Set(members),
      touched: false,
    });
  }

  const removals: MemberRemoval[] = [];
  const keptOwners: MemberNote[] = [];
  const keepOwner = (row: Row, externalId: string, why: string): void => {
    if (keptOwners.some((k) => k.externalId === externalId)) return;
    keptOwners.push({
      email: row.email,
      externalId,
      reason: `${why}, but Bitwarden never removes an Owner through a sync`,
    });
  };
  const notInvited: MemberNote[] = [];
  const mapped = new Set<string>();
  let refusal: string | null = null;

  const remove = (row: Row, code: RemovalReason, reason: string): void => {
    if (row.removed) return;
    row.removed = true;
    const entry = known.get(row.email.toLowerCase());
    if (entry && --entry.count === 0) known.delete(row.email.toLowerCase());
    if (!row.invited) {
      removals.push({
        email: row.email,
        externalId: row.externalId ?? '',
        reason,
        code,
        role: roleName(row.type),
        status: statusName(row.status),
      });
    }
  };
  const overwriteReason = (externalId: string): { code: RemovalReason; text: string } => {
    const out = leftOut.get(externalId);
    if (out)
      return {
        code: 'overwrite',
        text: `left out of the sync (${out.message}), ${OVERWRITE_TAIL}`,
      };
    return { code: 'overwrite', text: `not in the directory read, ${OVERWRITE_TAIL}` };
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
    const imported = request.members
      .filter((m) => !m.deleted)
      .map((m) => ({ email: m.email.toLowerCase(), externalId: m.externalId }));
    const importedIds = new Set(imported.map((m) => m.externalId));
    for (const m of imported) mapped.add(m.externalId);

    // 1. Deleted members: every match but an Owner is removed.
    for (const m of request.members) {
      if (!m.deleted || importedIds.has(m.externalId)) continue;
      const row = byExternalId.get(m.externalId);
      if (!row || row.removed) continue;
      const code = planned.get(m.externalId)?.removal ?? 'deleted-in-directory';
      if (row.type === MemberRole.Owner) {
        keepOwner(row, m.externalId, REMOVAL_REASON_TEXT[code]);
        continue;
      }
      remove(row, code, REMOVAL_REASON_TEXT[code]);
    }

    // 2. overwriteExisting: every external non-Owner the request does not list.
    if (request.overwriteExisting) {
      const targets: Row[] = [];
      for (const row of byExternalId.values()) {
        if (importedIds.has(row.externalId!)) continue;
        if (row.type === MemberRole.Owner) {
          keepOwner(row, row.externalId!, overwriteReason(row.externalId!).text);
          continue;
        }
        targets.push(row);
      }
      const noPassword = targets.filter(
        (r) => r.status === MemberState.Invited || r.status === MemberState.Staged,
      );
      if (noPassword.length > 0) {
        const names = noPassword
          .slice(0, 5)
          .map((r) => r.email)
          .join(', ');
        return (
          `The server refuses the import${which} with "${SERVER_OVERWRITE_REFUSAL}": ${noPassword.length} member(s) that overwriteExisting would remove have not joined yet and have no master password (${names}${noPassword.length > 5 ? ', ...' : ''}). ` +
          'Members sent as deleted before that are removed all the same. Turn off sync.overwriteExisting, or remove those invitations in the Admin Console.'
        );
      }
      for (const row of targets) {
        const { code, text } = overwriteReason(row.externalId!);
        remove(row, code, text);
      }
    }
    for (const row of [...byExternalId.values()]) {
      if (row.removed) byExternalId.delete(row.externalId!);
    }

    // 3. Link members without an externalId by exact email.
    if (imported.length > 0) {
      for (const [email, row] of unlinked) {
        if (row === null) {
          return `The server fails the import${which} with HTTP 500: two members without an externalId share the email ${email}. Remove one of them in the Admin Console.`;
        }
      }
      for (const m of imported) {
        const row = unlinked.get(m.email);
        if (!row) continue;
        if (byExternalId.has(m.externalId)) {
          return `The server fails the import${which} with HTTP 500: ${m.email} (externalId ${m.externalId}) would be linked to a member without an externalId while another member already has that externalId.`;
        }
        row.externalId = m.externalId;
        byExternalId.set(m.externalId, row);
        unlinked.delete(m.email);
      }
    }

    // 4. New members: invited unless their email is already in the organization.
    const toAdd = imported.filter((m) => !byExternalId.has(m.externalId) && !isBlank(m.email));
    const invites: Row[] = [];
    for (const m of toAdd) {
      const owner = known.get(m.email);
      if (owner) {
        const other = owner.row;
        notInvited.push({
          email: m.email,
          externalId: m.externalId,
          reason: isBlank(other.externalId)
            ? `${other.email} is already a member without an externalId, and Bitwarden links only an exact (case-sensitive) email match; it is not linked, invited or added to groups`
            : `${other.email} is already a member with externalId ${other.externalId}; the directory entry is not invited or added to groups`,
        });
        continue;
      }
      const row: Row = {
        id: `new:${m.externalId}`,
        email: m.email,
        externalId: m.externalId,
        status: MemberState.Invited,
        type: MemberRole.User,
        invited: true,
        originalExternalId: null,
        removed: false,
      };
      invites.push(row);
      knowEmail(row);
    }
    if (invites.length > 0) {
      const confirmedOwner = [...rows.values()].some(
        (r) => !r.removed && r.type === MemberRole.Owner && r.status === MemberState.Confirmed,
      );
      if (!confirmedOwner) {
        return `The server refuses the import${which} with "Organization must have at least one confirmed owner.": confirm an Owner of the organization first.`;
      }
      for (const row of invites) {
        rows.set(row.id, row);
        byExternalId.set(row.externalId!, row);
      }
    }

    // 5. Groups: created or renamed, members set to exactly the mapped externalIds.
    for (const g of request.groups) {
      const wanted = new Set<string>();
      for (const id of g.memberExternalIds) {
        const row = byExternalId.get(id);
        if (row && !row.removed) wanted.add(row.id);
      }
      const existing = groups.get(g.externalId);
      if (!existing) {
        groups.set(g.externalId, {
          id: `new:${g.externalId}`,
          externalId: g.externalId,
          name: g.name,
          originalName: g.name,
          created: true,
          originalMembers: new Set(),
          members: wanted,
          touched: true,
        });
        continue;
      }
      existing.touched = true;
      existing.name = g.name;
      existing.members = existing.members === undefined ? undefined : wanted;
    }
    return null;
  }

  // The outcome, compared with the organization as it was.
  const live = [...rows.values()].filter((r) => !r.removed);
  const linked = live
    .filter((r) => !r.invited && isBlank(r.originalExternalId) && !isBlank(r.externalId))
    .map((r) => ({ email: r.email, externalId: r.externalId! }));
  const invite = live
    .filter((r) => r.invited)
    .map((r) => ({ email: r.email, externalId: r.externalId! }))
    .sort((a, b) => byText(a.email, b.email));
  const groupChanges: GroupChange[] = [];
  let groupsNotCompared = 0;
  for (const g of groups.values()) {
    if (!g.touched) continue;
    const renamed = !g.created && g.name !== g.originalName;
    if (g.members === undefined || g.originalMembers === undefined) {
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
    const add: string[] = [];
    const out: string[] = [];
    let members = 0;
    for (const id of g.members) {
      const row = rows.get(id);
      // A later request can remove a member from the organization, and so from every group.
      if (!row || row.removed) continue;
      members++;
      if (!g.originalMembers.has(id)) add.push(row.email);
    }
    for (const id of g.originalMembers) {
      const row = rows.get(id);
      // Members removed from the organization are listed as removals; unknown ids cannot be named.
      if (!row || row.removed) continue;
      if (!g.members.has(id)) out.push(row.email);
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
    .filter((r) => isBlank(r.externalId))
    .map((r) => ({ email: r.email, role: roleName(r.type), status: statusName(r.status) }))
    .sort((a, b) => byText(a.email, b.email));

  // Members the import maps whose state in Bitwarden it will not change.
  const emailDiffers: EmailMismatch[] = [];
  const pending: WaitingMember[] = [];
  const directoryEmail = new Map<string, string>();
  for (const request of plan.requests)
    for (const m of request.members)
      if (!m.deleted) directoryEmail.set(m.externalId, m.email.toLowerCase());
  for (const row of live) {
    if (row.invited || isBlank(row.externalId) || !mapped.has(row.externalId!)) continue;
    const wanted = directoryEmail.get(row.externalId!);
    if (
      wanted !== undefined &&
      row.originalExternalId !== null &&
      row.email.toLowerCase() !== wanted
    )
      emailDiffers.push({ externalId: row.externalId!, email: row.email, directoryEmail: wanted });
    const status =
      row.status === MemberState.Invited
        ? 'invited'
        : row.status === MemberState.Staged
          ? 'staged'
          : row.status === MemberState.Revoked
            ? 'revoked'
            : undefined;
    if (status) pending.push({ email: row.email, externalId: row.externalId!, status });
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
