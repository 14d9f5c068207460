import {
  DirectoryError,
  DirectoryType,
  throwIfCancelled,
  type DirectoryGroup,
  type DirectorySnapshot,
  type DirectoryUser,
} from '@bwdc/core';
import { OFFICIAL_FILTER_SYNTAX, type FilterSyntax } from './filter';
import type { DirectoryProvider, FetchRequest } from './provider';

/**
 * A provider over entries held in memory, for tests of the engine and the composition root.
 * `fail` makes the next reads throw, to exercise the "failed read removes nobody" paths.
 */
export class InMemoryDirectoryProvider implements DirectoryProvider {
  readonly type: DirectoryType;
  readonly filterSyntax: FilterSyntax;
  users: DirectoryUser[];
  groups: DirectoryGroup[];
  fail: Error | undefined;
  readonly requests: FetchRequest[] = [];

  constructor(
    init: {
      users?: DirectoryUser[];
      groups?: DirectoryGroup[];
      type?: DirectoryType;
      filterSyntax?: FilterSyntax;
    } = {},
  ) {
    this.type = init.type ?? DirectoryType.File;
    this.filterSyntax = init.filterSyntax ?? OFFICIAL_FILTER_SYNTAX;
    this.users = init.users ?? [];
    this.groups = init.groups ?? [];
  }

  async verify(signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal, 'Directory verification');
    if (this.fail) throw new DirectoryError('DIRECTORY_UNREACHABLE', 'memory', this.fail.message);
  }

  async fetch(request: FetchRequest): Promise<DirectorySnapshot> {
    this.requests.push(request);
    throwIfCancelled(request.signal, 'Directory read');
    if (this.fail) throw new DirectoryError('DIRECTORY_READ_FAILED', 'memory', this.fail.message);
    request.onProgress?.({ phase: 'users', done: this.users.length, total: this.users.length });
    // The contract: a provider checks the signal after each progress report.
    throwIfCancelled(request.signal, 'Directory read');
    return {
      users: request.users ? [...this.users] : undefined,
      groups: request.groups ? [...this.groups] : undefined,
      complete: true,
      cursor: undefined,
      warnings: [],
    };
  }
}
