import { mapPool, throwIfCancelled, type DirectoryGroup, type DirectoryUser } from '@bwdc/core';
import type { FetchProgress, FetchRequest, RestCall } from '@bwdc/directory-provider';
import type { Client } from '@okta/okta-sdk-nodejs';
import { OktaError, toOktaError } from './errors';

/** Okta's maximum page for the users list. */
const USER_PAGE = 200;
const GROUP_PAGE = 200;
/** Okta's maximum page for a group's members. */
const MEMBER_PAGE = 1000;
const CANCELLED = 'The Okta read';

interface OktaUserLike {
  id?: string;
  status?: string;
  profile?: { email?: string | null };
}
interface OktaGroupLike {
  id?: string;
  profile?: { name?: string | null };
}

/**
 * One read through the SDK. Users: `GET /api/v1/users?limit=200` plus the DEPROVISIONED users
 * Okta leaves out of an unfiltered list; groups: `GET /api/v1/groups` and each group's `/users`.
 * With `since` (an ISO time), only entries whose `lastUpdated` (groups also
 * `lastMembershipUpdated`) is later.
 */
export class OktaRead {
  constructor(
    private readonly client: Client,
    private readonly orgUrl: string,
    private readonly request: FetchRequest,
    private readonly memberConcurrency: number,
    private readonly warnings: string[],
  ) {}

  async users(native: string | undefined, since: string | undefined): Promise<DirectoryUser[]> {
    const base = and(native, since && `lastUpdated gt "${since}"`);
    // Okta omits DEPROVISIONED users from an unfiltered list; ask for them separately and
    // merge by id, which is also safe where a filter does return them.
    const queries = [base, and(base, 'status eq "DEPROVISIONED"')];
    const byId = new Map<string, DirectoryUser>();
    for (const filter of queries) {
      await this.each(
        () => this.client.userApi.listUsers({ filter, limit: USER_PAGE }),
        (user: OktaUserLike) => {
          if (user.id) byId.set(user.id, toDirectoryUser(user));
        },
        { what: 'Reading users', ...(native ? { filterSetting: 'sync.userFilter' } : {}) },
        { phase: 'users', base: byId.size },
      );
    }
    return [...byId.values()];
  }

  async groups(native: string | undefined, since: string | undefined): Promise<DirectoryGroup[]> {
    const filter = and(
      native,
      since && `(lastUpdated gt "${since}" or lastMembershipUpdated gt "${since}")`,
    );
    const found: { id: string; name: string }[] = [];
    await this.each(
      () => this.client.groupApi.listGroups({ filter, limit: GROUP_PAGE }),
      (group: OktaGroupLike) => {
        if (!group.id) return;
        const name = group.profile?.name ?? '';
        if (!name) this.warnings.push(`Okta group ${group.id} has no name`);
        found.push({ id: group.id, name });
      },
      { what: 'Reading groups', ...(native ? { filterSetting: 'sync.groupFilter' } : {}) },
      { phase: 'groups', base: 0 },
    );

    // Members of several groups at once: the governor paces them, where upstream slept 500 ms per group.
    let done = 0;
    const groups = await mapPool(
      found,
      this.memberConcurrency,
      async (group) => {
        const members: string[] = [];
        try {
          await this.each(
            () => this.client.groupApi.listGroupUsers({ groupId: group.id, limit: MEMBER_PAGE }),
            (user: OktaUserLike) => {
              if (user.id) members.push(user.id);
            },
            { what: `Reading the members of group "${group.name}"` },
          );
        } catch (error) {
          // A group deleted between the list and its members is gone, not a failed read.
          if (error instanceof OktaError && error.status === 404) {
            this.warnings.push(
              `Okta group "${group.name}" (${group.id}) disappeared during the read; left out`,
            );
            return undefined;
          }
          throw error;
        }
        this.progress({ phase: 'members', done: ++done, total: found.length });
        return {
          externalId: group.id,
          referenceId: group.id,
          name: group.name,
          userMemberExternalIds: members,
          groupMemberReferenceIds: [],
        } satisfies DirectoryGroup;
      },
      this.request.signal,
    );
    return groups.filter((group) => group !== undefined);
  }

  /** Iterates an SDK collection (which follows `Link: rel="next"`), reporting progress per page. */
  private async each<T>(
    open: () => Promise<AsyncIterable<T | null>>,
    visit: (item: T) => void,
    call: RestCall,
    progress?: { phase: FetchProgress['phase']; base: number },
  ): Promise<void> {
    try {
      let count = 0;
      for await (const item of await open()) {
        if (item) visit(item);
        count++;
        if (progress && count % USER_PAGE === 0)
          this.progress({ phase: progress.phase, done: progress.base + count });
        throwIfCancelled(this.request.signal, CANCELLED);
      }
      if (progress) this.progress({ phase: progress.phase, done: progress.base + count });
    } catch (error) {
      throw toOktaError(error, this.orgUrl, call.what, call.filterSetting);
    }
  }

  private progress(progress: FetchProgress): void {
    this.request.onProgress?.(progress);
    throwIfCancelled(this.request.signal, CANCELLED);
  }
}

function toDirectoryUser(user: OktaUserLike): DirectoryUser {
  const email = user.profile?.email?.trim().toLowerCase();
  return {
    externalId: user.id!,
    referenceId: user.id!,
    email: email || undefined,
    disabled: user.status === 'SUSPENDED',
    deleted: user.status === 'DEPROVISIONED',
  };
}

function and(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b || undefined;
  if (!b) return a;
  return `(${a}) and ${b}`;
}
