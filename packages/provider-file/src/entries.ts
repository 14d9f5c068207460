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
  const builder = new SnapshotBuilder(source);
  for (const entry of entries) builder.add(entry);
  return builder.finish();
}

/** A group as the snapshot will hold it, once the whole file is read. */
interface GroupDraft {
  readonly externalId: string;
  readonly name: string;
}

/**
 * Builds the snapshot entry by entry, in one pass, so a file of a million rows never becomes a
 * list of entries first. The result is what three passes over the entries would give, and always
 * gave: declared groups first (their ids win over names used before the declaration), then groups
 * as users name them, then as group rows name their parents; members of JSON groups match users
 * anywhere in the file. Errors, too, are those of the three passes, in that order: the first
 * problem with a group declaration, else with a user, else with a group's members.
 */
export class SnapshotBuilder {
  private readonly declared = new Map<string, GroupDraft>();
  /** Groups users name that were not declared (yet), in the order users first name them. */
  private readonly namedByUsers = new Map<string, GroupDraft>();
  /** Each group's users by key, in user order. */
  private readonly usersOf = new Map<string, string[]>();
  /** [parent key, parent name, child reference] in group-row order. */
  private readonly nesting: [string, string, string][] = [];
  private readonly listing: { readonly entry: FileEntry; readonly key: string }[] = [];
  private readonly users: DirectoryUser[] = [];
  private declarationError: FileDirectoryError | undefined;
  private userError: FileDirectoryError | undefined;

  constructor(private readonly source: string) {}

  add(entry: FileEntry): void {
    if (entry.type === 'group') this.addGroup(entry);
    else this.addUser(entry);
  }

  private addGroup(entry: FileEntry): void {
    if (!entry.name) {
      this.declarationError ??= new FileDirectoryError(
        this.source,
        `${entry.where}: a group needs a name`,
      );
      return;
    }
    const key = groupKey(entry.name);
    if (this.declared.has(key)) {
      this.declarationError ??= new FileDirectoryError(
        this.source,
        `${entry.where}: group "${entry.name}" is declared twice`,
      );
      return;
    }
    this.declared.set(key, draft(entry.name, entry.id));
    for (const parent of entry.groups)
      this.nesting.push([groupKey(parent), parent, `group:${key}`]);
    if (entry.members.length > 0) this.listing.push({ entry, key });
  }

  private addUser(entry: FileEntry): void {
    const email = entry.email?.trim().toLowerCase() || undefined;
    const externalId = entry.id?.trim() || email;
    if (!externalId) {
      this.userError ??= new FileDirectoryError(
        this.source,
        `${entry.where}: a user needs an email or an id`,
      );
      return;
    }
    this.users.push({
      externalId,
      // Joined, not concatenated: one flat string instead of a chain of three (47 bytes against
      // 96 each, a million times over in a large file).
      referenceId: [this.source, ':', entry.where].join(''),
      email,
      disabled: entry.disabled,
      deleted: entry.deleted,
    });
    for (const name of entry.groups) {
      const key = groupKey(name);
      let list = this.usersOf.get(key);
      if (!list) {
        list = [];
        this.usersOf.set(key, list);
        if (!this.declared.has(key)) this.namedByUsers.set(key, draft(name));
      }
      list.push(externalId);
    }
  }

  finish(): DirectorySnapshot {
    if (this.declarationError) throw this.declarationError;
    if (this.userError) throw this.userError;
    const groups = new Map(this.declared);
    // Named by users before (or without) a declaration: a declaration, wherever it is, wins.
    for (const [key, group] of this.namedByUsers) if (!groups.has(key)) groups.set(key, group);
    const childrenOf = new Map<string, string[]>();
    for (const [key, name, ref] of this.nesting) {
      if (!groups.has(key)) groups.set(key, draft(name));
      const children = childrenOf.get(key);
      if (children) children.push(ref);
      else childrenOf.set(key, [ref]);
    }
    if (this.listing.length > 0) this.addListedMembers();
    const directoryGroups: DirectoryGroup[] = [...groups].map(([key, g]) => ({
      externalId: g.externalId,
      referenceId: `group:${key}`,
      name: g.name,
      userMemberExternalIds: [...new Set(this.usersOf.get(key))],
      groupMemberReferenceIds: [...new Set(childrenOf.get(key))],
    }));
    return {
      users: this.users,
      groups: directoryGroups,
      complete: true,
      cursor: undefined,
      warnings: [],
    };
  }

  /** Members JSON groups list, matched to users by id or email, after every user is known. */
  private addListedMembers(): void {
    const userIdByKey = new Map<string, string>();
    for (const user of this.users) {
      userIdByKey.set(user.externalId.toLowerCase(), user.externalId);
      if (user.email) userIdByKey.set(user.email, user.externalId);
    }
    for (const { entry, key } of this.listing) {
      for (const member of entry.members) {
        const id = userIdByKey.get(member.trim().toLowerCase());
        if (!id)
          throw new FileDirectoryError(
            this.source,
            `${entry.where}: group "${entry.name}" lists unknown member "${member}"`,
          );
        let list = this.usersOf.get(key);
        if (!list) this.usersOf.set(key, (list = []));
        list.push(id);
      }
    }
  }
}

const groupKey = (name: string): string => name.trim().toLowerCase();

function draft(name: string, id?: string): GroupDraft {
  return { externalId: id ?? name.trim(), name: name.trim() };
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
