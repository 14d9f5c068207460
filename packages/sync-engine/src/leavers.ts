import { createHash } from 'node:crypto';
import type { DirectorySnapshot, ImportMember, ManagedMember, SyncConfig } from '@bwdc/core';
import type { Candidate } from './admit';
import type { LeftOutLog, NotSentReason } from './left-out';
import { byString } from './order';
import {
  REMOVAL_REASON_TEXT,
  type MissingUsersVerdict,
  type PlannedUser,
  type RemovalReason,
  type RemovedMember,
} from './types';

/** The members a plan sends, and what it knows about them, each list in externalId order. */
export interface MemberPlan {
  readonly members: ImportMember[];
  readonly planned: PlannedUser[];
  readonly removed: RemovedMember[];
  /** ExternalIds sent as active. */
  readonly activeIds: ReadonlySet<string>;
  /** Remembered members absent from the read, sent deleted once (not part of the settled state). */
  readonly leaverIds: ReadonlySet<string>;
  /** The members the last successful sync left active; undefined when none was recorded. */
  readonly baseline: ReadonlySet<string> | undefined;
}

/**
 * The email a deleted member without one (an AD tombstone) is sent with. Bitwarden removes a
 * deleted member by externalId and ignores its email, but Vaultwarden's import requires an email
 * on every member and fails the whole request without one. An address under the reserved
 * `.invalid` domain can never be anyone's, so no server matches it to a person; the hash keeps it
 * the same from run to run, so the fingerprint stays stable.
 */
export function tombstoneEmail(externalId: string): string {
  return `${createHash('sha256').update(externalId, 'utf8').digest('hex').slice(0, 32)}@tombstone.invalid`;
}

/** Whether remembered members absent from this read are removed, and if not, why not. */
export function missingUsersVerdict(
  snapshot: DirectorySnapshot,
  config: SyncConfig,
  managed: readonly ManagedMember[] | undefined,
  log: LeftOutLog,
): MissingUsersVerdict {
  const no = (reason: string): MissingUsersVerdict => ({ applied: false, reason });
  if (!config.removeMissingUsers) return no('sync.removeMissingUsers is off.');
  if (snapshot.users === undefined) return no('Users are not synced (sync.users is off).');
  if (!snapshot.complete)
    return no(
      'The read was incremental or partial, so absence from it says nothing; no missing users are removed.',
    );
  if (snapshot.users.length === 0) {
    const reason =
      'The directory read returned no users at all; no missing users are removed. Check the search base, user path and filters if users were expected.';
    log.warn(reason);
    return no(reason);
  }
  if (managed === undefined)
    return no('No earlier sync recorded which members it manages; nothing is inferred this time.');
  return { applied: true, reason: undefined };
}

/**
 * The members sent: every entry dedupe kept (deleted ones, and disabled ones with removeDisabled,
 * as removals), then, when the verdict applies, each remembered member absent from the read as a
 * leaver sent deleted under its remembered email, with the reason it is not sent as active.
 */
export function planMembers(
  sent: readonly Candidate[],
  managed: readonly ManagedMember[] | undefined,
  missingUsers: MissingUsersVerdict,
  log: LeftOutLog,
): MemberPlan {
  const members: ImportMember[] = [];
  const planned: PlannedUser[] = [];
  const removed: RemovedMember[] = [];
  const baseline = managed ? new Set(managed.map((m) => m.externalId)) : undefined;
  const activeIds = new Set<string>();
  for (const c of sent) if (!c.sendDeleted) activeIds.add(c.user.externalId);
  const addRemoval = (
    externalId: string,
    email: string | undefined,
    reason: RemovalReason,
  ): void => {
    removed.push({
      externalId,
      email,
      reason,
      reasonText: REMOVAL_REASON_TEXT[reason],
      wasManaged: baseline?.has(externalId) ?? false,
    });
  };
  for (const c of sent) {
    const u = c.user;
    members.push({
      email: c.email ?? tombstoneEmail(u.externalId),
      externalId: u.externalId,
      deleted: c.sendDeleted,
    });
    const status = u.deleted ? 'deleted' : u.disabled ? 'disabled' : 'enabled';
    const removal: RemovalReason | undefined = c.sendDeleted
      ? u.deleted
        ? 'deleted-in-directory'
        : 'disabled'
      : undefined;
    planned.push({
      externalId: u.externalId,
      referenceId: u.referenceId,
      email: c.email,
      status,
      deleted: c.sendDeleted,
      removal,
    });
    if (removal) {
      addRemoval(u.externalId, c.email, removal);
      log.notSentAs(u.externalId, u.deleted ? 'deleted' : 'disabled');
    }
  }

  const leaverIds = new Set<string>();
  if (missingUsers.applied) {
    // Every id sent is active (activeIds) or sent deleted (the few of these).
    const sentDeleted = new Set<string>();
    for (const c of sent) if (c.sendDeleted) sentDeleted.add(c.user.externalId);
    const leavers = managed!.filter(
      (m) => !activeIds.has(m.externalId) && !sentDeleted.has(m.externalId),
    );
    // Built for the first leaver: most reads find every remembered member.
    let activeEmails: Set<string> | undefined;
    for (const m of leavers.sort((a, b) => byString(a.externalId, b.externalId))) {
      const reason = leaverReason(log.whyNotSent(m.externalId));
      activeEmails ??= new Set(sent.flatMap((c) => (c.sendDeleted ? [] : [c.email])));
      if (activeEmails.has(m.email)) {
        log.warn(
          `Not removing ${m.email} (externalId ${m.externalId}, ${REMOVAL_REASON_TEXT[reason]}): an active directory entry now has the same email.`,
        );
        continue;
      }
      members.push({ email: m.email, externalId: m.externalId, deleted: true });
      leaverIds.add(m.externalId);
      planned.push({
        externalId: m.externalId,
        referenceId: undefined,
        email: m.email,
        status: 'deleted',
        deleted: true,
        removal: reason,
      });
      addRemoval(m.externalId, m.email, reason);
    }
  }
  // `sent` is in externalId order (dedupe's), so the lists are too unless leavers were added.
  if (leaverIds.size > 0) {
    members.sort((a, b) => byString(a.externalId, b.externalId));
    planned.sort((a, b) => byString(a.externalId, b.externalId));
    removed.sort((a, b) => byString(a.externalId, b.externalId));
  }
  return { members, planned, removed, activeIds, leaverIds, baseline };
}

/** Why a remembered member is removed, from why the read did not send it as active. */
function leaverReason(why: NotSentReason | undefined): RemovalReason {
  if (why === undefined) return 'missing';
  if (why === 'user-filter' || why === 'not-in-kept-group') return 'filtered';
  if (why === 'deleted') return 'deleted-in-directory';
  if (why === 'disabled') return 'disabled';
  return 'left-out';
}

/**
 * The members a commit of this plan remembers as active: the new list after a complete read,
 * the last one changed by what an incremental read mentions, or none to remember.
 */
export function nextManaged(
  snapshot: DirectorySnapshot,
  previous: readonly ManagedMember[] | undefined,
  sent: readonly Candidate[],
): readonly ManagedMember[] | undefined {
  if (snapshot.users === undefined) return previous;
  // A read that found nobody is not believed (a wrong search base, an emptied export): forgetting
  // the list then would keep every later leaver in the organization.
  if (snapshot.users.length === 0) return previous;
  if (snapshot.complete) {
    // `sent` is in externalId order already.
    return sent.flatMap((c) =>
      c.sendDeleted ? [] : [{ externalId: c.user.externalId, email: c.email }],
    );
  }
  // An incremental read only changes what it mentions; without a full list to start from there
  // is nothing sound to remember.
  if (previous === undefined) return undefined;
  const next = new Map<string, string>();
  for (const m of previous) next.set(m.externalId, m.email);
  for (const c of sent) {
    if (c.sendDeleted) next.delete(c.user.externalId);
    else next.set(c.user.externalId, c.email);
  }
  return [...next]
    .sort((a, b) => byString(a[0], b[0]))
    .map(([externalId, email]) => ({ externalId, email }));
}
