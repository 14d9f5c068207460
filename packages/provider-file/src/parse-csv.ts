import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { throwIfCancelled } from '@bwdc/core';
import { CsvError, parse } from 'csv-parse';
import { FileDirectoryError } from './errors';
import { parseFlag, splitList, type FileEntry, type SnapshotBuilder } from './entries';

const COLUMNS = ['type', 'id', 'email', 'name', 'disabled', 'deleted', 'groups'] as const;

/**
 * Reads a CSV with a header row into `builder`, a record at a time, so a file of a million rows
 * is never held whole. Columns: `type` (user or group; optional, rows with an email are users),
 * `id`, `email`, `name`, `disabled`, `deleted`, `groups` (names separated by `;`). A group row's
 * `groups` makes it a nested member of those groups.
 *
 * Problems are reported as a whole read would find them first: malformed CSV anywhere, then the
 * header, then the first bad row; later problems are the builder's (see SnapshotBuilder).
 */
export async function readCsv(
  source: string,
  input: Readable,
  builder: SnapshotBuilder,
  signal?: AbortSignal,
): Promise<void> {
  const parser = parse({
    columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
    skip_empty_lines: true,
    trim: true,
    bom: true,
  });
  let headerProblem: FileDirectoryError | undefined;
  let rowProblem: FileDirectoryError | undefined;
  let index = 0;
  try {
    await pipeline(input, parser, async (records: AsyncIterable<Record<string, string>>) => {
      for await (const row of records) {
        if (index === 0) headerProblem = checkHeader(source, Object.keys(row));
        // Line numbers count the header as line 1.
        const where = `line ${index + 2}`;
        index++;
        if (index % 10_000 === 0) throwIfCancelled(signal, 'Directory read');
        if (headerProblem || rowProblem) continue;
        try {
          builder.add(entryOf(source, where, row));
        } catch (error) {
          if (!(error instanceof FileDirectoryError)) throw error;
          rowProblem = error;
        }
      }
    });
  } catch (error) {
    if (error instanceof CsvError) {
      throw new FileDirectoryError(source, `not valid CSV: ${error.message}`, { cause: error });
    }
    throw error;
  }
  if (headerProblem) throw headerProblem;
  if (rowProblem) throw rowProblem;
}

function checkHeader(source: string, header: readonly string[]): FileDirectoryError | undefined {
  const unknown = header.filter((h) => !(COLUMNS as readonly string[]).includes(h));
  if (unknown.length) {
    return new FileDirectoryError(
      source,
      `unknown column(s) ${unknown.join(', ')}; the columns are ${COLUMNS.join(', ')}`,
    );
  }
  if (!header.includes('email') && !header.includes('name')) {
    return new FileDirectoryError(
      source,
      'needs an "email" column (users) or a "name" column (groups)',
    );
  }
  return undefined;
}

function entryOf(source: string, where: string, row: Record<string, string>): FileEntry {
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
}
