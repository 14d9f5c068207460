import type { OrganizationChanges } from '@bwdc/connector';
import type { ChangesView } from '../shared/bridge';

/**
 * The connector's changes as the app shows them. `limit` keeps only the first entries of each
 * list (a sync result is kept in the schedule state the dashboard polls); counts stay whole.
 */
/** Only the fields the app shows (the connector's entries carry more). */
const removalView = (m: { email: string; externalId: string; reason: string }) => ({
  email: m.email,
  externalId: m.externalId,
  reason: m.reason,
});

export function toChangesView(changes: OrganizationChanges, limit = Infinity): ChangesView {
  const first = <T>(list: readonly T[]): T[] => list.slice(0, limit);
  return {
    unchanged: changes.unchanged,
    invite: first(changes.invite).map((m) => ({ email: m.email, externalId: m.externalId })),
    remove: first(changes.remove).map(removalView),
    groups: first(changes.groups).map((g) => ({
      name: g.name,
      externalId: g.externalId,
      create: g.create,
      renamedFrom: g.renamedFrom ?? null,
      add: first(g.add),
      remove: first(g.remove),
      membersCompared: g.membersCompared,
    })),
    unmanaged: first(changes.unmanaged).map((m) => ({
      email: m.email,
      role: m.role,
      status: m.status,
    })),
    link: first(changes.link).map((m) => ({ email: m.email, externalId: m.externalId })),
    notInvited: first(changes.notInvited).map(removalView),
    keptOwners: first(changes.keptOwners).map(removalView),
    refusal: changes.refusal,
    groupsNotCompared: changes.groupsNotCompared,
    counts: {
      invite: changes.counts.invite,
      remove: changes.counts.remove,
      groups: changes.groups.length,
      unmanaged: changes.counts.unmanaged,
      membersBefore: changes.counts.membersBefore,
      membersAfter: changes.counts.membersAfter,
    },
    drift: changes.drift ? toChangesView(changes.drift, limit) : null,
  };
}
