import { BwdcError } from '@bwdc/core';
import { admitGroups, admitUsers } from './admit';
import { dedupe } from './dedupe';
import { inKeptGroups, syncFilters } from './filters';
import { matchesOfficialFingerprint } from './fingerprint-official';
import { flattenRead, groupsToSend } from './groups';
import { guardVerdict } from './guard';
import { missingUsersVerdict, nextManaged, planMembers } from './leavers';
import { LeftOutLog } from './left-out';
import { readSummary } from './read-summary';
import { planRequests, warnAboutSize } from './requests';
import type { PlanInput, SyncPlanResult } from './types';

/**
 * Everything that is the same for every directory, from a snapshot to the requests. Pure: no I/O.
 * Each step is a module of its own; what one step leaves out or warns about goes to one log.
 */
export function buildPlan(input: PlanInput): SyncPlanResult {
  const { snapshot, config, checkpoint, context, mode } = input;
  if (!context.organizationId) {
    throw new BwdcError(
      'NOT_LOGGED_IN',
      'Organization not set. Log in with the organization API key first.',
    );
  }
  // A test shows the plan and commits nothing: it skips the fingerprints and what a commit keeps.
  const forSync = input.purpose !== 'test';
  const filters = syncFilters(config, input.filterSyntax);
  const log = new LeftOutLog(snapshot.warnings);
  const managed = checkpoint.managedMembers;

  // Admit: normalize users, the server's limits, the user filter; then groups flattened over
  // everything read, the server's limits and the group filter.
  const users = admitUsers(snapshot.users, config, managed, filters.keepUser, log);
  const groups = flattenRead(snapshot.groups, users.sorted, log);
  const keptGroups = admitGroups(groups.sorted, filters.keepGroup, log);
  const candidates =
    snapshot.groups !== undefined && filters.byKeptGroups
      ? inKeptGroups(users.candidates, groups.flat, keptGroups, groups.idIndex, log)
      : users.candidates;

  // Dedupe, then the members sent: active, deleted, and leavers absent from a complete read.
  const sent = dedupe(candidates, log);
  const missingUsers = missingUsersVerdict(snapshot, config, managed, log);
  const plan = planMembers(sent, managed, missingUsers, log);
  const plannedGroups = groupsToSend(
    groups,
    keptGroups,
    (id) => plan.activeIds.has(id),
    log,
    forSync,
  );

  // Requests, fingerprint and the guard.
  warnAboutSize(snapshot, plan.activeIds.size, plannedGroups.length, config, log);
  const { importGroups, requests, fingerprint, ...ours } = planRequests(
    plannedGroups,
    plan,
    config,
    context,
    checkpoint,
    forSync,
  );
  // A hash the official connector wrote describes its own request, laid out its way.
  const last = checkpoint.lastSyncHash;
  const unchanged =
    ours.unchanged ||
    (last !== undefined &&
      fingerprint !== undefined &&
      checkpoint.lastSyncHashBy === 'official' &&
      matchesOfficialFingerprint(
        snapshot,
        config,
        requests,
        context.apiUrl,
        context.organizationId,
        last,
      ));
  const guard = guardVerdict({
    config,
    managed,
    baseline: plan.baseline,
    removed: plan.removed,
    activeIds: plan.activeIds,
    usersRead: snapshot.users,
    complete: snapshot.complete,
    groups: plannedGroups,
    groupCounts: checkpoint.groupMemberCounts,
    unchanged,
  });

  const { members, planned, removed } = plan;
  const summary = readSummary(snapshot, config, input.directory);
  return {
    mode,
    complete: snapshot.complete,
    startedAt: input.startedAt.toISOString(),
    users: planned,
    groups: plannedGroups,
    requests,
    fingerprint,
    unchanged,
    removed,
    leftOut: log.entries,
    warnings: [...summary, ...log.warnings],
    summaryWarnings: summary.length,
    guard,
    missingUsers,
    counts: {
      usersRead: snapshot.users?.length ?? 0,
      groupsRead: snapshot.groups?.length ?? 0,
      users: members.length,
      groups: importGroups.length,
      enabled: count(planned, (p) => !p.deleted && p.status === 'enabled'),
      disabled: count(planned, (p) => !p.deleted && p.status === 'disabled'),
      deleted: count(members, (m) => m.deleted),
      removed: removed.filter((r) => r.wasManaged).length,
      leftOut: log.entries.length,
    },
    cursor: snapshot.cursor,
    nextManagedMembers: forSync ? nextManaged(snapshot, managed, sent) : undefined,
  };
}

function count<T>(items: readonly T[], test: (item: T) => boolean): number {
  let n = 0;
  for (const item of items) if (test(item)) n++;
  return n;
}
