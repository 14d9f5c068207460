import type { DirectoryUser, ManagedMember, SyncConfig } from '@bwdc/core';
import { byString } from './order';
import { REMOVAL_REASON_TEXT, type GuardVerdict, type RemovedMember } from './types';

export interface GuardInput {
  readonly config: SyncConfig;
  /** The members the last successful sync left active, as remembered. */
  readonly managed: readonly ManagedMember[] | undefined;
  readonly baseline: ReadonlySet<string> | undefined;
  /** Every removal the plan sends, in externalId order. */
  readonly removed: readonly RemovedMember[];
  readonly activeIds: ReadonlySet<string>;
  readonly usersRead: readonly DirectoryUser[] | undefined;
  /** The plan equals the last successful sync's. */
  readonly unchanged: boolean;
}

/** A check's refusal; `forceable` when `--force` may go past it. */
interface Refusal {
  readonly forceable: boolean;
  readonly reason: string;
}

/**
 * The safety guard: the plan is refused by the first check that refuses it. Each check looks at
 * what the plan takes away from the members the last successful sync left active.
 */
export function guardVerdict(input: GuardInput): GuardVerdict {
  const removals = memberRemovals(input);
  const baseline = input.baseline?.size;
  const share = baseline ? removals.length / baseline : undefined;
  const maxShare = input.config.maxRemovalShare;
  const refusal =
    overwriteWithoutMembers(input) ?? memberShareAbove(input, removals, baseline, share);
  return {
    refused: refusal !== undefined,
    forceable: refusal?.forceable ?? true,
    reason: refusal?.reason,
    baseline,
    removals,
    share,
    maxShare,
  };
}

/** Members active last time that this run removes: sent deleted, or dropped by overwrite. */
function memberRemovals({ config, managed, baseline, removed, activeIds }: GuardInput) {
  const removals: RemovedMember[] = removed.filter((r) => r.wasManaged);
  if (config.overwriteExisting && baseline) {
    const listed = new Set(removals.map((r) => r.externalId));
    for (const m of managed ?? []) {
      if (!activeIds.has(m.externalId) && !listed.has(m.externalId)) {
        removals.push({
          externalId: m.externalId,
          email: m.email,
          reason: 'overwrite',
          reasonText: REMOVAL_REASON_TEXT.overwrite,
          wasManaged: true,
        });
      }
    }
    removals.sort((a, b) => byString(a.externalId, b.externalId));
  }
  return removals;
}

/** The server would remove every member the connector ever added; no `--force` goes past it. */
function overwriteWithoutMembers({
  config,
  activeIds,
  usersRead,
}: GuardInput): Refusal | undefined {
  if (!config.overwriteExisting || activeIds.size > 0) return undefined;
  const why =
    usersRead === undefined
      ? 'users are not synced (sync.users is off)'
      : usersRead.length === 0
        ? 'the directory read returned no users'
        : `none of the ${usersRead.length} users read is kept`;
  return {
    forceable: false,
    reason:
      `Refusing to send "Remove and re-add users" (sync.overwriteExisting) with an empty member list: ${why}. ` +
      'The server would remove every member the directory connector ever added.',
  };
}

/** More than `sync.maxRemovalShare` of the members, from `sync.removalGuardMinimum` members on. */
function memberShareAbove(
  { config, unchanged }: GuardInput,
  removals: readonly RemovedMember[],
  baseline: number | undefined,
  share: number | undefined,
): Refusal | undefined {
  const maxShare = config.maxRemovalShare;
  const over =
    !unchanged &&
    share !== undefined &&
    baseline! >= config.removalGuardMinimum &&
    share > maxShare;
  if (!over) return undefined;
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  return {
    forceable: true,
    reason:
      `Refusing to sync: it would remove ${removals.length} of the ${baseline} members the last successful sync left active ` +
      `(${pct(share)}, above sync.maxRemovalShare ${pct(maxShare)}).`,
  };
}
