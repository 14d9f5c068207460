import {
  mapPool,
  throwIfCancelled,
  type DirectoryGroup,
  type DirectorySnapshot,
  type DirectoryUser,
} from '@bwdc/core';
import type { FetchProgress, FetchRequest } from '@bwdc/directory-provider';
import type { GraphReader } from './client';
import { EntraError, type GraphCall } from './errors';
import {
  DeltaExpired,
  GROUP_TYPE,
  USER_TYPE,
  isExpiredDelta,
  mergeDeltaGroup,
  toDirectoryGroup,
  type Cursor,
  type GraphDeltaGroup,
  type GraphGroup,
  type GraphMember,
  type GraphUser,
  type GroupWithMembers,
} from './delta';
import { groupPasses, userPasses, type GroupFilter, type UserFilter } from './filters';

/** Only what is mapped: Graph's page size is largest when the objects are smallest. */
const USER_SELECT = 'id,displayName,mail,userPrincipalName,accountEnabled';
const GROUP_SELECT = 'id,displayName';
/** The largest page Graph serves for users, groups and members. */
const PAGE_SIZE = 999;
/** Member lists read at once; Graph's throttling guidance tolerates a few concurrent requests. */
const MEMBER_READS_AT_ONCE = 4;

export const CALLS = {
  users: { what: 'reading users (GET /users)', permission: 'User.Read.All' },
  userDelta: {
    what: 'reading user changes (GET /users/delta)',
    permission: 'User.Read.All',
    deltaRound: true,
  },
  groups: { what: 'reading groups (GET /groups)', permission: 'GroupMember.Read.All' },
  groupDelta: {
    what: 'reading group changes (GET /groups/delta)',
    permission: 'GroupMember.Read.All',
    deltaRound: true,
  },
} satisfies Record<string, GraphCall & { deltaRound?: boolean }>;

/** One fetch: the calls of a full or an incremental read. */
export class EntraRead {
  constructor(
    private readonly graph: GraphReader,
    private readonly request: FetchRequest,
    private readonly userFilter: UserFilter,
    private readonly groupFilter: GroupFilter,
    private readonly warnings: string[],
  ) {}

  async full(): Promise<DirectorySnapshot> {
    const { users: wantUsers, groups: wantGroups } = this.request;
    // Open the user delta round first: a change made while we read is then seen again next
    // time, never lost between the read and the link.
    let usersLink: string | undefined;
    let users: DirectoryUser[] | undefined;
    if (wantUsers) {
      usersLink = await this.latestLink('/users/delta', USER_SELECT, CALLS.userDelta);
      const raw: GraphUser[] = [];
      await this.graph.readAll<GraphUser>(
        `/users?$select=${USER_SELECT}&$top=${PAGE_SIZE}`,
        CALLS.users,
        this.signal,
        (page) => {
          raw.push(...page);
          this.progress({ phase: 'users', done: raw.length });
        },
      );
      users = await this.mapUsers(raw);
    }
    let groupsLink: string | undefined;
    let groups: DirectoryGroup[] | undefined;
    if (wantGroups) {
      // The initial group delta round carries every group with its members (Microsoft's
      // recommended way to start a sync), so memberships cost a few pages instead of one list
      // per group, and the round ends in the link for the next incremental read.
      const found = new Map<string, GroupWithMembers>();
      groupsLink = await this.deltaRound<GraphDeltaGroup>(
        `/groups/delta?$select=${GROUP_SELECT},members`,
        CALLS.groupDelta,
        (page) => {
          for (const item of page) mergeDeltaGroup(found, item);
          this.progress({ phase: 'groups', done: found.size });
        },
      );
      const selected = await this.selectGroups([...found.values()]);
      groups = selected.map(toDirectoryGroup);
    }
    return this.snapshot(
      { users, groups, complete: true },
      { v: 1, users: usersLink, groups: groupsLink },
    );
  }

  async incremental(prior: Cursor): Promise<DirectorySnapshot> {
    let users: DirectoryUser[] | undefined;
    let usersLink = prior.users;
    if (this.request.users) {
      const changed = new Map<string, GraphUser>();
      usersLink = await this.followDelta<GraphUser>(prior.users!, CALLS.userDelta, (page) => {
        // An object can appear more than once in a round; the last appearance is current.
        for (const user of page) changed.set(user.id, user);
        this.progress({ phase: 'users', done: changed.size });
      });
      users = await this.mapUsers([...changed.values()]);
    }
    let groups: DirectoryGroup[] | undefined;
    let groupsLink = prior.groups;
    if (this.request.groups) {
      const changed = new Map<string, GraphGroup>();
      groupsLink = await this.followDelta<GraphGroup>(prior.groups!, CALLS.groupDelta, (page) => {
        for (const group of page) changed.set(group.id, { ...changed.get(group.id), ...group });
        this.progress({ phase: 'groups', done: changed.size });
      });
      const live: GraphGroup[] = [];
      for (const group of changed.values()) {
        if (group['@removed']) {
          this.warnings.push(`Entra group ${group.id} was deleted; the next full read drops it.`);
        } else if (group.displayName == null) {
          live.push(
            await this.graph.get<GraphGroup>(
              `/groups/${group.id}?$select=${GROUP_SELECT}`,
              CALLS.groups,
              this.signal,
            ),
          );
        } else {
          live.push(group);
        }
      }
      groups = await this.withMembers(await this.selectGroups(live));
    }
    return this.snapshot(
      { users, groups, complete: false },
      { v: 1, users: usersLink, groups: groupsLink },
    );
  }

  /** The snapshot, with the delta links that continue both rounds as its cursor. */
  private snapshot(
    read: Pick<DirectorySnapshot, 'users' | 'groups' | 'complete'>,
    cursor: Cursor,
  ): DirectorySnapshot {
    return { ...read, cursor: JSON.stringify(cursor), warnings: this.warnings };
  }

  private get signal(): AbortSignal | undefined {
    return this.request.signal;
  }

  private progress(progress: FetchProgress): void {
    this.request.onProgress?.(progress);
    throwIfCancelled(this.signal, 'Entra read');
  }

  /** A delta link for changes from now on (`$deltatoken=latest`), without listing everything. */
  private async latestLink(path: string, select: string, call: GraphCall): Promise<string> {
    // A server that ignores `latest` returns the whole round instead; it is paged through and dropped.
    return this.deltaRound(`${path}?$select=${select}&$deltatoken=latest`, call, () => undefined);
  }

  /** Every page of a delta round, and the `@odata.deltaLink` that must end it. */
  private async deltaRound<T>(
    path: string,
    call: GraphCall,
    onPage: (items: T[]) => void,
  ): Promise<string> {
    const link = await this.graph.readAll<T>(path, call, this.signal, onPage);
    if (link === undefined) {
      throw new EntraError(
        'DIRECTORY_READ_FAILED',
        this.graph.graphUrl,
        `${call.what} ended without an @odata.deltaLink`,
      );
    }
    return link;
  }

  private async followDelta<T>(
    link: string,
    call: GraphCall,
    onPage: (items: T[]) => void,
  ): Promise<string> {
    try {
      return await this.deltaRound(this.graph.relative(link, call), call, onPage);
    } catch (error) {
      if (error instanceof EntraError && isExpiredDelta(error)) throw new DeltaExpired(call.what);
      throw error;
    }
  }

  private async mapUsers(raw: readonly GraphUser[]): Promise<DirectoryUser[]> {
    const filter = this.userFilter;
    // Group clauses cost requests; a read with no live user needs none.
    const live = raw.some((u) => !u['@removed']);
    const included =
      live && filter.includeGroupIds
        ? await this.transitiveUserIds(filter.includeGroupIds, 'includeGroup')
        : undefined;
    const excluded =
      live && filter.excludeGroupIds
        ? await this.transitiveUserIds(filter.excludeGroupIds, 'excludeGroup')
        : undefined;
    const users: DirectoryUser[] = [];
    for (const user of raw) {
      if (user['@removed']) {
        // Deleted users carry only their id; they pass every filter so the engine can remove them.
        users.push({
          externalId: user.id,
          referenceId: user.id,
          email: undefined,
          disabled: false,
          deleted: true,
        });
        continue;
      }
      const email = this.emailOf(user);
      if (!userPasses(filter, { id: user.id, email }, { included, excluded })) continue;
      users.push({
        externalId: user.id,
        referenceId: user.id,
        email,
        disabled: user.accountEnabled === false,
        deleted: false,
      });
    }
    return users;
  }

  /**
   * `mail`, or the sign-in name when there is no mail or it is the tenant's internal
   * onmicrosoft.com address (upstream's rule). A guest's `#EXT#` sign-in name is no email.
   */
  private emailOf(user: GraphUser): string | undefined {
    const mail = user.mail?.trim();
    const upn = user.userPrincipalName?.trim();
    let email = mail;
    if (upn && (!mail || mail.toLowerCase().includes('onmicrosoft.com'))) email = upn;
    if (!email) {
      this.warnings.push(
        `Entra user ${user.id} (${user.displayName ?? 'no name'}) has neither mail nor userPrincipalName.`,
      );
      return undefined;
    }
    if (email.includes('#')) {
      this.warnings.push(
        `Entra user ${user.id} (${email}) has no mail and its sign-in name is not an email address.`,
      );
      return undefined;
    }
    return email.toLowerCase();
  }

  /** The users in these groups, nested ones included: what `includeGroup`/`excludeGroup` name. */
  private transitiveUserIds(groupIds: readonly string[], keyword: string): Promise<Set<string>> {
    return this.memberIds(groupIds, USER_TYPE, (id) => ({
      path: `/groups/${encodeURIComponent(id)}/transitiveMembers`,
      what: `reading the members of group ${id} (GET /groups/${id}/transitiveMembers)`,
      permission: 'GroupMember.Read.All',
      notFound: `group ${id}, named in sync.userFilter (${keyword}), does not exist in this tenant`,
    }));
  }

  private async selectGroups<T extends GraphGroup>(raw: readonly T[]): Promise<T[]> {
    const filter = this.groupFilter;
    const included = filter.includeUnitIds
      ? await this.unitGroupIds(filter.includeUnitIds, 'includeAdministrativeUnit')
      : undefined;
    const excluded = filter.excludeUnitIds
      ? await this.unitGroupIds(filter.excludeUnitIds, 'excludeAdministrativeUnit')
      : undefined;
    return raw.filter((g) =>
      groupPasses(filter, { id: g.id, name: g.displayName ?? '' }, { included, excluded }),
    );
  }

  /** The groups in these administrative units: what `includeAdministrativeUnit`/`excludeAdministrativeUnit` name. */
  private unitGroupIds(unitIds: readonly string[], keyword: string): Promise<Set<string>> {
    return this.memberIds(unitIds, GROUP_TYPE, (id) => {
      const path = `/directory/administrativeUnits/${encodeURIComponent(id)}/members`;
      return {
        path,
        what: `reading administrative unit ${id} (GET ${path})`,
        permission: 'AdministrativeUnit.Read.All',
        notFound: `administrative unit ${id}, named in sync.groupFilter (${keyword}), does not exist in this tenant`,
      };
    });
  }

  /** The lower-cased ids of the members of one `@odata.type` in each container a filter names. */
  private async memberIds(
    containerIds: readonly string[],
    type: string,
    callOf: (id: string) => GraphCall & { readonly path: string },
  ): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const containerId of containerIds) {
      const call = callOf(containerId);
      await this.graph.readAll<GraphMember>(
        `${call.path}?$select=id&$top=${PAGE_SIZE}`,
        call,
        this.signal,
        (page) => {
          for (const member of page)
            if (member['@odata.type'] === type) ids.add(member.id.toLowerCase());
        },
      );
    }
    return ids;
  }

  /**
   * Each group's direct members, every page of them, a few groups at once in core's bounded pool
   * (the first failure stops the others); nested groups become references.
   */
  private async withMembers(groups: readonly GraphGroup[]): Promise<DirectoryGroup[]> {
    let done = 0;
    return mapPool(
      groups,
      MEMBER_READS_AT_ONCE,
      async (group, signal) => {
        const userIds: string[] = [];
        const groupIds: string[] = [];
        const path = `/groups/${encodeURIComponent(group.id)}/members`;
        await this.graph.readAll<GraphMember>(
          `${path}?$select=id&$top=${PAGE_SIZE}`,
          {
            what: `reading the members of group "${group.displayName ?? group.id}" (GET ${path})`,
            permission: 'GroupMember.Read.All',
          },
          signal,
          (page) => {
            for (const member of page) {
              if (member['@odata.type'] === USER_TYPE) userIds.push(member.id);
              else if (member['@odata.type'] === GROUP_TYPE) groupIds.push(member.id);
              // Devices, service principals and contacts are not organization members.
            }
          },
        );
        this.progress({ phase: 'members', done: ++done, total: groups.length });
        return {
          externalId: group.id,
          referenceId: group.id,
          name: group.displayName ?? group.id,
          userMemberExternalIds: userIds,
          groupMemberReferenceIds: groupIds,
        } satisfies DirectoryGroup;
      },
      this.signal,
    );
  }
}
