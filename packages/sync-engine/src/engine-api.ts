import type { ImportRequest, Logger, SyncCheckpoint, SyncConfig } from '@bwdc/core';
import type { DirectoryProvider } from '@bwdc/directory-provider';
import type { OrganizationChanges } from './changes';
import type { OrganizationReader } from './organization';
import type { SyncContext, SyncPlanResult, SyncProgress } from './types';

/*
 * What the engine is given (its dependencies) and what its runs take and return. Apart from
 * `engine.ts` so that the run's code is read without its contract in the way.
 */

/** Posts one import request; the Bitwarden API client implements it. */
export interface ImportApi {
  importOrganization(request: ImportRequest, signal?: AbortSignal): Promise<void>;
}

/** The sync cache in the state store. `commit` replaces the whole checkpoint at once. */
export interface CheckpointStore {
  load(): Promise<SyncCheckpoint>;
  commit(next: SyncCheckpoint): Promise<void>;
}

export interface SyncEngineDeps {
  provider: DirectoryProvider;
  api: ImportApi;
  checkpoints: CheckpointStore;
  config: SyncConfig;
  context: SyncContext;
  logger: Logger;
  now?: () => Date;
  /** Reads the organization, for `changes()` and for naming what a sync changed. */
  organization?: OrganizationReader;
}

export interface TestOptions {
  /** Read only what changed since the last sync (the provider's cursor), as `bwdc test --last`. */
  sinceLast?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

/** A test against the organization: the plan, and what it would change there. */
export interface ChangesResult {
  readonly plan: SyncPlanResult;
  /** Undefined only with `optional`, when the organization could not be read. */
  readonly changes: OrganizationChanges | undefined;
  /** Why the organization could not be read (with `optional`). */
  readonly unavailable: string | undefined;
}

export interface ChangesOptions extends TestOptions {
  /** Return the plan without changes when the organization cannot be read, instead of failing. */
  optional?: boolean;
}

export interface SyncOptions {
  /**
   * Go past the safety guard's forceable refusals, read everything, and send everything even
   * when the plan is unchanged since the last sync (to repair an organization changed by hand).
   */
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}
