/**
 * The outcome of a replay (`OrganizationReplica` after `replayImports`), compared with the
 * organization as it was: who is invited, linked and removed, which groups change, whom the sync
 * leaves alone, and the counts. Every list is sorted, so the same replay reads the same.
 */
import { MemberStatus, memberStatusName, memberTypeName } from '@bwdc/core';
import type {
  ChangesPlan,
  EmailMismatch,
  GroupChange,
  OrganizationChanges,
  WaitingMember,
} from './changes';
import { isBlank, type OrganizationReplica } from './org-replica';
import type { OrganizationState } from './organization';

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byEmail = <T extends { email: string }>(list: T[]): T[] =>
  list.sort((a, b) => byText(a.email, b.email));
/** Statuses of members who have not joined yet, or were revoked. */
const WAITING: Readonly<Record<number, WaitingMember['status']>> = {
  [MemberStatus.Invited]: 'invited',
  [MemberStatus.Staged]: 'staged',
  [MemberStatus.Revoked]: 'revoked',
};

export function summarizeChanges(
  plan: ChangesPlan,
  before: OrganizationState,
  org: OrganizationReplica,
  refusal: string | null,
): OrganizationChanges {
  const m = org.m;
  const live: number[] = [];
  for (let i = 0; i < m.size; i++) if (!m.removed[i]) live.push(i);
  const linked = live
    .filter((i) => !m.invited[i] && isBlank(m.originalExternalId[i]) && !isBlank(m.externalId[i]))
    .map((i) => ({ email: m.email[i]!, externalId: m.externalId[i]! }));
  const invite = live
    .filter((i) => m.invited[i])
    .map((i) => ({ email: m.email[i]!, externalId: m.externalId[i]! }))
    .sort((a, b) => byText(a.email, b.email));
  const { groupChanges, groupsNotCompared } = groupsChanged(org);
  const unmanaged = live
    .filter((i) => isBlank(m.externalId[i]))
    .map((i) => ({
      email: m.email[i]!,
      role: memberTypeName(m.type[i]!),
      status: memberStatusName(m.status[i]!),
    }))
    .sort((a, b) => byText(a.email, b.email));
  const { emailDiffers, pending } = keptAsTheyAre(plan, org, live);
  const removals = org.removals.sort(
    (a, b) => byText(a.email, b.email) || byText(a.externalId, b.externalId),
  );

  return {
    object: 'changes',
    unchanged: false,
    invite,
    remove: removals,
    groups: groupChanges,
    unmanaged,
    link: byEmail(linked),
    emailDiffers: byEmail(emailDiffers),
    notInvited: byEmail(org.notInvited),
    pending: byEmail(pending),
    keptOwners: byEmail(org.keptOwners),
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
      membersBefore: before.members.length,
      membersAfter: live.length,
    },
    drift: null,
  };
}

/** The groups the import creates, renames or gives other members. */
function groupsChanged(org: OrganizationReplica): {
  groupChanges: GroupChange[];
  groupsNotCompared: number;
} {
  const m = org.m;
  const groupChanges: GroupChange[] = [];
  let groupsNotCompared = 0;
  for (const g of org.groups.values()) {
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
    const before = org.nextMark();
    const original: number[] = [];
    for (const id of g.originalIds) {
      const i = org.byId.get(id);
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
    const after = org.nextMark();
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
  return { groupChanges, groupsNotCompared };
}

/** Members the import maps whose state in Bitwarden it will not change. */
function keptAsTheyAre(
  plan: ChangesPlan,
  org: OrganizationReplica,
  live: readonly number[],
): { emailDiffers: EmailMismatch[]; pending: WaitingMember[] } {
  const m = org.m;
  const emailDiffers: EmailMismatch[] = [];
  const pending: WaitingMember[] = [];
  const directoryEmail = new Map<string, string>();
  for (const request of plan.requests)
    for (const x of request.members) if (!x.deleted) directoryEmail.set(x.externalId, x.email);
  for (const i of live) {
    const externalId = m.externalId[i];
    if (m.invited[i] || isBlank(externalId) || !org.mapped.has(externalId!)) continue;
    const wanted = directoryEmail.get(externalId!)?.toLowerCase();
    if (
      wanted !== undefined &&
      m.originalExternalId[i] !== null &&
      m.email[i]!.toLowerCase() !== wanted
    )
      emailDiffers.push({ externalId: externalId!, email: m.email[i]!, directoryEmail: wanted });
    const status = WAITING[m.status[i]!];
    if (status) pending.push({ email: m.email[i]!, externalId: externalId!, status });
  }
  return { emailDiffers, pending };
}
