/**
 * What a plan's import requests will change in the organization: who is invited, who loses access
 * and why, which groups are created, renamed or change members, and whom the sync leaves alone.
 *
 * Pure: it replays each request, in the order a sync posts them, on a copy of the organization
 * (`org-replica.ts`) with the official server's import steps (`import-replay.ts`), then compares
 * the outcome with the organization as it was (`changes-summary.ts`).
 */
import { summarizeChanges } from './changes-summary';
import { replayImports } from './import-replay';
import { OrganizationReplica } from './org-replica';
import type { OrganizationState } from './organization';
import type { RemovalReason, SyncPlanResult } from './types';

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
  const replica = new OrganizationReplica(org);
  const refusal = replayImports(plan, replica);
  return summarizeChanges(plan, org, replica, refusal);
}
