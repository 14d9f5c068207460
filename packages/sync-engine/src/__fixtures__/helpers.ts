import {
  syncConfigSchema,
  type DirectoryGroup,
  type DirectorySnapshot,
  type DirectoryUser,
  type ImportRequest,
  type LogRecord,
  type Logger,
  type SyncCheckpoint,
  type SyncConfig,
} from '@bwdc/core';
import {
  OFFICIAL_FILTER_SYNTAX,
  type DirectoryProvider,
  type FetchRequest,
  type FilterSyntax,
} from '@bwdc/directory-provider';
import { DirectoryType } from '@bwdc/core';
import type { CheckpointStore, ImportApi } from '../engine-api';
import { buildPlan } from '../plan';

export const CONTEXT = {
  organizationId: '3f1c2a4e-0000-4000-8000-000000000001',
  apiUrl: 'https://api.bitwarden.example',
};

/** LDAP's way of reading filters (the provider-ldap package declares the real one). */
export const NATIVE_SYNTAX: FilterSyntax = {
  form: 'native',
  userKeywords: ['include', 'exclude'],
  groupKeywords: ['include', 'exclude'],
};

export function config(overrides: Partial<Record<keyof SyncConfig, unknown>> = {}): SyncConfig {
  return syncConfigSchema.parse({ users: true, groups: true, ...overrides });
}

export function user(name: string, extra: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    externalId: `id-${name}`,
    referenceId: `uid=${name},ou=people,dc=example,dc=com`,
    email: `${name}@example.com`,
    disabled: false,
    deleted: false,
    ...extra,
  };
}

export function group(
  name: string,
  users: string[] = [],
  children: string[] = [],
  extra: Partial<DirectoryGroup> = {},
): DirectoryGroup {
  return {
    externalId: `gid-${name}`,
    referenceId: `cn=${name},ou=groups,dc=example,dc=com`,
    name,
    userMemberExternalIds: users.map((u) => `id-${u}`),
    groupMemberReferenceIds: children.map((c) => `cn=${c},ou=groups,dc=example,dc=com`),
    ...extra,
  };
}

export function snapshot(
  users: DirectoryUser[] | undefined,
  groups: DirectoryGroup[] | undefined,
  extra: Partial<DirectorySnapshot> = {},
): DirectorySnapshot {
  return { users, groups, complete: true, cursor: undefined, warnings: [], ...extra };
}

const STARTED = new Date('2026-11-26T08:00:00.000Z');

/** `buildPlan` of a snapshot, with `config(cfg)`, for `CONTEXT`, started at a fixed time. */
export function plan(
  snap: DirectorySnapshot,
  cfg: Partial<Record<string, unknown>> = {},
  checkpoint: SyncCheckpoint = {},
  mode: 'full' | 'incremental' = 'full',
  filterSyntax: FilterSyntax = OFFICIAL_FILTER_SYNTAX,
) {
  return buildPlan({
    snapshot: snap,
    config: config(cfg),
    checkpoint,
    context: CONTEXT,
    mode,
    startedAt: STARTED,
    filterSyntax,
  });
}

export const emails = (p: ReturnType<typeof plan>) => p.users.map((u) => u.email);
export const request = (p: ReturnType<typeof plan>) => p.requests[0]!;

export function managed(...names: string[]) {
  return names.map((n) => ({ externalId: `id-${n}`, email: `${n}@example.com` }));
}

/** Records posted requests; `failOn` makes the n-th call (1-based) throw. */
export class FakeApi implements ImportApi {
  readonly posted: ImportRequest[] = [];
  calls = 0;
  failOn: number | undefined;

  async importOrganization(request: ImportRequest): Promise<void> {
    this.calls++;
    if (this.failOn === this.calls) throw new Error(`server said no to request ${this.calls}`);
    this.posted.push(request);
  }
}

export class MemoryCheckpoints implements CheckpointStore {
  commits = 0;
  constructor(public current: SyncCheckpoint = {}) {}
  async load(): Promise<SyncCheckpoint> {
    return structuredClone(this.current);
  }
  async commit(next: SyncCheckpoint): Promise<void> {
    this.commits++;
    this.current = structuredClone(next);
  }
}

/** A provider returning a fixed snapshot per mode, recording each request. */
export class ScriptedProvider implements DirectoryProvider {
  readonly type = DirectoryType.File;
  filterSyntax: FilterSyntax = OFFICIAL_FILTER_SYNTAX;
  readonly requests: FetchRequest[] = [];
  constructor(
    public full: DirectorySnapshot,
    public incremental?: DirectorySnapshot,
  ) {}
  async verify(): Promise<void> {}
  async fetch(request: FetchRequest): Promise<DirectorySnapshot> {
    this.requests.push(request);
    return request.mode === 'incremental' && this.incremental ? this.incremental : this.full;
  }
}

export function recordingLogger(): Logger & { records: Pick<LogRecord, 'level' | 'message'>[] } {
  const records: Pick<LogRecord, 'level' | 'message'>[] = [];
  const log = (level: LogRecord['level']) => (message: string) =>
    void records.push({ level, message });
  return {
    records,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
}

/** What `promise` rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
