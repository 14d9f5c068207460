import type {
  DirectorySnapshot,
  DirectoryType,
  ImportRequest,
  ManagedMember,
  SyncCheckpoint,
  SyncConfig,
} from '@bwdc/core';
import type { FetchMode, FetchProgress, FilterSyntax } from '@bwdc/directory-provider';

/** The organization and server the requests go to; part of the fingerprint. */
export interface SyncContext {
  readonly organizationId: string;
  readonly apiUrl: string;
}

/** What `buildPlan` plans from. */
export interface PlanInput {
  readonly snapshot: DirectorySnapshot;
  readonly config: SyncConfig;
  readonly checkpoint: SyncCheckpoint;
  readonly context: SyncContext;
  readonly mode: FetchMode;
  readonly startedAt: Date;
  /** How the directory reads its filters: the provider's `filterSyntax`. */
  readonly filterSyntax: FilterSyntax;
  /** The provider's directory type, so a read summary names that directory's settings. */
  readonly directory?: DirectoryType;
  /**
   * `test` shows the plan and posts nothing, so it skips the fingerprints (a hash of every
   * request, and the check against a hash the official connector wrote). Default `sync`.
   */
  readonly purpose?: 'test' | 'sync';
}
import type { OrganizationChanges } from './changes';

/** Why a directory entry was not sent at all. */
export type LeftOutReason =
  | 'no-email'
  | 'email-too-long'
  | 'email-invalid'
  | 'no-external-id'
  | 'external-id-too-long'
  | 'user-filter'
  | 'not-in-kept-group'
  | 'group-filter'
  | 'group-name-missing'
  | 'group-name-too-long'
  | 'tombstone';

/** A directory entry the plan does not send, and why; `message` names the entry for admins. */
export interface LeftOutEntry {
  readonly kind: 'user' | 'group';
  readonly externalId: string;
  readonly referenceId: string;
  /** The user's email as read (users) or the group's name (groups), when there is one. */
  readonly label: string | undefined;
  readonly reason: LeftOutReason;
  readonly message: string;
}

/**
 * Why a member is sent with `deleted: true`, or (for `overwrite`) would be removed by the server
 * because `overwriteExisting` drops every external member missing from the list.
 */
export type RemovalReason =
  | 'deleted-in-directory'
  | 'disabled'
  | 'missing'
  | 'filtered'
  | 'left-out'
  | 'overwrite';

export const REMOVAL_REASON_TEXT: Readonly<Record<RemovalReason, string>> = {
  'deleted-in-directory': 'deleted in the directory',
  disabled: 'disabled with removeDisabled',
  missing: 'gone from the directory (deleted, or moved outside the synced paths or search base)',
  filtered: 'excluded by a filter',
  'left-out': 'left out of the sync (see the left-out entries)',
  overwrite: 'missing from the member list sent with overwriteExisting',
};

export interface RemovedMember {
  readonly externalId: string;
  /** Undefined for a user deleted in the directory whose entry has no email (an AD tombstone). */
  readonly email: string | undefined;
  readonly reason: RemovalReason;
  /** The reason in words, e.g. "excluded by a filter". */
  readonly reasonText: string;
  /** True when the last successful sync sent this member as active, so this run takes access away. */
  readonly wasManaged: boolean;
}

/** A member as the plan sends it, with what `bwdc test` shows about it. */
export interface PlannedUser {
  readonly externalId: string;
  /** Undefined for a remembered member that the directory no longer returns. */
  readonly referenceId: string | undefined;
  /** Undefined only for a user deleted in the directory whose entry has none (an AD tombstone). */
  readonly email: string | undefined;
  /** `disabled` users are sent as deleted when removeDisabled is on, as members otherwise. */
  readonly status: 'enabled' | 'disabled' | 'deleted';
  /** What the request says. */
  readonly deleted: boolean;
  readonly removal: RemovalReason | undefined;
}

export interface PlannedGroup {
  readonly externalId: string;
  readonly referenceId: string;
  readonly name: string;
  /** Flattened (every user of every descendant group), sorted, only members the plan keeps. */
  readonly memberExternalIds: readonly string[];
}

export interface Fingerprint {
  /** base64(sha256(apiUrl + organizationId + JSON of the request(s))), as the official connector. */
  readonly hash: string;
  /**
   * The fingerprint to remember once this plan is applied. It differs from `hash` when the plan
   * removes leavers: their deletions are sent once, and the next run's request, which no longer
   * names them, must count as unchanged.
   */
  readonly settledHash: string;
}

/** Which of the safety guard's checks refused a plan. */
export type GuardCheck =
  /** overwriteExisting with an empty member list (never forceable). */
  | 'overwrite-empty'
  /** overwriteExisting, and the organization could not be read to count whom it removes. */
  | 'overwrite-unread'
  /** overwriteExisting would remove more than the share of the organization's external members. */
  | 'overwrite'
  /** More than the share of the members the last sync left active. */
  | 'members'
  /** The read returned groups but no users, and groups that had members would be sent empty. */
  | 'no-users'
  /** Groups that had members would be sent empty. */
  | 'emptied-groups'
  /** More than the share of the sent groups' memberships. */
  | 'memberships';

/** A group the plan sends with fewer members than it had. */
export interface GroupLoss {
  readonly externalId: string;
  readonly name: string;
  /** Its members before: as the last successful sync sent it, or as the organization has it. */
  readonly before: number;
  /** Its members as this plan sends it. */
  readonly after: number;
  readonly lost: number;
  readonly source: 'last-sync' | 'organization';
}

/** The safety guard's verdict on a plan. */
export interface GuardVerdict {
  /** True when `sync()` will refuse this plan (unless `forceable` and forced). */
  readonly refused: boolean;
  /** False for refusals no `--force` can override (overwriteExisting with an empty member list). */
  readonly forceable: boolean;
  /** Why it was refused, in words; undefined when not refused. */
  readonly reason: string | undefined;
  /** The check that refused it; undefined when not refused. */
  readonly check: GuardCheck | undefined;
  /** Members active after the last successful sync; undefined when no sync has recorded them. */
  readonly baseline: number | undefined;
  /**
   * Members active last time that this run removes (sent deleted, or dropped by overwrite); with
   * overwriteExisting and the organization read, everyone the server would remove.
   */
  readonly removals: readonly RemovedMember[];
  readonly share: number | undefined;
  readonly maxShare: number;
  /** Every sent group that loses members, most lost first. */
  readonly groupLosses: readonly GroupLoss[];
  /** Memberships of the sent groups whose earlier count is known: before, lost, and the share lost. */
  readonly memberships: {
    readonly before: number;
    readonly lost: number;
    readonly share: number | undefined;
  };
  /** With overwriteExisting and the organization read: its non-Owner members with an externalId. */
  readonly overwriteBase: number | undefined;
}

/** Whether users absent from this read are removed, and if not, why not. */
export interface MissingUsersVerdict {
  readonly applied: boolean;
  readonly reason: string | undefined;
}

export interface PlanCounts {
  /** Users and groups the provider returned. */
  readonly usersRead: number;
  readonly groupsRead: number;
  /** Members and groups in the requests. */
  readonly users: number;
  readonly groups: number;
  readonly enabled: number;
  readonly disabled: number;
  /** Members sent with `deleted: true`. */
  readonly deleted: number;
  /** Of those, members the last sync had sent as active. */
  readonly removed: number;
  readonly leftOut: number;
}

/** What `test()` returns and `sync()` acts on: everything up to posting. */
export interface SyncPlanResult {
  readonly mode: FetchMode;
  /** False for incremental or partial reads: nothing was inferred from absence. */
  readonly complete: boolean;
  /** ISO 8601 start of the run; becomes the last-sync times when a sync commits. */
  readonly startedAt: string;
  readonly users: readonly PlannedUser[];
  readonly groups: readonly PlannedGroup[];
  /** In the order `sync()` posts them. Empty when there is nothing to send. */
  readonly requests: readonly ImportRequest[];
  /** Undefined when there is no request, and for a plan made for `test`. */
  readonly fingerprint: Fingerprint | undefined;
  /**
   * The fingerprint equals the last successful sync's (or its legacy form): a sync posts nothing.
   * Always false for a plan made for `test`.
   */
  readonly unchanged: boolean;
  readonly removed: readonly RemovedMember[];
  readonly leftOut: readonly LeftOutEntry[];
  /** The read summary's warnings first (`readSummary`), then the read's and the plan's own. */
  readonly warnings: readonly string[];
  /** How many of `warnings`, from the start, are the read summary. */
  readonly summaryWarnings: number;
  readonly guard: GuardVerdict;
  readonly missingUsers: MissingUsersVerdict;
  readonly counts: PlanCounts;
  /** The provider's cursor for the next incremental read. */
  readonly cursor: string | undefined;
  /**
   * The members a commit of this plan remembers as active; undefined to keep none, and for a plan
   * made for `test`, which commits nothing.
   */
  readonly nextManagedMembers: readonly ManagedMember[] | undefined;
}

export interface SyncReport
  extends Omit<SyncPlanResult, 'users' | 'groups' | 'requests' | 'fingerprint'> {
  readonly forced: boolean;
  readonly requestsSent: number;
  /** Nothing was posted because the fingerprint equals the last successful sync's. */
  readonly skippedUnchanged: boolean;
  readonly fingerprint: string | undefined;
  /** What the CLI prints as "Synced N group(s) and M user(s)."; 0 and 0 when nothing was posted. */
  readonly groupsSynced: number;
  readonly usersSynced: number;
  readonly finishedAt: string;
  readonly durationMs: number;
  /**
   * What the import changed, from the organization read just before it (members and groups; the
   * members of existing groups are not read, see `OrganizationChanges.groupsNotCompared`).
   * Undefined when nothing was posted, or the organization could not be read.
   */
  readonly changes?: OrganizationChanges;
  /** Why the organization could not be read; the sync went on. */
  readonly changesUnavailable?: string;
}

export type SyncPhase = 'load' | 'read' | 'plan' | 'organization' | 'post' | 'commit';

export interface SyncProgress {
  readonly phase: SyncPhase;
  /** Units done in this phase (requests posted, entries read). */
  readonly done?: number;
  readonly total?: number;
  /** The provider's own progress while reading. */
  readonly read?: FetchProgress;
}

/** The official CLI's `bwdc test` JSON. */
export interface TestResponse {
  readonly object: 'test';
  readonly groups: readonly {
    externalId: string;
    displayName: string;
    userIds: readonly string[];
  }[];
  readonly enabledUsers: readonly TestUser[];
  readonly disabledUsers: readonly TestUser[];
  readonly deletedUsers: readonly TestUser[];
}

export interface TestUser {
  readonly externalId: string;
  readonly displayName: string;
}
