import type { DirectorySnapshot, DirectoryType } from '@bwdc/core';
import type { FilterSyntax } from './filter';

export type FetchMode = 'full' | 'incremental';

export interface FetchProgress {
  readonly phase: 'users' | 'groups' | 'members';
  /** Entries read so far in this phase. */
  readonly done: number;
  /** Known only when the directory reports a total. */
  readonly total?: number;
}

export interface FetchRequest {
  /** Read users (sync.users). */
  readonly users: boolean;
  /** Read groups (sync.groups). */
  readonly groups: boolean;
  /**
   * `full` reads everything; `incremental` reads changes since `cursor` and returns a snapshot
   * with `complete: false`. A provider that cannot read incrementally does a full read.
   */
  readonly mode: FetchMode;
  readonly cursor?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: FetchProgress) => void;
}

/**
 * When the official connector's last sync started, per kind (its `lastUserSync` and
 * `lastGroupSync`), already moved back by the engine's margin for clock differences. A kind
 * without a time was not synced by it.
 */
export interface OfficialSyncTimes {
  readonly users?: Date;
  readonly groups?: Date;
}

/**
 * A source of users and groups. Implementations do I/O and mapping only: filtering by the
 * include/exclude lists, nested-group flattening and dedupe are the sync engine's job.
 * Errors are `DirectoryError`s naming the server or file; cancellation is a `CancelledError`.
 */
export interface DirectoryProvider {
  readonly type: DirectoryType;
  /**
   * How this directory reads `sync.userFilter` / `sync.groupFilter`: the engine takes the
   * include/exclude clause from them by this syntax and leaves the rest to the provider.
   */
  readonly filterSyntax: FilterSyntax;
  /** Connects and authenticates; throws a DirectoryError that says what is wrong. */
  verify(signal?: AbortSignal): Promise<void>;
  fetch(request: FetchRequest): Promise<DirectorySnapshot>;
  /**
   * For a data folder the official connector synced last: the cursor that makes an incremental
   * read start where the official connector's next sync would. Only a directory it reads
   * incrementally with these settings has one (LDAP/AD with sync.revisionDateAttribute set,
   * Okta); it returns undefined otherwise, or when a kind in `read` has no time, and the engine
   * reads everything. The provider may still read everything if the cursor proves unusable.
   */
  cursorFromOfficialSync?(
    times: OfficialSyncTimes,
    read: { readonly users: boolean; readonly groups: boolean },
  ): string | undefined;
}
