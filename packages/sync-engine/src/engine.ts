import { performance } from 'node:perf_hooks';
import {
  throwIfCancelled,
  type ImportRequest,
  type Logger,
  type SyncCheckpoint,
  type SyncConfig,
} from '@bwdc/core';
import type { DirectoryProvider, FetchMode } from '@bwdc/directory-provider';
import { SafetyLimitError } from './errors';
import { syncFilterClauses } from './filters';
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
}

export interface TestOptions {
  /** Read only what changed since the last sync (the provider's cursor), as `bwdc test --last`. */
  sinceLast?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

export interface SyncOptions {
  /** Go past the removal share guard, and read everything. */
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

/** Warnings logged one by one before the rest are counted; the plan and report keep them all. */
const LOGGED_WARNINGS = 20;

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
    const { plan } = await this.prepare(
      (checkpoint) =>
        options.sinceLast && !this.deps.config.overwriteExisting && checkpoint.cursor
          ? 'incremental'
          : 'full',
      options,
      'test',
    );
    return plan;
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
    };
    logger.info(`Synced ${report.groupsSynced} group(s) and ${report.usersSynced} user(s).`, {
      requestsSent,
      removed: plan.counts.removed,
      leftOut: plan.counts.leftOut,
      durationMs: report.durationMs,
    });
    return report;
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
      purpose,
    });
    if (config.removeMissingUsers && !plan.missingUsers.applied && plan.missingUsers.reason) {
      logger.info(`Users missing from this read are not removed: ${plan.missingUsers.reason}`);
    }
    plan.warnings.slice(0, LOGGED_WARNINGS).forEach((w) => logger.warn(w));
    if (plan.warnings.length > LOGGED_WARNINGS) {
      logger.warn(`${plan.warnings.length - LOGGED_WARNINGS} more warnings; see the run report.`);
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
