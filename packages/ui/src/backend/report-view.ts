import type { SyncReport } from '@bwdc/connector';
import type { SyncSummary } from '../shared/bridge';
import { toChangesView } from './changes-view';

/** Entries of each list a sync result keeps (the schedule state is polled by the dashboard). */
const SYNC_RESULT_LISTED = 100;
/** Warnings a result carries to the screen; the count says how many there were. */
const WARNINGS_LISTED = 50;

/** What the engine reports while it runs (SyncProgress), as far as the dashboard needs it. */
export interface ProgressLike {
  readonly phase: string;
  readonly done?: number;
  readonly total?: number;
  readonly read?: { readonly phase: string; readonly done: number; readonly total?: number };
}

const count = (n: number): string => n.toLocaleString('en-US');

/** A progress report as a line for people. */
export function describeProgress(p: ProgressLike): string {
  switch (p.phase) {
    case 'load':
      return 'Loading the last sync state';
    case 'read': {
      if (!p.read) return 'Reading the directory';
      const what = p.read.phase === 'members' ? 'group members' : p.read.phase;
      const of = p.read.total !== undefined ? ` of ${count(p.read.total)}` : ' so far';
      return `Reading ${what} from the directory (${count(p.read.done)}${of})`;
    }
    case 'plan':
      return 'Working out the changes';
    case 'organization':
      return p.total !== undefined
        ? `Reading the organization's groups from Bitwarden (${count(p.done ?? 0)} of ${count(p.total)})`
        : 'Reading the organization from Bitwarden';
    case 'post':
      return p.total !== undefined
        ? `Sending to Bitwarden (${count(p.done ?? 0)} of ${count(p.total)} requests)`
        : 'Sending to Bitwarden';
    case 'commit':
      return 'Saving the sync state';
    default:
      return 'Working';
  }
}

export function user(u: { externalId: string; displayName: string }): {
  externalId: string;
  displayName: string;
} {
  return { externalId: u.externalId, displayName: u.displayName };
}

export function summarize(
  report: Pick<
    SyncReport,
    | 'usersSynced'
    | 'groupsSynced'
    | 'requestsSent'
    | 'skippedUnchanged'
    | 'finishedAt'
    | 'changes'
    | 'removed'
    | 'guard'
    | 'warnings'
  >,
): SyncSummary {
  // Without the organization read, name at least who the requests took out.
  const fromPlan = new Map<string, { email: string; externalId: string; reason: string }>();
  if (!report.changes && report.requestsSent > 0) {
    for (const r of [...(report.removed ?? []), ...(report.guard?.removals ?? [])])
      if (!fromPlan.has(r.externalId))
        fromPlan.set(r.externalId, {
          email: r.email ?? '(no email)',
          externalId: r.externalId,
          reason: r.reasonText,
        });
  }
  return {
    usersSynced: report.usersSynced,
    groupsSynced: report.groupsSynced,
    requestsSent: report.requestsSent,
    skippedUnchanged: report.skippedUnchanged,
    finishedAt: report.finishedAt,
    changes: report.changes ? toChangesView(report.changes, SYNC_RESULT_LISTED) : null,
    removedFromPlan: [...fromPlan.values()].slice(0, SYNC_RESULT_LISTED),
    ...warningsOf(report.warnings),
  };
}

/** `sync.*` defaults keyed by their setting names (`sync.userObjectClass`). */
export function bySettingName(
  defaults: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(defaults))
    if (value !== undefined) out[`sync.${field}`] = value;
  return out;
}

/** A run's warnings as the screen gets them: the first few (the read summary leads) and how many. */
export function warningsOf(warnings: readonly string[]): {
  warnings: readonly string[];
  warningCount: number;
} {
  return { warnings: warnings.slice(0, WARNINGS_LISTED), warningCount: warnings.length };
}
