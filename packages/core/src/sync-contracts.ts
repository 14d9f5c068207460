/**
 * Shapes shared by the sync engine, the Bitwarden API client and the state store, so each can be
 * built and tested alone and the composition root joins them without adapters.
 */

/** One group of `POST /public/organization/import`. */
export interface ImportGroup {
  readonly name: string;
  readonly externalId: string;
  readonly memberExternalIds: readonly string[];
}

/** One member of `POST /public/organization/import`. */
export interface ImportMember {
  /**
   * A deleted member is removed by externalId alone; one without a known email (an AD
   * tombstone) carries a placeholder under `.invalid`, which Vaultwarden requires.
   */
  readonly email: string;
  readonly externalId: string;
  readonly deleted: boolean;
}

/** The body of `POST /public/organization/import`, field for field as the server reads it. */
export interface ImportRequest {
  readonly groups: readonly ImportGroup[];
  readonly members: readonly ImportMember[];
  readonly overwriteExisting: boolean;
  readonly largeImport: boolean;
  readonly inviteUsersAfterProvisioning: boolean;
}

/** A member the last successful sync sent as active, remembered to notice who has left. */
export interface ManagedMember {
  readonly externalId: string;
  readonly email: string;
}

/**
 * What a successful sync leaves behind for the next one (the official connector's "sync cache":
 * `lastSyncHash`, delta tokens, last sync times), plus the members it sent as active.
 * Committed as a whole after every request succeeded, never in part.
 */
export interface SyncCheckpoint {
  readonly lastSyncHash?: string;
  /**
   * `official` when the official connector wrote `lastSyncHash` (a data folder it synced last):
   * its request is laid out differently from ours, so the engine also compares it the official
   * way. Undefined for a hash bwdc wrote.
   */
  readonly lastSyncHashBy?: 'official';
  /** The provider's opaque cursor for the next incremental read. */
  readonly cursor?: string;
  /** ISO 8601. */
  readonly lastUserSync?: string;
  /** ISO 8601. */
  readonly lastGroupSync?: string;
  /** Undefined until a successful sync has recorded it (every sync does, whatever removeMissingUsers says). */
  readonly managedMembers?: readonly ManagedMember[];
  /**
   * How many members each group (by externalId) had as the last successful sync sent it: what a
   * later sync compares with, so a read that would empty groups is noticed. Undefined until a
   * sync has recorded it.
   */
  readonly groupMemberCounts?: Readonly<Record<string, number>>;
}
