import { FileDirectoryError } from './errors';
import { parseFlag, splitList, type FileEntry } from './entries';

/**
 * A JSON document `{ "users": [...], "groups": [...] }`. A user has `email`, optional `id`,
 * `disabled`, `deleted` and `groups` (names); a group has `name`, optional `id`, `members`
 * (user emails or ids) and `groups` (the groups it is nested in).
 */
export function parseJson(source: string, text: string): FileEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new FileDirectoryError(source, `not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!isRecord(doc))
    throw new FileDirectoryError(source, 'must hold an object with "users" and "groups" arrays');
  const list = (key: 'users' | 'groups'): Record<string, unknown>[] => {
    const value = doc[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw new FileDirectoryError(source, `"${key}" must be an array`);
    return value.map((item, index) => {
      if (!isRecord(item))
        throw new FileDirectoryError(source, `${key}[${index}] must be an object`);
      return item;
    });
  };
  const text_ = (where: string, item: Record<string, unknown>, key: string): string | undefined => {
    const value = item[key];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new FileDirectoryError(source, `${where}: "${key}" must be text`);
    }
    return String(value);
  };
  const entry = (
    type: 'user' | 'group',
    where: string,
    item: Record<string, unknown>,
  ): FileEntry => ({
    type,
    where,
    id: text_(where, item, 'id'),
    email: text_(where, item, 'email'),
    name: text_(where, item, 'name'),
    disabled: parseFlag(source, where, 'disabled', item.disabled),
    deleted: parseFlag(source, where, 'deleted', item.deleted),
    groups: splitList(item.groups),
    members: splitList(item.members),
  });
  return [
    ...list('users').map((item, i) => entry('user', `users[${i}]`, item)),
    ...list('groups').map((item, i) => entry('group', `groups[${i}]`, item)),
  ];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
