import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
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
import { snapshotFromEntries } from './entries';
import { FileDirectoryError } from './errors';
import { parseCsv } from './parse-csv';
import { parseJson } from './parse-json';

export interface FileProviderIo {
  readFile?: (path: string) => Promise<string>;
}

/**
 * Reads users and groups from a CSV or JSON file on every fetch. A file is always read whole,
 * so every snapshot is complete and incremental requests get a full read.
 */
export class FileDirectoryProvider implements DirectoryProvider {
  readonly type = DirectoryType.File;
  readonly filterSyntax = OFFICIAL_FILTER_SYNTAX;
  private readonly read: (path: string) => Promise<string>;

  constructor(
    private readonly config: FileConfig,
    private readonly sync: SyncConfig,
    private readonly logger: Logger,
    io: FileProviderIo = {},
  ) {
    this.read = io.readFile ?? ((path) => readFile(path, 'utf8'));
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
    let text: string;
    try {
      text = await this.read(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const problem =
        code === 'ENOENT'
          ? 'the file does not exist'
          : code === 'EACCES'
            ? 'permission denied'
            : String(error);
      throw new FileDirectoryError(path, problem, { cause: error });
    }
    throwIfCancelled(signal, 'Directory read');
    const source = basename(path);
    const entries =
      this.formatOf(path) === 'csv' ? parseCsv(source, text) : parseJson(source, text);
    return snapshotFromEntries(source, entries);
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
