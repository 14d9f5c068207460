import { mapPool, throwIfCancelled, type DirectoryGroup, type DirectoryUser } from '@bwdc/core';
import type { FetchRequest } from '@bwdc/directory-provider';
import type { admin_directory_v1 } from '@googleapis/admin';
import type { CallOptions, GoogleClient } from './client';
import type { ListCall } from './errors';
import { scopeParams, type GoogleSettings } from './settings';

/** The most Google returns per page of each call; fewer pages means fewer requests against the quota. */
export const PAGE_SIZE = { users: 500, groups: 200, members: 200 } as const;

/** Field masks: only what the mapping reads, so pages stay small. */
export const FIELD_MASKS = {
  users: 'nextPageToken,users(id,primaryEmail,suspended,archived)',
  groups: 'nextPageToken,groups(id,email,name)',
  members: 'nextPageToken,members(id,type,status)',
} as const;

const CANCELLED = 'Google Workspace read';

/**
 * One read of the Directory API: users (live, then deleted), groups, and each group's direct
 * members, at most `memberConcurrency` member lists at once in core's bounded pool.
 */
export class GoogleRead {
  readonly warnings: string[] = [];
  private readonly scope: { customer: string } | { domain: string };

  constructor(
    private readonly client: GoogleClient,
    settings: GoogleSettings,
    private readonly request: Pick<FetchRequest, 'signal' | 'onProgress'>,
    private readonly memberConcurrency: number,
  ) {
    this.scope = scopeParams(settings);
  }

  /** One smallest page of each call proves the key, the delegation, the admin's rights and the API. */
  async probe(): Promise<void> {
    const { directory } = this.client;
    const signal = this.request.signal;
    await this.client.call(signal, 'users.list', undefined, (options) =>
      directory.users.list({ ...this.scope, maxResults: 1, fields: 'users(id)' }, options),
    );
    await this.client.call(signal, 'groups.list', undefined, (options) =>
      directory.groups.list({ ...this.scope, maxResults: 1, fields: 'groups(id)' }, options),
    );
  }

  /** Active and suspended users, then deleted ones: Google returns deleted users only when asked. */
  async allUsers(query: string | undefined): Promise<DirectoryUser[]> {
    const live = await this.users(query, false);
    const deleted = await this.users(query, true, live.length);
    return [...live, ...deleted];
  }

  async users(query: string | undefined, deleted: boolean, offset = 0): Promise<DirectoryUser[]> {
    const { directory } = this.client;
    const out: DirectoryUser[] = [];
    const pages = this.pages(this.request.signal, 'users.list', query, (pageToken, options) =>
      directory.users.list(
        {
          ...this.scope,
          maxResults: PAGE_SIZE.users,
          ...(pageToken ? { pageToken } : {}),
          ...(query ? { query } : {}),
          ...(deleted ? { showDeleted: 'true' } : {}),
          fields: FIELD_MASKS.users,
        },
        options,
      ),
    );
    for await (const page of pages) {
      for (const user of page.users ?? []) {
        const mapped = this.mapUser(user, deleted);
        if (mapped) out.push(mapped);
      }
      this.progress({ phase: 'users', done: offset + out.length });
    }
    return out;
  }

  /**
   * Every group the query returns, with its direct members. `everyoneActive` expands a CUSTOMER
   * member (everyone in the account) to the active users.
   */
  async groups(
    query: string | undefined,
    everyoneActive: () => Promise<readonly string[]>,
  ): Promise<DirectoryGroup[]> {
    const { directory } = this.client;
    const listed: admin_directory_v1.Schema$Group[] = [];
    const pages = this.pages(this.request.signal, 'groups.list', query, (pageToken, options) =>
      directory.groups.list(
        {
          ...this.scope,
          maxResults: PAGE_SIZE.groups,
          ...(pageToken ? { pageToken } : {}),
          ...(query ? { query } : {}),
          fields: FIELD_MASKS.groups,
        },
        options,
      ),
    );
    for await (const page of pages) {
      listed.push(...(page.groups ?? []).filter((g) => g.id));
      this.progress({ phase: 'groups', done: listed.length });
    }

    let done = 0;
    return mapPool(
      listed,
      this.memberConcurrency,
      async (group, signal) => {
        const members = await this.members(signal, group.id!, everyoneActive);
        this.progress({ phase: 'members', done: ++done, total: listed.length });
        return {
          externalId: group.id!,
          referenceId: group.id!,
          name: group.name?.trim() || group.email || group.id!,
          userMemberExternalIds: members.users,
          groupMemberReferenceIds: members.groups,
        } satisfies DirectoryGroup;
      },
      this.request.signal,
    );
  }

  /**
   * Direct members of one group: ACTIVE users (suspended and archived members are left out, as
   * upstream does), nested groups by reference, and the CUSTOMER member expanded to every active user.
   */
  private async members(
    signal: AbortSignal,
    groupId: string,
    everyoneActive: () => Promise<readonly string[]>,
  ): Promise<{ users: string[]; groups: string[] }> {
    const { directory } = this.client;
    const users = new Set<string>();
    const groups = new Set<string>();
    const pages = this.pages(signal, 'members.list', undefined, (pageToken, options) =>
      directory.members.list(
        {
          groupKey: groupId,
          maxResults: PAGE_SIZE.members,
          ...(pageToken ? { pageToken } : {}),
          fields: FIELD_MASKS.members,
        },
        options,
      ),
    );
    for await (const page of pages) {
      for (const member of page.members ?? []) {
        const type = member.type?.toUpperCase();
        if (type === 'USER' && member.id && member.status?.toUpperCase() === 'ACTIVE')
          users.add(member.id);
        else if (type === 'GROUP' && member.id) groups.add(member.id);
        else if (type === 'CUSTOMER') for (const id of await everyoneActive()) users.add(id);
      }
    }
    return { users: [...users], groups: [...groups] };
  }

  /** Every page of one list call, following `nextPageToken`. */
  private async *pages<T extends { nextPageToken?: string | null }>(
    signal: AbortSignal | undefined,
    what: ListCall,
    query: string | undefined,
    list: (pageToken: string | undefined, options: CallOptions) => Promise<{ data: T }>,
  ): AsyncGenerator<T> {
    let pageToken: string | undefined;
    do {
      const page: T = await this.client.call(signal, what, query, (options) =>
        list(pageToken, options),
      );
      yield page;
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
  }

  private mapUser(
    user: admin_directory_v1.Schema$User,
    deleted: boolean,
  ): DirectoryUser | undefined {
    if (!user.id) return undefined;
    const email = user.primaryEmail?.trim().toLowerCase() || undefined;
    if (!email && !deleted) {
      this.warnings.push(`Google user ${user.id} has no primary email and was skipped.`);
      return undefined;
    }
    return {
      externalId: user.id,
      referenceId: user.id,
      email,
      disabled: user.suspended === true || user.archived === true,
      deleted,
    };
  }

  private progress(progress: Parameters<NonNullable<FetchRequest['onProgress']>>[0]): void {
    this.request.onProgress?.(progress);
    throwIfCancelled(this.request.signal, CANCELLED);
  }
}
