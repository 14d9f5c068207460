import { performance } from 'node:perf_hooks';
import { isBwdcError, throwIfCancelled, type SyncCheckpoint } from '@bwdc/core';
import type { FetchMode } from '@bwdc/directory-provider';
import { diffOrganization, type OrganizationChanges } from './changes';
import type {
  ChangesOptions,
  ChangesResult,
  SyncEngineDeps,
  SyncOptions,
  TestOptions,
} from './engine-api';
import { SafetyLimitError } from './errors';
import { syncFilterClauses } from './filters';
import { groupsWithoutCount, reviewWithOrganization } from './guard';
import { nextCheckpoint } from './next-checkpoint';
import { officialStartCursor } from './official-cursor';
import { postRequests } from './post-requests';
import type { OrganizationReader, OrganizationState } from './organization';
import { buildPlan } from './plan';
import type { GuardVerdict, SyncPlanResult, SyncProgress, SyncReport } from './types';

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

  /**
   * The plan of a full read (or since the last sync), without posting or saving anything. Its
   * guard is the one a sync would apply: when it depends on the organization (overwriteExisting,
   * or groups the last sync did not record), the organization is read for it.
   */
  async test(options: TestOptions = {}): Promise<SyncPlanResult> {
    const { plan, checkpoint } = await this.planOnly(options, 'test');
    const reader = this.deps.organization;
    if (!reader || !this.sends(plan, false) || !this.guardNeedsOrganization(plan, checkpoint))
      return plan;
    const read = await this.readForGuard(reader, plan, checkpoint, options);
    return { ...plan, guard: this.review(plan, checkpoint, read) };
  }

  /**
   * The read and plan of `test()`. With `sync` the plan also carries its fingerprints and whether
   * it is unchanged since the last sync, which `changes()` reports.
   */
  private planOnly(options: TestOptions, purpose: 'test' | 'sync') {
    return this.prepare(
      (cursor) =>
        options.sinceLast && !this.deps.config.overwriteExisting && cursor ? 'incremental' : 'full',
      options,
      purpose,
    );
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
    let checkpoint: SyncCheckpoint;
    try {
      ({ plan, checkpoint } = await this.planOnly(options, 'sync'));
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
      const reviewed = { ...plan, guard: this.review(plan, checkpoint, { org }) };
      return { plan: reviewed, changes: diffOrganization(reviewed, org), unavailable: undefined };
    } catch (error) {
      if (!options.optional || (isBwdcError(error) && error.code === 'CANCELLED')) throw error;
      const unavailable = error instanceof Error ? error.message : String(error);
      this.deps.logger.warn(`Could not read the organization: ${unavailable}`);
      const reviewed = { ...plan, guard: this.review(plan, checkpoint, { unavailable }) };
      return { plan: reviewed, changes: undefined, unavailable };
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async sync(options: SyncOptions = {}): Promise<SyncReport> {
    const { signal, onProgress } = options;
    const force = options.force ?? false;
    const { logger, api, checkpoints, config } = this.deps;
    const t0 = performance.now();
    const reader = this.deps.organization;
    // When the record already says the sync will send (no fingerprint to be unchanged against,
    // or --force) and the guard will read no group's members, the organization is read while the
    // directory is read and planned: the reads wait on the server, the plan on the CPU.
    const early = new AbortController();
    let earlyRead: Promise<OrganizationState> | undefined;
    let prepared: { plan: SyncPlanResult; checkpoint: SyncCheckpoint };
    try {
      prepared = await this.prepare(
        // Leavers are noticed only in a complete read: most directories' change feeds do not
        // report an entry deleted, moved out of the synced path or newly filtered out.
        (cursor) =>
          force || config.overwriteExisting || config.removeMissingUsers || !cursor
            ? 'full'
            : 'incremental',
        options,
        'sync',
        (loaded) => {
          if (!reader || !this.sendsWhateverThePlan(loaded, force)) return;
          earlyRead = this.readOrganization(reader, 'none', {
            signal: signal ? AbortSignal.any([signal, early.signal]) : early.signal,
          });
          // Settled below in every path; this only keeps an early failure from going unhandled.
          earlyRead.catch(() => undefined);
        },
      );
    } catch (error) {
      early.abort();
      await earlyRead?.catch(() => undefined);
      throw error;
    }
    const { plan, checkpoint } = prepared;
    if (plan.mode === 'full' && officialStartCursor(this.deps.provider, checkpoint, config)) {
      logger.info(
        "This first sync after the official connector reads everything (--force, sync.overwriteExisting or sync.removeMissingUsers), so it sends every member once, also any removed by hand in the web vault since the official connector's last sync.",
      );
    }

    // --force sends an unchanged plan again: the organization may have been changed by hand.
    const resend = force && plan.unchanged && plan.requests.length > 0;
    if (resend) logger.info('Forced: sending everything again although nothing changed.');
    const sending: SyncPlanResult = resend ? { ...plan, unchanged: false } : plan;

    // The organization as it is before the import: for the guard (whom overwriteExisting removes,
    // groups the last sync did not record) and to name what the import changes. Members and
    // groups take two requests; only groups without a recorded count have their members read.
    // A failed read does not stop the sync unless the guard needed it.
    let read: { org?: OrganizationState; unavailable?: string } = {};
    const unrecorded = groupsWithoutCount(plan.groups, checkpoint.groupMemberCounts);
    if (earlyRead && (!this.sends(plan, force) || unrecorded.size > 0)) {
      early.abort();
      await earlyRead.catch(() => undefined);
      earlyRead = undefined;
    }
    if (reader && this.sends(plan, force)) {
      read = await this.readForGuard(reader, plan, checkpoint, options, earlyRead);
      if (read.unavailable !== undefined) {
        logger.warn(
          `Could not read the organization to name what this sync changes; it goes on unless the safety guard needs it. ${read.unavailable}`,
        );
      }
    }
    const guard =
      reader && this.sends(plan, force) ? this.review(plan, checkpoint, read) : plan.guard;
    if (guard.refused) {
      if (!force || !guard.forceable) {
        logger.error(guard.reason ?? 'The safety guard refused the sync.', {
          removals: guard.removals.length,
          groups: guard.groupLosses.length,
        });
        throw new SafetyLimitError(
          guard.reason ?? 'The safety guard refused the sync.',
          guard.removals,
          guard.forceable,
          guard.groupLosses,
        );
      }
      logger.warn(`Forced past the safety guard: ${guard.reason}`, {
        removals: guard.removals.length,
        groups: guard.groupLosses.length,
      });
    }
    // What the import changes, for the report only: named while the server takes the largest
    // request. Like a failed read of the organization, a failure here does not stop the sync.
    let changes: OrganizationChanges | undefined;
    let changesUnavailable = read.unavailable;
    let named = false;
    const nameChanges = (): void => {
      if (named || !read.org) return;
      named = true;
      try {
        changes = diffOrganization(sending, read.org);
      } catch (error) {
        changesUnavailable = `Naming the changes failed: ${error instanceof Error ? error.message : String(error)}`;
        logger.warn(`Could not name what this sync changes; it goes on. ${changesUnavailable}`);
      }
    };

    let requestsSent = 0;
    if (sending.unchanged) {
      logger.info(
        'Nothing changed since the last successful sync (same fingerprint); nothing was posted.',
      );
    } else {
      requestsSent = await postRequests(api, plan.requests, logger, {
        signal,
        onProgress,
        meanwhile: nameChanges,
      });
    }
    nameChanges();

    throwIfCancelled(signal, 'The sync');
    onProgress?.({ phase: 'commit' });
    try {
      await checkpoints.commit(nextCheckpoint(plan, checkpoint, this.deps.config));
    } catch (error) {
      if (requestsSent > 0) {
        // The server has the import; only our record of it is missing. The next sync plans
        // against the last record, so it sends the same requests again (the server applies
        // them again without change) and the guard judges the same removals once more.
        logger.error(
          `Bitwarden received all ${requestsSent} import request(s), but the record of this sync could not be saved; the next sync sends them again${force ? ' and, as this one was forced, needs --force again' : ''}.`,
        );
      }
      throw error;
    }

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
      guard,
      missingUsers: plan.missingUsers,
      counts: plan.counts,
      cursor: plan.cursor,
      nextManagedMembers: plan.nextManagedMembers,
      unchanged: plan.unchanged,
      forced: force,
      requestsSent,
      skippedUnchanged: sending.unchanged,
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

  /** Whether a sync of this plan posts anything. */
  private sends(plan: SyncPlanResult, force: boolean): boolean {
    return plan.requests.length > 0 && (!plan.unchanged || force);
  }

  /**
   * Whether a sync sends whatever its plan, with a guard that reads no group's members: there is
   * no fingerprint to find the plan unchanged (or --force), and the last sync recorded its
   * groups' member counts (or groups are not synced).
   */
  private sendsWhateverThePlan(checkpoint: SyncCheckpoint, force: boolean): boolean {
    return (
      (force || checkpoint.lastSyncHash === undefined) &&
      (!this.deps.config.groups || checkpoint.groupMemberCounts !== undefined)
    );
  }

  /** The guard's verdict depends on the organization, not only on the last sync's record. */
  private guardNeedsOrganization(plan: SyncPlanResult, checkpoint: SyncCheckpoint): boolean {
    return (
      this.deps.config.overwriteExisting ||
      groupsWithoutCount(plan.groups, checkpoint.groupMemberCounts).size > 0
    );
  }

  /**
   * Reads members and groups, and the members of each sent group the last sync did not record.
   * A failure (other than a cancel) comes back as `unavailable`: the guard decides what it means.
   * `started`: the same read (no group's members), started before the plan was made.
   */
  private async readForGuard(
    reader: OrganizationReader,
    plan: SyncPlanResult,
    checkpoint: SyncCheckpoint,
    options: { signal?: AbortSignal; onProgress?: (progress: SyncProgress) => void },
    started?: Promise<OrganizationState>,
  ): Promise<{ org?: OrganizationState; unavailable?: string }> {
    const unrecorded = groupsWithoutCount(plan.groups, checkpoint.groupMemberCounts);
    try {
      if (started) options.onProgress?.({ phase: 'organization' });
      const org = await (started ??
        this.readOrganization(
          reader,
          unrecorded.size === 0
            ? 'none'
            : (g) => g.externalId !== null && unrecorded.has(g.externalId),
          options,
        ));
      return { org };
    } catch (error) {
      if (isBwdcError(error) && error.code === 'CANCELLED') throw error;
      return { unavailable: error instanceof Error ? error.message : String(error) };
    }
  }

  private review(
    plan: SyncPlanResult,
    checkpoint: SyncCheckpoint,
    read: { org?: OrganizationState; unavailable?: string },
  ): GuardVerdict {
    return reviewWithOrganization(
      plan,
      this.deps.config,
      checkpoint.groupMemberCounts,
      read.org,
      read.unavailable,
    );
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
    /** The mode for the cursor an incremental read would start from (undefined: none). */
    modeFor: (cursor: string | undefined) => FetchMode,
    options: { signal?: AbortSignal; onProgress?: (progress: SyncProgress) => void },
    purpose: 'test' | 'sync',
    /** Told the checkpoint as soon as it is loaded, before the directory is read. */
    onCheckpoint?: (checkpoint: SyncCheckpoint) => void,
  ): Promise<{ plan: SyncPlanResult; checkpoint: SyncCheckpoint }> {
    const { signal, onProgress } = options;
    const { provider, checkpoints, config, context, logger } = this.deps;
    const startedAt = this.now();
    // A bad filter fails before the directory is read.
    syncFilterClauses(config, provider.filterSyntax);
    throwIfCancelled(signal, 'The sync');
    onProgress?.({ phase: 'load' });
    const checkpoint = await checkpoints.load();
    onCheckpoint?.(checkpoint);
    // Until bwdc has a cursor of its own, a folder the official connector synced last is read
    // from its last sync times, as its next sync would: a full read would send everyone again,
    // and invite again whom an admin removed by hand since.
    const cursor = checkpoint.cursor ?? officialStartCursor(provider, checkpoint, config);
    const mode = modeFor(cursor);
    throwIfCancelled(signal, 'The sync');

    logger.info(
      `Reading the directory (${
        mode === 'full'
          ? 'full read'
          : checkpoint.cursor === undefined
            ? "changes since the official connector's last sync"
            : 'changes since the last sync'
      }).`,
    );
    onProgress?.({ phase: 'read' });
    const snapshot = await provider.fetch({
      users: config.users,
      groups: config.groups,
      mode,
      ...(mode === 'incremental' && cursor !== undefined ? { cursor } : {}),
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
}
