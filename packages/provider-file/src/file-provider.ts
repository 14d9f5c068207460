import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import {
  DirectoryError,
  DirectoryType,
  throwIfCancelled,
  type DirectorySnapshot,
  type FileConfig,
  type Logger,
  type SyncConfig,
} from '@bwdc/core';
import {
  OFFICIAL_FILTER_SYNTAX,
  parseFilter,
  type DirectoryProvider,
  type FetchRequest,
} from '@bwdc/directory-provider';
import { SnapshotBuilder, snapshotFromEntries } from './entries';
import { FileDirectoryError } from './errors';
import { readCsv } from './parse-csv';
import { parseJson } from './parse-json';

export interface FileProviderIo {
  /** Reads the whole file (tests); by default CSV files are streamed from disk. */
  readFile?: (path: string) => Promise<string>;
}

/**
 * Reads users and groups from a CSV or JSON file on every fetch. A file is always read whole,
 * so every snapshot is complete and incremental requests get a full read.
 */
export class FileDirectoryProvider implements DirectoryProvider {
  readonly type = DirectoryType.File;
  readonly filterSyntax = OFFICIAL_FILTER_SYNTAX;
  private readonly read: ((path: string) => Promise<string>) | undefined;

  constructor(
    private readonly config: FileConfig,
    private readonly sync: SyncConfig,
    private readonly logger: Logger,
    io: FileProviderIo = {},
  ) {
    this.read = io.readFile;
  }

  async verify(signal?: AbortSignal): Promise<void> {
    await this.load(signal);
  }

  async fetch(request: FetchRequest): Promise<DirectorySnapshot> {
    this.rejectNativeQueries();
    const snapshot = await this.load(request.signal);
    request.onProgress?.({
      phase: 'users',
      done: snapshot.users?.length ?? 0,
      total: snapshot.users?.length ?? 0,
    });
    throwIfCancelled(request.signal, 'Directory read');
    this.logger.debug('Read the directory file', {
      users: snapshot.users?.length,
      groups: snapshot.groups?.length,
    });
    return {
      ...snapshot,
      users: request.users ? snapshot.users : undefined,
      groups: request.groups ? snapshot.groups : undefined,
    };
  }

  private async load(signal: AbortSignal | undefined): Promise<DirectorySnapshot> {
    throwIfCancelled(signal, 'Directory read');
    const path = this.config.path;
    if (!path) {
      throw new DirectoryError(
        'DIRECTORY_NOT_CONFIGURED',
        'file.path',
        'no directory file is configured',
        {
          actions: ['bwdc config file.path /path/to/directory.csv'],
        },
      );
    }
    const source = basename(path);
    if (this.formatOf(path) === 'json') {
      const text = await readWhole(path, this.read);
      throwIfCancelled(signal, 'Directory read');
      return snapshotFromEntries(source, parseJson(source, text));
    }
    // CSV is read as it streams in: a million rows never sit in memory as text or rows.
    const input = this.read
      ? Readable.from([await readWhole(path, this.read)])
      : createReadStream(path);
    let readError: unknown;
    input.on('error', (error: unknown) => (readError ??= error));
    const builder = new SnapshotBuilder(source);
    try {
      await readCsv(source, input, builder, signal);
    } catch (error) {
      if (readError !== undefined) throw readFailure(path, readError);
      throw error;
    }
    throwIfCancelled(signal, 'Directory read');
    return builder.finish();
  }

  private formatOf(path: string): 'csv' | 'json' {
    if (this.config.format !== 'auto') return this.config.format;
    return extname(path).toLowerCase() === '.json' ? 'json' : 'csv';
  }

  /** A file has no query language: a native part in a filter is a mistake worth saying. */
  private rejectNativeQueries(): void {
    for (const [setting, filter] of [
      ['sync.userFilter', this.sync.userFilter],
      ['sync.groupFilter', this.sync.groupFilter],
    ] as const) {
      if (parseFilter(filter).native !== undefined) {
        throw new DirectoryError(
          'DIRECTORY_NOT_CONFIGURED',
          setting,
          'a file directory takes no query after "|"; use include: or exclude: only',
        );
      }
    }
  }
}

async function readWhole(
  path: string,
  read: ((path: string) => Promise<string>) | undefined,
): Promise<string> {
  try {
    return await (read ?? ((p: string) => readFile(p, 'utf8')))(path);
  } catch (error) {
    throw readFailure(path, error);
  }
}

/** A file that cannot be read, named, with the reason in words. */
function readFailure(path: string, error: unknown): FileDirectoryError {
  const code = (error as NodeJS.ErrnoException).code;
  const problem =
    code === 'ENOENT'
      ? 'the file does not exist'
      : code === 'EACCES'
        ? 'permission denied'
        : String(error);
  return new FileDirectoryError(path, problem, { cause: error });
}
