import { BwdcError } from '@bwdc/core';
import type { GroupLoss, RemovedMember } from './types';

/** How many entries an error message lists before it says "and N more"; the property has all. */
const LISTED = 25;

/**
 * A sync refused by the safety guard. `wouldRemove` lists every member the run would have taken
 * out of the organization, and `groupLosses` every group it would take members out of, so the
 * admin can see what a wrong filter, search base or object class would do.
 */
export class SafetyLimitError extends BwdcError {
  readonly wouldRemove: readonly RemovedMember[];
  readonly groupLosses: readonly GroupLoss[];
  /** False when no `--force` can override the refusal. */
  readonly forceable: boolean;

  constructor(
    reason: string,
    wouldRemove: readonly RemovedMember[],
    forceable: boolean,
    groupLosses: readonly GroupLoss[] = [],
  ) {
    super(
      'SAFETY_LIMIT',
      [
        describeRefusal({ reason, removals: wouldRemove, groupLosses }),
        forceable
          ? 'Nothing was sent. If this is intended, run `bwdc sync --force` to go ahead on purpose.'
          : 'Nothing was sent, and --force does not go past this refusal.',
      ].join('\n'),
      {
        actions: forceable
          ? [
              'Check the directory settings (search base, user and group paths, object classes, filters) and run `bwdc test` to see the plan.',
              'If the removals are intended, run the sync again with --force, or raise sync.maxRemovalShare.',
            ]
          : [
              'Check the directory settings (search base, user and group paths, object classes, filters) and run `bwdc test` to see the plan.',
            ],
      },
    );
    this.wouldRemove = wouldRemove;
    this.groupLosses = groupLosses;
    this.forceable = forceable;
  }
}

/**
 * A guard refusal in lines for a person: the reason, then the members it would remove and the
 * groups it would take members out of, each list cut after the first entries.
 */
export function describeRefusal(guard: {
  readonly reason: string | undefined;
  readonly removals: readonly RemovedMember[];
  readonly groupLosses: readonly GroupLoss[];
}): string {
  const lines = guard.removals
    .slice(0, LISTED)
    .map((m) => `  ${m.email ?? '(no email)'} (${m.externalId}): ${m.reasonText}`);
  if (guard.removals.length > LISTED) lines.push(`  and ${guard.removals.length - LISTED} more`);
  const groups = guard.groupLosses
    .slice(0, LISTED)
    .map(
      (g) =>
        `  ${g.name}: ${g.lost} of ${g.before} member(s)${g.after === 0 ? ' (left empty)' : ''}`,
    );
  if (guard.groupLosses.length > LISTED)
    groups.push(`  and ${guard.groupLosses.length - LISTED} more`);
  return [
    guard.reason ?? 'The safety guard refused the sync.',
    ...(lines.length ? [`It would remove (${guard.removals.length}):`, ...lines] : []),
    ...(groups.length
      ? [`It would take members out of these groups (${guard.groupLosses.length}):`, ...groups]
      : []),
  ].join('\n');
}

/** One email (or externalId) claimed by directory entries that disagree. */
export interface DuplicateConflict {
  readonly key: 'email' | 'externalId';
  readonly value: string;
  readonly entries: readonly {
    readonly referenceId: string;
    readonly externalId: string;
    readonly email: string;
  }[];
}

/**
 * Active directory entries that would become two different members with the same email (or one
 * member with two emails). Unlike the official connector, the message names every entry's source
 * (DN or id), so the admin can find them without debug logs.
 */
export class DuplicateEmailError extends BwdcError {
  readonly conflicts: readonly DuplicateConflict[];

  constructor(conflicts: readonly DuplicateConflict[]) {
    const lines = conflicts.slice(0, LISTED).map((c) => {
      const entries = c.entries.map((e) =>
        c.key === 'email'
          ? `${e.referenceId} (externalId ${e.externalId})`
          : `${e.referenceId} (${e.email})`,
      );
      return c.key === 'email'
        ? `  ${c.value} is the email of: ${entries.join('; ')}`
        : `  externalId ${c.value} is used by: ${entries.join('; ')}`;
    });
    if (conflicts.length > LISTED) lines.push(`  and ${conflicts.length - LISTED} more`);
    super(
      'DUPLICATE_EMAIL',
      ['Emails must be unique. These directory entries conflict:', ...lines].join('\n'),
      {
        actions: [
          'Give each of these entries its own email in the directory, or exclude all but one with sync.userFilter.',
        ],
      },
    );
    this.conflicts = conflicts;
  }
}

/**
 * A group whose flattened member list alone makes an import request larger than the Bitwarden
 * server reads. The server would answer 413; the plan fails first, before anything is sent.
 */
export class RequestTooLargeError extends BwdcError {
  constructor(
    /** The group's externalId. */
    readonly group: string,
    name: string,
    members: number,
    readonly bytes: number,
    limit: number,
  ) {
    const mb = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`;
    super(
      'BITWARDEN_REQUEST_FAILED',
      `Group "${name}" (externalId ${group}) has ${members} members after nested groups are ` +
        `flattened: its import request alone would be ${mb(bytes)}, more than the Bitwarden server ` +
        `reads in one request (${mb(limit)}). Nothing was sent.`,
      {
        actions: ['Leave the group out with sync.groupFilter, or split it in the directory.'],
      },
    );
  }
}
