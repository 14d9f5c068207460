import {
  MemberType,
  type DirectoryUser,
  type ManagedMember,
  type SyncCheckpoint,
  type SyncConfig,
} from '@bwdc/core';
import { diffOrganization } from './changes';
import type { OrganizationState } from './organization';
import { byString } from './order';
import {
  REMOVAL_REASON_TEXT,
  type GroupLoss,
  type GuardCheck,
  type GuardVerdict,
  type PlannedGroup,
  type RemovedMember,
  type SyncPlanResult,
} from './types';

export interface GuardInput {
  readonly config: SyncConfig;
  /** The members the last successful sync left active, as remembered. */
  readonly managed: readonly ManagedMember[] | undefined;
  readonly baseline: ReadonlySet<string> | undefined;
  /** Every removal the plan sends, in externalId order. */
  readonly removed: readonly RemovedMember[];
  readonly activeIds: ReadonlySet<string>;
  readonly usersRead: readonly DirectoryUser[] | undefined;
  /** False for an incremental or partial read. */
  readonly complete: boolean;
  /** The groups the plan sends. */
  readonly groups: readonly PlannedGroup[];
  /** Each group's member count as the last successful sync sent it. */
  readonly groupCounts: SyncCheckpoint['groupMemberCounts'];
  /** The plan equals the last successful sync's. */
  readonly unchanged: boolean;
}

/** A check's refusal; `forceable` when `--force` may go past it. */
interface Refusal {
  readonly check: GuardCheck;
  readonly forceable: boolean;
  readonly reason: string;
}

/** Everything the checks look at; built from the plan, and again once the organization is read. */
interface Facts {
  readonly config: SyncConfig;
  readonly unchanged: boolean;
  readonly complete: boolean;
  /** Members sent as active. */
  readonly active: number;
  /** Users read; undefined when users are not synced. */
  readonly usersRead: number | undefined;
  readonly baseline: number | undefined;
  /** Members the sync takes out of the organization (sent deleted, or dropped by overwrite). */
  readonly removals: readonly RemovedMember[];
  /** With overwriteExisting and the organization read: its members overwrite could remove. */
  readonly overwriteBase: number | undefined;
  /** With overwriteExisting: why the organization could not be read to count its removals. */
  readonly overwriteUnread: string | undefined;
  readonly groupLosses: readonly GroupLoss[];
  /** Members of the sent groups whose earlier count is known, before this sync. */
  readonly membershipsBefore: number;
  readonly membershipsLost: number;
}

/** Groups (and members) a refusal names before "and N more"; the verdict keeps them all. */
const NAMED = 5;

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/**
 * The safety guard: the plan is refused by the first check that refuses it. The checks look at
 * what the plan takes away: members the last successful sync left active, members of the groups
 * it sends (against the counts that sync sent), and, once the organization is read
 * (`reviewWithOrganization`), the members overwriteExisting makes the server remove.
 */
export function guardVerdict(input: GuardInput): GuardVerdict {
  const losses = groupLosses(input.groups, input.groupCounts, undefined);
  return verdictOf({
    config: input.config,
    unchanged: input.unchanged,
    complete: input.complete,
    active: input.activeIds.size,
    usersRead: input.usersRead?.length,
    baseline: input.baseline?.size,
    removals: memberRemovals(input),
    overwriteBase: undefined,
    overwriteUnread: undefined,
    ...losses,
  });
}

/**
 * The guard once more, with the organization as it is now (or why it could not be read):
 * overwriteExisting is counted against its members (who the server would remove, Owners kept),
 * and a sent group the last sync did not record is compared with its members there (when they
 * were read). With overwriteExisting and no organization, the removals cannot be counted, so the
 * sync is refused until forced.
 */
export function reviewWithOrganization(
  plan: SyncPlanResult,
  config: SyncConfig,
  groupCounts: SyncCheckpoint['groupMemberCounts'],
  org: OrganizationState | undefined,
  unavailable: string | undefined,
): GuardVerdict {
  const previous = plan.guard;
  let removals = previous.removals;
  let overwriteBase: number | undefined;
  if (config.overwriteExisting && org) {
    const overwritten = diffOrganization({ ...plan, unchanged: false }, org)
      .remove.filter((r) => r.code === 'overwrite')
      .map(
        (r): RemovedMember => ({
          externalId: r.externalId,
          email: r.email,
          reason: 'overwrite',
          reasonText: REMOVAL_REASON_TEXT.overwrite,
          wasManaged: true,
        }),
      );
    const listed = new Set(overwritten.map((r) => r.externalId));
    removals = [
      ...previous.removals.filter((r) => r.reason !== 'overwrite' && !listed.has(r.externalId)),
      ...overwritten,
    ].sort((a, b) => byString(a.externalId, b.externalId));
    overwriteBase = org.members.filter(
      (m) => m.externalId !== null && m.externalId.trim() !== '' && m.type !== MemberType.Owner,
    ).length;
  }
  const deleted = plan.users.filter((u) => u.deleted).length;
  return verdictOf({
    config,
    unchanged: plan.unchanged,
    complete: plan.complete,
    active: plan.users.length - deleted,
    usersRead: config.users ? plan.counts.usersRead : undefined,
    baseline: previous.baseline,
    removals,
    overwriteBase,
    overwriteUnread: config.overwriteExisting && !org ? (unavailable ?? 'not read') : undefined,
    ...groupLosses(plan.groups, groupCounts, org),
  });
}

/** The externalIds of the sent groups the last sync did not record: their members are read. */
export function groupsWithoutCount(
  groups: readonly PlannedGroup[],
  groupCounts: SyncCheckpoint['groupMemberCounts'],
): Set<string> {
  return new Set(
    groups.filter((g) => groupCounts?.[g.externalId] === undefined).map((g) => g.externalId),
  );
}

function verdictOf(f: Facts): GuardVerdict {
  const share = f.baseline ? f.removals.length / f.baseline : undefined;
  const membershipShare =
    f.membershipsBefore > 0 ? f.membershipsLost / f.membershipsBefore : undefined;
  const refusal =
    overwriteWithoutMembers(f) ??
    overwriteUncounted(f) ??
    overwriteShareAbove(f) ??
    memberShareAbove(f, share) ??
    membershipsTaken(f, membershipShare);
  return {
    refused: refusal !== undefined,
    forceable: refusal?.forceable ?? true,
    reason: refusal?.reason,
    check: refusal?.check,
    baseline: f.baseline,
    removals: f.removals,
    share,
    maxShare: f.config.maxRemovalShare,
    groupLosses: f.groupLosses,
    memberships: {
      before: f.membershipsBefore,
      lost: f.membershipsLost,
      share: membershipShare,
    },
    overwriteBase: f.overwriteBase,
  };
}

/** Members active last time that this run removes: sent deleted, or dropped by overwrite. */
function memberRemovals({ config, managed, baseline, removed, activeIds }: GuardInput) {
  const removals: RemovedMember[] = removed.filter((r) => r.wasManaged);
  if (config.overwriteExisting && baseline) {
    const listed = new Set(removals.map((r) => r.externalId));
    for (const m of managed ?? []) {
      if (!activeIds.has(m.externalId) && !listed.has(m.externalId)) {
        removals.push({
          externalId: m.externalId,
          email: m.email,
          reason: 'overwrite',
          reasonText: REMOVAL_REASON_TEXT.overwrite,
          wasManaged: true,
        });
      }
    }
    removals.sort((a, b) => byString(a.externalId, b.externalId));
  }
  return removals;
}

/**
 * Each sent group with fewer members than before: before is the count the last sync sent, else
 * (a group it did not record) the members the organization has, when they were read.
 */
function groupLosses(
  groups: readonly PlannedGroup[],
  counts: SyncCheckpoint['groupMemberCounts'],
  org: OrganizationState | undefined,
): Pick<Facts, 'groupLosses' | 'membershipsBefore' | 'membershipsLost'> {
  let inOrganization: Map<string, number> | undefined;
  if (org) {
    const members = new Set(org.members.map((m) => m.id));
    inOrganization = new Map();
    for (const g of org.groups) {
      if (g.externalId === null || g.memberIds === undefined) continue;
      inOrganization.set(g.externalId, g.memberIds.filter((id) => members.has(id)).length);
    }
  }
  const losses: GroupLoss[] = [];
  let before = 0;
  let lost = 0;
  for (const g of groups) {
    const remembered = counts?.[g.externalId];
    const had = remembered ?? inOrganization?.get(g.externalId);
    if (had === undefined) continue;
    const after = g.memberExternalIds.length;
    before += had;
    if (after >= had) continue;
    lost += had - after;
    losses.push({
      externalId: g.externalId,
      name: g.name,
      before: had,
      after,
      lost: had - after,
      source: remembered !== undefined ? 'last-sync' : 'organization',
    });
  }
  losses.sort((a, b) => b.lost - a.lost || byString(a.name, b.name));
  return { groupLosses: losses, membershipsBefore: before, membershipsLost: lost };
}

/** The server would remove every member the connector ever added; no `--force` goes past it. */
function overwriteWithoutMembers({ config, active, usersRead }: Facts): Refusal | undefined {
  if (!config.overwriteExisting || active > 0) return undefined;
  const why =
    usersRead === undefined
      ? 'users are not synced (sync.users is off)'
      : usersRead === 0
        ? 'the directory read returned no users'
        : `none of the ${usersRead} users read is kept`;
  return {
    check: 'overwrite-empty',
    forceable: false,
    reason:
      `Refusing to send "Remove and re-add users" (sync.overwriteExisting) with an empty member list: ${why}. ` +
      'The server would remove every member the directory connector ever added.',
  };
}

/**
 * overwriteExisting without the organization read: the server removes every member with an
 * externalId that the import does not list, and nothing says how many that is.
 */
function overwriteUncounted({ config, unchanged, overwriteUnread }: Facts): Refusal | undefined {
  if (!config.overwriteExisting || unchanged || overwriteUnread === undefined) return undefined;
  return {
    check: 'overwrite-unread',
    forceable: true,
    reason:
      `Refusing to send "Remove and re-add users" (sync.overwriteExisting) without knowing whom it removes: the organization could not be read (${overwriteUnread.replace(/\.$/, '')}). ` +
      'With it, the server removes every member with an externalId that this sync does not list. ' +
      'Turn off sync.overwriteExisting, or run the sync with --force to go ahead on purpose.',
  };
}

/** overwriteExisting would remove more than the share of the organization's external members. */
function overwriteShareAbove(f: Facts): Refusal | undefined {
  const { config, unchanged, overwriteBase } = f;
  if (!config.overwriteExisting || unchanged || !overwriteBase) return undefined;
  const count = f.removals.filter((r) => r.reason === 'overwrite').length;
  const share = count / overwriteBase;
  if (overwriteBase < config.removalGuardMinimum || share <= config.maxRemovalShare)
    return undefined;
  return {
    check: 'overwrite',
    forceable: true,
    reason:
      `Refusing to sync: "Remove and re-add users" (sync.overwriteExisting) would make the server remove ${count} of the organization's ${overwriteBase} members with an externalId ` +
      `(${pct(share)}, above sync.maxRemovalShare ${pct(config.maxRemovalShare)}): everyone the directory read does not list.`,
  };
}

/** More than `sync.maxRemovalShare` of the members, from `sync.removalGuardMinimum` members on. */
function memberShareAbove(f: Facts, share: number | undefined): Refusal | undefined {
  const { config, unchanged, baseline, removals } = f;
  const maxShare = config.maxRemovalShare;
  const over =
    !unchanged &&
    share !== undefined &&
    baseline! >= config.removalGuardMinimum &&
    share > maxShare;
  if (!over) return undefined;
  return {
    check: 'members',
    forceable: true,
    reason:
      `Refusing to sync: it would remove ${removals.length} of the ${baseline} members the last successful sync left active ` +
      `(${pct(share)}, above sync.maxRemovalShare ${pct(maxShare)}).`,
  };
}

function named(losses: readonly GroupLoss[]): string {
  const shown = losses
    .slice(0, NAMED)
    .map((g) => `${g.name} (${g.before} -> ${g.after})`)
    .join(', ');
  return losses.length > NAMED ? `${shown} and ${losses.length - NAMED} more` : shown;
}

/**
 * Group memberships: a read with no users at all that would empty groups, a group that had
 * members sent with none (unless no more left it than leave the organization in this sync: its
 * last members left), or more than `sync.maxRemovalShare` of the memberships of the sent groups
 * (from `sync.removalGuardMinimum` memberships on).
 */
function membershipsTaken(f: Facts, share: number | undefined): Refusal | undefined {
  const { config, unchanged, groupLosses: losses } = f;
  if (unchanged || losses.length === 0) return undefined;
  const emptied = losses.filter((g) => g.after === 0);
  const check = (s: string): string =>
    `${s} Check the user and group settings (sync.userObjectClass, the user path, sync.userFilter, sync.groupFilter).`;
  if (f.usersRead === 0 && f.complete && emptied.length > 0) {
    return {
      check: 'no-users',
      forceable: true,
      reason: check(
        `Refusing to sync: the directory read returned groups but no users, so ${emptied.length} group(s) that had members would be sent empty: ${named(emptied)}.`,
      ),
    };
  }
  const unexplained = emptied.filter((g) => g.lost > f.removals.length);
  if (unexplained.length > 0) {
    return {
      check: 'emptied-groups',
      forceable: true,
      reason: check(
        `Refusing to sync: it would leave ${unexplained.length} group(s) that had members empty: ${named(unexplained)}.`,
      ),
    };
  }
  if (
    share !== undefined &&
    f.membershipsBefore >= config.removalGuardMinimum &&
    share > config.maxRemovalShare
  ) {
    return {
      check: 'memberships',
      forceable: true,
      reason: check(
        `Refusing to sync: it would take ${f.membershipsLost} of the ${f.membershipsBefore} group memberships it sends away ` +
          `(${pct(share)}, above sync.maxRemovalShare ${pct(config.maxRemovalShare)}): ${named(losses)}.`,
      ),
    };
  }
  return undefined;
}
