import type { DirectoryGroup, DirectorySnapshot, DirectoryUser } from '@bwdc/core';
import { FileDirectoryError } from './errors';

/** One row of a CSV file or one object of a JSON file, before it becomes a user or a group. */
export interface FileEntry {
  readonly type: 'user' | 'group';
  /** Where the entry is, for messages: `line 4`, `users[2]`. */
  readonly where: string;
  readonly id?: string;
  readonly email?: string;
  readonly name?: string;
  readonly disabled: boolean;
  readonly deleted: boolean;
  /** Names of the groups this entry belongs to. */
  readonly groups: readonly string[];
  /** Emails or ids of users that belong to this group (JSON groups only). */
  readonly members: readonly string[];
}

/**
 * Turns entries into a snapshot. Groups named only in a `groups` column are created, so an HR
 * export with one row per person is enough; every reference to an unknown user is an error that
 * names the entry.
 */
export function snapshotFromEntries(
  source: string,
  entries: readonly FileEntry[],
): DirectorySnapshot {
  const groups = new Map<
    string,
    { externalId: string; name: string; users: string[]; children: string[] }
  >();
  const groupOf = (name: string, id?: string) => {
    const key = name.trim().toLowerCase();
    let group = groups.get(key);
    if (!group) {
      group = { externalId: id ?? name.trim(), name: name.trim(), users: [], children: [] };
      groups.set(key, group);
    }
    return group;
  };
  const groupRef = (name: string) => `group:${name.trim().toLowerCase()}`;

  // Declared groups first, so their ids win over names used before the declaration.
  for (const entry of entries) {
    if (entry.type !== 'group') continue;
    if (!entry.name) throw new FileDirectoryError(source, `${entry.where}: a group needs a name`);
    const key = entry.name.trim().toLowerCase();
    if (groups.has(key))
      throw new FileDirectoryError(
        source,
        `${entry.where}: group "${entry.name}" is declared twice`,
      );
    groupOf(entry.name, entry.id);
  }

  const users: DirectoryUser[] = [];
  const userIdByKey = new Map<string, string>();
  for (const entry of entries) {
    if (entry.type !== 'user') continue;
    const email = entry.email?.trim().toLowerCase() || undefined;
    const externalId = entry.id?.trim() || email;
    if (!externalId)
      throw new FileDirectoryError(source, `${entry.where}: a user needs an email or an id`);
    users.push({
      externalId,
      referenceId: `${source}:${entry.where}`,
      email,
      disabled: entry.disabled,
      deleted: entry.deleted,
    });
    userIdByKey.set(externalId.toLowerCase(), externalId);
    if (email) userIdByKey.set(email, externalId);
    for (const name of entry.groups) groupOf(name).users.push(externalId);
  }

  for (const entry of entries) {
    if (entry.type !== 'group') continue;
    const group = groupOf(entry.name!);
    for (const parent of entry.groups) groupOf(parent).children.push(groupRef(entry.name!));
    for (const member of entry.members) {
      const id = userIdByKey.get(member.trim().toLowerCase());
      if (!id)
        throw new FileDirectoryError(
          source,
          `${entry.where}: group "${entry.name}" lists unknown member "${member}"`,
        );
      group.users.push(id);
    }
  }

  const directoryGroups: DirectoryGroup[] = [...groups.entries()].map(([key, g]) => ({
    externalId: g.externalId,
    referenceId: `group:${key}`,
    name: g.name,
    userMemberExternalIds: [...new Set(g.users)],
    groupMemberReferenceIds: [...new Set(g.children)],
  }));
  return { users, groups: directoryGroups, complete: true, cursor: undefined, warnings: [] };
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0', '']);

/** Reads a yes/no cell; anything else is an error naming the entry and the column. */
export function parseFlag(source: string, where: string, column: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  throw new FileDirectoryError(
    source,
    `${where}: "${column}" must be true or false, not "${String(value)}"`,
  );
}

/** Splits a `groups` cell: names separated by `;` (commas are common inside names). */
export function splitList(value: unknown): string[] {
  if (Array.isArray(value))
    return value
      .map(String)
      .map((v) => v.trim())
      .filter(Boolean);
  if (value === undefined || value === null) return [];
  return String(value)
    .split(';')
    .map((v) => v.trim())
    .filter(Boolean);
}
