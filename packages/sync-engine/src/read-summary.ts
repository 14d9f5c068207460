import { DirectoryType, type DirectorySnapshot, type SyncConfig } from '@bwdc/core';

/**
 * The read at a glance. A read that finds no users or no groups although they are on, or groups
 * none of whose members is a user that was read, is nearly always a setting (a class, a path, an
 * attribute, a filter), not an empty directory. One warning says so and names the settings to
 * check, ahead of the per-entry warnings, which alone do not say it.
 *
 * Only complete reads are judged: an incremental read that found no changes is not empty.
 */
export function readSummary(
  snapshot: DirectorySnapshot,
  config: SyncConfig,
  directory: DirectoryType | undefined,
): string[] {
  if (!snapshot.complete) return [];
  const ldap = directory === DirectoryType.Ldap;
  const summary: string[] = [];
  const users = snapshot.users;
  const groups = snapshot.groups;
  const skipped = snapshot.warnings.length
    ? ` The read's ${snapshot.warnings.length} warning(s) say why for each entry it skipped.`
    : '';

  if (config.users && users?.length === 0) {
    summary.push(
      `No users were read, though sync.users is on. Check ${
        ldap
          ? `${setting(config, 'userPath', 'relative to ldap.rootPath')}, ${setting(config, 'userObjectClass')}, ` +
            `${setting(config, 'userFilter')} and ${setting(config, 'userEmailAttribute', 'entries without it are skipped')}`
          : `${setting(config, 'userFilter')}, and that the account bwdc reads with may list users`
      }.${skipped}`,
    );
  }
  if (config.groups && groups?.length === 0) {
    summary.push(
      `No groups were read, though sync.groups is on. Check ${
        ldap
          ? `${setting(config, 'groupPath', 'relative to ldap.rootPath')}, ${setting(config, 'groupObjectClass')} and ${setting(config, 'groupFilter')}`
          : `${setting(config, 'groupFilter')}, and that the account bwdc reads with may list groups`
      }.${skipped}`,
    );
  }
  if (users?.length && groups?.length && !anyGroupHasReadMember(groups, users)) {
    summary.push(
      `None of the ${groups.length} group(s) read has a member among the ${users.length} user(s) read, so every group would be sent empty. Check ${
        ldap
          ? `${setting(config, 'memberAttribute', "the attribute listing a group's members")}, and that the members are under ${setting(config, 'userPath')} and of ${setting(config, 'userObjectClass')}`
          : `${setting(config, 'userFilter')}: a group's members must be among the users read`
      }.`,
    );
  }
  return summary;
}

/** Stops at the first group with a member that was read: usually the first group. */
function anyGroupHasReadMember(
  groups: NonNullable<DirectorySnapshot['groups']>,
  users: NonNullable<DirectorySnapshot['users']>,
): boolean {
  let read: Set<string> | undefined;
  for (const group of groups) {
    // A nested group counts: its own members are judged as it is.
    if (group.groupMemberReferenceIds.length > 0) return true;
    if (group.userMemberExternalIds.length === 0) continue;
    read ??= new Set(users.map((u) => u.externalId));
    if (group.userMemberExternalIds.some((id) => read!.has(id))) return true;
  }
  return false;
}

/** `sync.userObjectClass ("person")`, or `(not set: the default)`, with an optional note. */
function setting(config: SyncConfig, field: keyof SyncConfig, note?: string): string {
  const value = config[field];
  const shown =
    value === undefined || value === null || value === ''
      ? 'not set: the default'
      : JSON.stringify(value);
  return `sync.${field} (${shown}${note ? `; ${note}` : ''})`;
}
