import { performance } from 'node:perf_hooks';
import {
  isBwdcError,
  throwIfCancelled,
  type ImportRequest,
  type Logger,
  type SyncCheckpoint,
  type SyncConfig,
} from '@bwdc/core';
import type { DirectoryProvider, FetchMode } from '@bwdc/directory-provider';
import { diffOrganization, type OrganizationChanges } from './changes';
import { SafetyLimitError } from './errors';
import { syncFilterClauses } from './filters';
import type { OrganizationReader } from './organization';
import { buildPlan } from './plan';
import type { SyncContext, SyncPlanResult, SyncProgress, SyncReport } from './types';

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
  /** Go past the removal share guard, and read everything. */
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

/** Warnings logged one by one before the rest are counted; the plan and report keep them all. */
const LOGGED_WARNINGS = 20;
/** Per-entry warnings logged after a read summary, which already says what they have in common. */
const LOGGED_WITH_SUMMARY = 3;

/**
 * One run: read the directory, plan, and for `sync` post each request in order and then commit
 * the checkpoint. `test` and `sync` share every step up to posting. Nothing is committed unless
 * every request succeeded; a failure or cancellation leaves the checkpoint as it was.
 */
export class SyncEngine {
  private readonly deps: SyncEngineDeps;
  private readonly now: () => Date;

  constructor(deps: SyncEngineDeps) {
    this.deps = deps;
    this.now = deps.now ?? (() => new Date());
  }

  /** The plan of a full read (or since the last sync), without posting or saving anything. */
  async test(options: TestOptions = {}): Promise<SyncPlanResult> {
    return this.planOnly(options, 'test');
  }

  /**
   * `test()`'s read and plan. With `sync` the plan also carries its fingerprints and whether it
   * is unchanged since the last sync, which `changes()` reports.
   */
  private async planOnly(options: TestOptions, purpose: 'test' | 'sync'): Promise<SyncPlanResult> {
    const { plan } = await this.prepare(
      (checkpoint) =>
        options.sinceLast && !this.deps.config.overwriteExisting && checkpoint.cursor
          ? 'incremental'
          : 'full',
      options,
      purpose,
    );
    return plan;
  }

  /**
   * The plan of `test()`, compared with the organization: reads every member and group, and the
   * members of each group the plan sends (one request per group), then replays the requests on
   * that state. Sends nothing.
   */
  async changes(options: ChangesOptions = {}): Promise<ChangesResult> {
    const reader = this.requireReader();
    // The organization is read while the directory is read and planned: the reads wait mostly on
    // the server, the plan on the CPU. Until the plan says which groups it sends, every group with
    // an externalId is read; after, only those it sends (groups a sync never changes are skipped).
    let sent: ReadonlySet<string> | undefined = undefined;
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let planned = false;
    const read = this.readOrganization(
      reader,
      (g) => g.externalId !== null && (sent === undefined || sent.has(g.externalId)),
      {
        signal: stop.signal,
        // One progress line at a time: the organization's shows once the plan is done.
        onProgress: (p) => {
          if (planned) options.onProgress?.(p);
        },
      },
    );
    // Settled below in every path; this only keeps an early failure from going unhandled.
    read.catch(() => undefined);
    let plan: SyncPlanResult;
    try {
      plan = await this.planOnly(options, 'sync');
    } catch (error) {
      stop.abort();
      await read.catch(() => undefined);
      options.signal?.removeEventListener('abort', onAbort);
      throw error;
    }
    const groups = new Set<string>();
    for (const request of plan.requests) for (const g of request.groups) groups.add(g.externalId);
    sent = groups;
    planned = true;
    options.onProgress?.({ phase: 'organization' });
    try {
      const org = await read;
      throwIfCancelled(options.signal, 'The test');
      return { plan, changes: diffOrganization(plan, org), unavailable: undefined };
    } catch (error) {
      if (!options.optional || (isBwdcError(error) && error.code === 'CANCELLED')) throw error;
      const unavailable = error instanceof Error ? error.message : String(error);
      this.deps.logger.warn(`Could not read the organization: ${unavailable}`);
      return { plan, changes: undefined, unavailable };
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async sync(options: SyncOptions = {}): Promise<SyncReport> {
    const { signal, onProgress } = options;
    const force = options.force ?? false;
    const { logger, api, checkpoints, config } = this.deps;
    const t0 = performance.now();
    const { plan, checkpoint } = await this.prepare(
      // Leavers are noticed only in a complete read: most directories' change feeds do not
      // report an entry deleted, moved out of the synced path or newly filtered out.
      (cp) =>
        force || config.overwriteExisting || config.removeMissingUsers || !cp.cursor
          ? 'full'
          : 'incremental',
      options,
      'sync',
    );

    const guard = plan.guard;
    if (guard.refused) {
      if (!force || !guard.forceable) {
        logger.error(guard.reason ?? 'The safety guard refused the sync.', {
          removals: guard.removals.length,
        });
        throw new SafetyLimitError(
          guard.reason ?? 'The safety guard refused the sync.',
          guard.removals,
          guard.forceable,
        );
      }
      logger.warn(`Forced past the safety guard: ${guard.reason}`, {
        removals: guard.removals.length,
      });
    }

    // Name what the import changes: the members and groups as they are before it (two requests;
    // the members of each group would cost one request per group, so group member changes are
    // left to `changes()`). A failed read does not stop the sync: its removals are named from the plan.
    let changes: OrganizationChanges | undefined;
    let changesUnavailable: string | undefined;
    if (!plan.unchanged && plan.requests.length > 0 && this.deps.organization) {
      try {
        changes = diffOrganization(
          plan,
          await this.readOrganization(this.deps.organization, 'none', options),
        );
      } catch (error) {
        if (isBwdcError(error) && error.code === 'CANCELLED') throw error;
        changesUnavailable = error instanceof Error ? error.message : String(error);
        logger.warn(
          `Could not read the organization to name what this sync changes; it goes on. ${changesUnavailable}`,
        );
      }
    }

    let requestsSent = 0;
    if (plan.unchanged) {
      logger.info(
        'Nothing changed since the last successful sync (same fingerprint); nothing was posted.',
      );
    } else {
      const total = plan.requests.length;
      for (const request of plan.requests) {
        throwIfCancelled(signal, 'The sync');
        onProgress?.({ phase: 'post', done: requestsSent, total });
        try {
          await api.importOrganization(request, signal);
        } catch (error) {
          logger.error(
            `Import request ${requestsSent + 1} of ${total} failed; nothing was saved, the next sync sends everything again.`,
          );
          throw error;
        }
        requestsSent++;
      }
      if (total > 0) onProgress?.({ phase: 'post', done: requestsSent, total });
    }

    throwIfCancelled(signal, 'The sync');
    onProgress?.({ phase: 'commit' });
    await checkpoints.commit(this.nextCheckpoint(plan, checkpoint));

    const finished = this.now();
    const posted = requestsSent > 0;
    const report: SyncReport = {
      mode: plan.mode,
      complete: plan.complete,
      startedAt: plan.startedAt,
      removed: plan.removed,
      leftOut: plan.leftOut,
      warnings: plan.warnings,
      summaryWarnings: plan.summaryWarnings,
      guard: plan.guard,
      missingUsers: plan.missingUsers,
      counts: plan.counts,
      cursor: plan.cursor,
      nextManagedMembers: plan.nextManagedMembers,
      unchanged: plan.unchanged,
      forced: force,
      requestsSent,
      skippedUnchanged: plan.unchanged,
      fingerprint: plan.fingerprint?.hash,
      groupsSynced: posted ? plan.counts.groups : 0,
      usersSynced: posted ? plan.counts.users : 0,
      finishedAt: finished.toISOString(),
      durationMs: Math.round(performance.now() - t0),
      ...(changes ? { changes } : {}),
      ...(changesUnavailable !== undefined ? { changesUnavailable } : {}),
    };
    logger.info(`Synced ${report.groupsSynced} group(s) and ${report.usersSynced} user(s).`, {
      requestsSent,
      removed: plan.counts.removed,
      leftOut: plan.counts.leftOut,
      durationMs: report.durationMs,
    });
    return report;
  }

  private requireReader(): OrganizationReader {
    const reader = this.deps.organization;
    if (!reader) {
      // A wiring mistake, not something an admin can fix.
      throw new Error('SyncEngine.changes() needs deps.organization (an OrganizationReader).');
    }
    return reader;
  }

  private async readOrganization(
    reader: OrganizationReader,
    groupMembers: 'none' | ((g: { externalId: string | null }) => boolean),
    options: { signal?: AbortSignal; onProgress?: (progress: SyncProgress) => void },
  ) {
    const { signal, onProgress } = options;
    throwIfCancelled(signal, 'The sync');
    this.deps.logger.info('Reading the organization from Bitwarden.');
    onProgress?.({ phase: 'organization' });
    return reader.readOrganization({
      groupMembers,
      ...(signal ? { signal } : {}),
      onProgress: (p) =>
        onProgress?.({
          phase: 'organization',
          done: p.done,
          ...(p.total === undefined ? {} : { total: p.total }),
        }),
    });
  }

  private async prepare(
    modeFor: (checkpoint: SyncCheckpoint) => FetchMode,
    options: { signal?: AbortSignal; onProgress?: (progress: SyncProgress) => void },
    purpose: 'test' | 'sync',
  ): Promise<{ plan: SyncPlanResult; checkpoint: SyncCheckpoint }> {
    const { signal, onProgress } = options;
    const { provider, checkpoints, config, context, logger } = this.deps;
    const startedAt = this.now();
    // A bad filter fails before the directory is read.
    syncFilterClauses(config, provider.filterSyntax);
    throwIfCancelled(signal, 'The sync');
    onProgress?.({ phase: 'load' });
    const checkpoint = await checkpoints.load();
    const mode = modeFor(checkpoint);
    throwIfCancelled(signal, 'The sync');

    logger.info(
      `Reading the directory (${mode === 'full' ? 'full read' : 'changes since the last sync'}).`,
    );
    onProgress?.({ phase: 'read' });
    const snapshot = await provider.fetch({
      users: config.users,
      groups: config.groups,
      mode,
      ...(mode === 'incremental' && checkpoint.cursor !== undefined
        ? { cursor: checkpoint.cursor }
        : {}),
      ...(signal ? { signal } : {}),
      onProgress: (read) =>
        onProgress?.({
          phase: 'read',
          done: read.done,
          ...(read.total === undefined ? {} : { total: read.total }),
          read,
        }),
    });
    throwIfCancelled(signal, 'The sync');

    onProgress?.({ phase: 'plan' });
    const plan = buildPlan({
      snapshot,
      config,
      checkpoint,
      context,
      mode,
      startedAt,
      filterSyntax: provider.filterSyntax,
      directory: provider.type,
      purpose,
    });
    if (config.removeMissingUsers && !plan.missingUsers.applied && plan.missingUsers.reason) {
      logger.info(`Users missing from this read are not removed: ${plan.missingUsers.reason}`);
    }
    // With a summary, a few entries show what it is about; the report keeps them all.
    const logged =
      plan.summaryWarnings + (plan.summaryWarnings ? LOGGED_WITH_SUMMARY : LOGGED_WARNINGS);
    plan.warnings.slice(0, logged).forEach((w) => logger.warn(w));
    if (plan.warnings.length > logged) {
      logger.warn(`${plan.warnings.length - logged} more warnings; see the run report.`);
    }
    logger.info(
      `Planned ${plan.counts.users} member(s) (${plan.counts.deleted} deleted) and ${plan.counts.groups} group(s) in ${plan.requests.length} request(s).`,
      {
        mode,
        complete: plan.complete,
        leftOut: plan.counts.leftOut,
        removed: plan.counts.removed,
        unchanged: plan.unchanged,
      },
    );
    return { plan, checkpoint };
  }

  private nextCheckpoint(plan: SyncPlanResult, previous: SyncCheckpoint): SyncCheckpoint {
    const { config } = this.deps;
    const next: {
      -readonly [K in keyof SyncCheckpoint]: SyncCheckpoint[K];
    } = {};
    // With no request there is no new fingerprint; the last one still describes the organization.
    const hash = plan.fingerprint?.settledHash ?? previous.lastSyncHash;
    if (hash !== undefined) next.lastSyncHash = hash;
    if (plan.cursor !== undefined) next.cursor = plan.cursor;
    const userSync = config.users ? plan.startedAt : previous.lastUserSync;
    if (userSync !== undefined) next.lastUserSync = userSync;
    const groupSync = config.groups ? plan.startedAt : previous.lastGroupSync;
    if (groupSync !== undefined) next.lastGroupSync = groupSync;
    if (plan.nextManagedMembers !== undefined) next.managedMembers = plan.nextManagedMembers;
    return next;
  }
}
