import type { DirectoryGroup, DirectoryUser, SyncConfig } from '@bwdc/core';
import { throwIfCancelled } from '@bwdc/core';
import type { FetchProgress, FetchRequest, RestCall } from '@bwdc/directory-provider';
import type { OneLoginClient, Page } from './client';
import { OneLoginError } from './errors';

/** The fields of a OneLogin API v1 user this provider reads. */
export interface OneLoginUser {
  id: number | string;
  email?: string | null;
  username?: string | null;
  status?: number | null;
  role_id?: (number | string)[] | null;
}
interface OneLoginRole {
  id: number | string;
  name?: string | null;
}

/** The official connector's test for "looks like an email". */
const VALID_EMAIL = /^\S+@\S+\.\S+$/;
/** OneLogin status 2 is "suspended"; every other status is an account that exists and may sign in. */
const SUSPENDED = 2;
const CANCELLED = 'The OneLogin read';

/** A list call: its first URL (with the native query of a filter setting, if any) and its words. */
export interface ListCall extends RestCall {
  readonly href: string;
}

/** `{apiUrl}{path}`, with the native part of a filter appended as query parameters. */
export function listCall(
  apiUrl: string,
  path: string,
  what: string,
  filter?: { native: string | undefined; setting: string },
): ListCall {
  const url = new URL(apiUrl + path);
  const native = filter?.native;
  if (native) {
    for (const [key, value] of new URLSearchParams(native.replace(/^[?&]+/, '')))
      url.searchParams.append(key, value);
  }
  return { href: url.toString(), what, ...(native ? { filterSetting: filter.setting } : {}) };
}

/**
 * One read: users from `GET /api/1/users`, roles as groups from `GET /api/1/roles`, both paged
 * by `pagination.next_link`. Role members come from each user's `role_id`, so they are read
 * even when user sync is off (upstream returned empty roles then).
 */
export class OneLoginRead {
  constructor(
    private readonly client: OneLoginClient,
    private readonly apiUrl: string,
    private readonly sync: SyncConfig,
    private readonly request: FetchRequest,
  ) {}

  async run(filters: {
    users: string | undefined;
    groups: string | undefined;
  }): Promise<{ users?: DirectoryUser[]; groups?: DirectoryGroup[] }> {
    const { request, apiUrl } = this;
    const userCall = (native: string | undefined, what: string): ListCall =>
      listCall(apiUrl, '/api/1/users', what, { native, setting: 'sync.userFilter' });

    let users: DirectoryUser[] | undefined;
    let oneLoginUsers: OneLoginUser[] = [];
    if (request.users) {
      oneLoginUsers = await this.list<OneLoginUser>(
        userCall(filters.users, 'Reading users'),
        'users',
      );
      users = oneLoginUsers.map((u) => this.toDirectoryUser(u));
    }
    let groups: DirectoryGroup[] | undefined;
    if (request.groups) {
      const roles = await this.list<OneLoginRole>(
        listCall(apiUrl, '/api/1/roles', 'Reading roles', {
          native: filters.groups,
          setting: 'sync.groupFilter',
        }),
        'groups',
      );
      const members = request.users
        ? oneLoginUsers
        : await this.list<OneLoginUser>(userCall(undefined, 'Reading role members'), 'members');
      groups = toGroups(roles, members);
    }
    return { users, groups };
  }

  /** Every page of a list, following `pagination.next_link` on the API's own origin only. */
  private async list<T>(call: ListCall, phase: FetchProgress['phase']): Promise<T[]> {
    const { signal } = this.request;
    const items: T[] = [];
    let next: string | undefined = call.href;
    const origin = new URL(this.apiUrl).origin;
    while (next) {
      throwIfCancelled(signal, CANCELLED);
      // A next_link pointing elsewhere would carry the access token off OneLogin.
      if (new URL(next).origin !== origin) {
        throw new OneLoginError(
          'DIRECTORY_READ_FAILED',
          this.apiUrl,
          `${call.what}: refusing to follow a link to ${new URL(next).origin}`,
        );
      }
      const page: Page<T> = await this.client.page<T>(next, call, signal);
      items.push(...(page.data ?? []));
      this.request.onProgress?.({ phase, done: items.length });
      throwIfCancelled(signal, CANCELLED);
      next = page.pagination?.next_link || undefined;
    }
    return items;
  }

  /** email, else the username if it is an email, else username + sync.emailSuffix (when prefix/suffix is on). */
  private toDirectoryUser(user: OneLoginUser): DirectoryUser {
    let email = user.email?.trim();
    const username = user.username?.trim();
    if (!email || !VALID_EMAIL.test(email)) {
      if (username && VALID_EMAIL.test(username)) {
        email = username;
      } else if (username && this.sync.useEmailPrefixSuffix && this.sync.emailSuffix) {
        const suffix = this.sync.emailSuffix.trim();
        email = username + (suffix.startsWith('@') ? suffix : `@${suffix}`);
      }
    }
    email = email?.toLowerCase();
    return {
      externalId: String(user.id),
      referenceId: String(user.id),
      // An entry without a usable email is handed over without one; the engine reports it by id.
      email: email && VALID_EMAIL.test(email) ? email : undefined,
      disabled: user.status === SUSPENDED,
      deleted: false,
    };
  }
}

function toGroups(
  roles: readonly OneLoginRole[],
  members: readonly OneLoginUser[],
): DirectoryGroup[] {
  const byRole = new Map<string, string[]>();
  for (const user of members) {
    for (const roleId of user.role_id ?? []) {
      const key = String(roleId);
      let list = byRole.get(key);
      if (!list) byRole.set(key, (list = []));
      list.push(String(user.id));
    }
  }
  return roles.map((role) => ({
    externalId: String(role.id),
    referenceId: String(role.id),
    name: role.name ?? '',
    userMemberExternalIds: byRole.get(String(role.id)) ?? [],
    groupMemberReferenceIds: [],
  }));
}
