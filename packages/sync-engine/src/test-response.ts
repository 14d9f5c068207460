import { byString } from './order';
import type { SyncPlanResult, TestResponse, TestUser } from './types';

/** The official CLI sorts with `Intl.Collator(locale, { numeric: true, sensitivity: 'base' })`. */
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function sorted<T extends { displayName: string; externalId: string }>(items: T[]): T[] {
  // Ties (names equal to the collator) fall back to the id, so the output is stable.
  return items.sort(
    (a, b) =>
      collator.compare(a.displayName, b.displayName) || byString(a.externalId, b.externalId),
  );
}

/**
 * The plan as the official CLI's `bwdc test` prints it: users by state (users removed because they
 * left, or were filtered out, are in `deletedUsers`), groups with their flattened member ids.
 */
export function toTestResponse(result: SyncPlanResult): TestResponse {
  const enabledUsers: TestUser[] = [];
  const disabledUsers: TestUser[] = [];
  const deletedUsers: TestUser[] = [];
  for (const user of result.users) {
    // As upstream: the email, else the reference (an AD tombstone without an email shows its DN).
    const entry = {
      externalId: user.externalId,
      displayName: user.email ?? user.referenceId ?? user.externalId,
    };
    if (user.status === 'deleted') deletedUsers.push(entry);
    else if (user.status === 'disabled') disabledUsers.push(entry);
    else enabledUsers.push(entry);
  }
  const groups = sorted(
    result.groups.map((g) => ({
      externalId: g.externalId,
      displayName: g.name || g.referenceId,
      userIds: g.memberExternalIds,
    })),
  );
  return {
    object: 'test',
    groups,
    enabledUsers: sorted(enabledUsers),
    disabledUsers: sorted(disabledUsers),
    deletedUsers: sorted(deletedUsers),
  };
}
