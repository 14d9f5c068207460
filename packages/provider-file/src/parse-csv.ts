import { parse } from 'csv-parse/sync';
import { FileDirectoryError } from './errors';
import { parseFlag, splitList, type FileEntry } from './entries';

const COLUMNS = ['type', 'id', 'email', 'name', 'disabled', 'deleted', 'groups'] as const;

/**
 * A CSV with a header row. Columns: `type` (user or group; optional, rows with an email are users),
 * `id`, `email`, `name`, `disabled`, `deleted`, `groups` (names separated by `;`). A group row's
 * `groups` makes it a nested member of those groups.
 */
export function parseCsv(source: string, text: string): FileEntry[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (error) {
    throw new FileDirectoryError(source, `not valid CSV: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const header = rows.length ? Object.keys(rows[0]!) : [];
  const unknown = header.filter((h) => !(COLUMNS as readonly string[]).includes(h));
  if (unknown.length) {
    throw new FileDirectoryError(
      source,
      `unknown column(s) ${unknown.join(', ')}; the columns are ${COLUMNS.join(', ')}`,
    );
  }
  if (rows.length && !header.includes('email') && !header.includes('name')) {
    throw new FileDirectoryError(
      source,
      'needs an "email" column (users) or a "name" column (groups)',
    );
  }
  // Line numbers count the header as line 1.
  return rows.map((row, index) => {
    const where = `line ${index + 2}`;
    const type = (row.type ?? '').toLowerCase() || (row.email ? 'user' : 'group');
    if (type !== 'user' && type !== 'group') {
      throw new FileDirectoryError(
        source,
        `${where}: "type" must be user or group, not "${row.type}"`,
      );
    }
    return {
      type,
      where,
      id: row.id || undefined,
      email: row.email || undefined,
      name: row.name || undefined,
      disabled: parseFlag(source, where, 'disabled', row.disabled),
      deleted: parseFlag(source, where, 'deleted', row.deleted),
      groups: splitList(row.groups),
      members: [],
    };
  });
}
