import {
  ConfigValidationError,
  DirectoryType,
  throwIfCancelled,
  type ConfigIssue,
  type DirectoryGroup,
  type DirectorySnapshot,
  type DirectoryUser,
  type EntraConfig,
  type Logger,
  type SyncConfig,
} from '@bwdc/core';
import type { DirectoryProvider, FetchProgress, FetchRequest } from '@bwdc/directory-provider';
import { Agent, fetch as undiciFetch } from 'undici';
import { resolveEndpoints, type EntraEndpoints } from './endpoints';
import { EntraError } from './errors';
import {
  groupPasses,
  parseGroupFilter,
  parseUserFilter,
  userPasses,
  type GroupFilter,
  type UserFilter,
} from './filters';
import { GraphReader, type GraphCall } from './graph';
import { ClientCredentialsToken } from './token';

/** Seams for tests and unusual networks; production passes nothing. */
export interface EntraIo {
  /** Replaces the global fetch for the token and Graph calls. */
  readonly fetch?: typeof fetch;
  /**
   * Extra certificate authority (PEM) to trust for the token endpoint and Graph, e.g. a test
   * emulator's or a TLS-inspecting proxy's. Used only when `fetch` is not given.
   */
  readonly ca?: string | Buffer;
}

/** Only what is mapped: Graph's page size is largest when the objects are smallest. */
const USER_SELECT = 'id,displayName,mail,userPrincipalName,accountEnabled';
const GROUP_SELECT = 'id,displayName';
/** The largest page Graph serves for users, groups and members. */
const PAGE_SIZE = 999;
/** Member lists read at once; Graph's throttling guidance tolerates a few concurrent requests. */
const MEMBER_READS_AT_ONCE = 4;
const USER_TYPE = '#microsoft.graph.user';
const GROUP_TYPE = '#microsoft.graph.group';

interface GraphUser {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  accountEnabled?: boolean | null;
  '@removed'?: { reason: string };
}

interface GraphGroup {
  id: string;
  displayName?: string | null;
  '@removed'?: { reason: string };
}

interface GraphMember {
  id: string;
  '@odata.type'?: string;
  '@removed'?: { reason: string };
}

interface GraphDeltaGroup extends GraphGroup {
  'members@delta'?: GraphMember[];
}

interface GroupWithMembers extends GraphGroup {
  readonly userIds: Set<string>;
  readonly groupIds: Set<string>;
}

/** The provider's cursor: the delta links that continue the user and group rounds. */
interface Cursor {
  readonly v: 1;
  readonly users?: string;
  readonly groups?: string;
}

const CALLS = {
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

/**
 * Entra ID (Azure AD) through Microsoft Graph with an app registration's client credentials.
 *
 * A full read lists users (`/users`, after opening a user delta round with `$deltatoken=latest`)
 * and reads groups with their direct members through the initial group delta round (nested
 * groups stay references for the engine to flatten). The two delta links become the cursor. An
 * incremental read follows them: changed users, deleted users (`deleted: true`) and changed
 * groups with their whole membership re-read, as a snapshot with `complete: false`. The cursor
 * is only returned; the engine commits it after a successful sync.
 */
export class EntraDirectoryProvider implements DirectoryProvider {
  readonly type = DirectoryType.EntraId;
  private connection:
    | { endpoints: EntraEndpoints; token: ClientCredentialsToken; graph: GraphReader }
    | undefined;

  constructor(
    private readonly config: EntraConfig,
    private readonly sync: SyncConfig,
    private readonly logger: Logger,
    private readonly io: EntraIo = {},
  ) {}

  /** Signs in and reads one user (and one group when groups are synced) to prove the permissions. */
  async verify(signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal, 'Entra verification');
    // A filter mistake is a setup mistake too; say so before the first sync.
    parseUserFilter(this.sync.userFilter);
    parseGroupFilter(this.sync.groupFilter);
    const { token, graph } = this.connect();
    await token.get(signal);
    await graph.get(`/users?$select=id&$top=1`, CALLS.users, signal);
    if (this.sync.groups) await graph.get(`/groups?$select=id&$top=1`, CALLS.groups, signal);
  }

  async fetch(request: FetchRequest): Promise<DirectorySnapshot> {
    throwIfCancelled(request.signal, 'Entra read');
    const userFilter = parseUserFilter(this.sync.userFilter);
    const groupFilter = parseGroupFilter(this.sync.groupFilter);
    const warnings: string[] = [];
    const read = new Read(this.connect().graph, request, userFilter, groupFilter, warnings);

    if (request.mode === 'incremental') {
      const prior = decodeCursor(request.cursor);
      const usable = prior && (!request.users || prior.users) && (!request.groups || prior.groups);
      if (usable) {
        try {
          return await read.incremental(prior);
        } catch (error) {
          if (!(error instanceof DeltaExpired)) throw error;
          warnings.push(
            `Entra no longer accepts the saved delta link (${error.what}); doing a full read instead.`,
          );
        }
      } else {
        warnings.push(
          request.cursor === undefined
            ? 'No Entra delta link saved yet; doing a full read.'
            : 'The saved Entra cursor does not cover what this sync reads; doing a full read.',
        );
      }
    }
    return read.full();
  }

  private connect(): {
    endpoints: EntraEndpoints;
    token: ClientCredentialsToken;
    graph: GraphReader;
  } {
    if (this.connection) return this.connection;
    const missing: ConfigIssue[] = [];
    const required = {
      tenant: this.config.tenant,
      applicationId: this.config.applicationId,
      key: this.config.key,
    };
    for (const [name, value] of Object.entries(required)) {
      if (value === undefined || value.trim() === '')
        missing.push({ setting: `entra.${name}`, message: 'is required for Entra ID' });
    }
    if (missing.length > 0) throw new ConfigValidationError(missing);
    const tenant = this.config.tenant!.trim();
    const endpoints = resolveEndpoints(this.config, tenant);
    const fetchFn =
      this.io.fetch ?? (this.io.ca !== undefined ? fetchTrusting(this.io.ca) : globalThis.fetch);
    const token = new ClientCredentialsToken(
      endpoints,
      tenant,
      this.config.applicationId!.trim(),
      this.config.key!,
      fetchFn,
      this.logger,
    );
    const graph = new GraphReader(endpoints.graphUrl, token, fetchFn, (attempt, status, path) =>
      this.logger.warn('Microsoft Graph asked to retry later; waiting as its Retry-After says', {
        attempt,
        status,
        path,
      }),
    );
    this.connection = { endpoints, token, graph };
    return this.connection;
  }
}

/** Thrown inside a read when Graph no longer accepts a delta link (410 Gone or a resync code). */
class DeltaExpired extends Error {
  constructor(readonly what: string) {
    super(`delta link expired: ${what}`);
  }
}

/** One fetch: the calls of a full or an incremental read. */
class Read {
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
      groupsLink = await this.graph.readAll<GraphDeltaGroup>(
        `/groups/delta?$select=${GROUP_SELECT},members`,
        CALLS.groupDelta,
        this.signal,
        (page) => {
          for (const item of page) mergeDeltaGroup(found, item);
          this.progress({ phase: 'groups', done: found.size });
        },
      );
      if (groupsLink === undefined)
        throw new EntraError(
          'DIRECTORY_READ_FAILED',
          this.graph.graphUrl,
          `${CALLS.groupDelta.what} ended without an @odata.deltaLink`,
        );
      const selected = await this.selectGroups([...found.values()]);
      groups = selected.map(toDirectoryGroup);
    }
    const cursor: Cursor = { v: 1, users: usersLink, groups: groupsLink };
    return {
      users,
      groups,
      complete: true,
      cursor: JSON.stringify(cursor),
      warnings: this.warnings,
    };
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
    const cursor: Cursor = { v: 1, users: usersLink, groups: groupsLink };
    return {
      users,
      groups,
      complete: false,
      cursor: JSON.stringify(cursor),
      warnings: this.warnings,
    };
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
    const link = await this.graph.readAll(
      `${path}?$select=${select}&$deltatoken=latest`,
      call,
      this.signal,
      () => undefined,
    );
    if (link === undefined)
      throw new EntraError(
        'DIRECTORY_READ_FAILED',
        this.graph.graphUrl,
        `${call.what} ended without an @odata.deltaLink`,
      );
    return link;
  }

  private async followDelta<T>(
    link: string,
    call: GraphCall,
    onPage: (items: T[]) => void,
  ): Promise<string> {
    try {
      const next = await this.graph.readAll<T>(
        this.graph.relative(link, call),
        call,
        this.signal,
        onPage,
      );
      if (next === undefined)
        throw new EntraError(
          'DIRECTORY_READ_FAILED',
          this.graph.graphUrl,
          `${call.what} ended without an @odata.deltaLink`,
        );
      return next;
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

  private async transitiveUserIds(
    groupIds: readonly string[],
    keyword: string,
  ): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const groupId of groupIds) {
      await this.graph.readAll<GraphMember>(
        `/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=id&$top=${PAGE_SIZE}`,
        {
          what: `reading the members of group ${groupId} (GET /groups/${groupId}/transitiveMembers)`,
          permission: 'GroupMember.Read.All',
          notFound: `group ${groupId}, named in sync.userFilter (${keyword}), does not exist in this tenant`,
        },
        this.signal,
        (page) => {
          for (const member of page)
            if (member['@odata.type'] === USER_TYPE) ids.add(member.id.toLowerCase());
        },
      );
    }
    return ids;
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

  private async unitGroupIds(unitIds: readonly string[], keyword: string): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const unitId of unitIds) {
      const path = `/directory/administrativeUnits/${encodeURIComponent(unitId)}/members`;
      await this.graph.readAll<GraphMember>(
        `${path}?$select=id&$top=${PAGE_SIZE}`,
        {
          what: `reading administrative unit ${unitId} (GET ${path})`,
          permission: 'AdministrativeUnit.Read.All',
          notFound: `administrative unit ${unitId}, named in sync.groupFilter (${keyword}), does not exist in this tenant`,
        },
        this.signal,
        (page) => {
          for (const member of page)
            if (member['@odata.type'] === GROUP_TYPE) ids.add(member.id.toLowerCase());
        },
      );
    }
    return ids;
  }

  /** Each group's direct members, every page of them; nested groups become references. */
  private async withMembers(groups: readonly GraphGroup[]): Promise<DirectoryGroup[]> {
    const out: DirectoryGroup[] = new Array(groups.length);
    let done = 0;
    await forEachLimited(groups, MEMBER_READS_AT_ONCE, async (group, index) => {
      const userIds: string[] = [];
      const groupIds: string[] = [];
      const path = `/groups/${encodeURIComponent(group.id)}/members`;
      await this.graph.readAll<GraphMember>(
        `${path}?$select=id&$top=${PAGE_SIZE}`,
        {
          what: `reading the members of group "${group.displayName ?? group.id}" (GET ${path})`,
          permission: 'GroupMember.Read.All',
        },
        this.signal,
        (page) => {
          for (const member of page) {
            if (member['@odata.type'] === USER_TYPE) userIds.push(member.id);
            else if (member['@odata.type'] === GROUP_TYPE) groupIds.push(member.id);
            // Devices, service principals and contacts are not organization members.
          }
        },
      );
      out[index] = {
        externalId: group.id,
        referenceId: group.id,
        name: group.displayName ?? group.id,
        userMemberExternalIds: userIds,
        groupMemberReferenceIds: groupIds,
      };
      this.progress({ phase: 'members', done: ++done, total: groups.length });
    });
    return out;
  }
}

/**
 * Folds one item of a group delta round into what is known. A large group appears on several
 * pages, each with part of its `members@delta`; an entry marked `@removed` is no member.
 */
function mergeDeltaGroup(found: Map<string, GroupWithMembers>, item: GraphDeltaGroup): void {
  if (item['@removed']) {
    found.delete(item.id);
    return;
  }
  let group = found.get(item.id);
  if (!group) {
    group = { id: item.id, displayName: item.displayName, userIds: new Set(), groupIds: new Set() };
    found.set(item.id, group);
  } else if (item.displayName != null) {
    group.displayName = item.displayName;
  }
  for (const member of item['members@delta'] ?? []) {
    const set =
      member['@odata.type'] === USER_TYPE
        ? group.userIds
        : member['@odata.type'] === GROUP_TYPE
          ? group.groupIds
          : undefined;
    if (member['@removed']) set?.delete(member.id);
    else set?.add(member.id);
  }
}

function toDirectoryGroup(group: GroupWithMembers): DirectoryGroup {
  return {
    externalId: group.id,
    referenceId: group.id,
    name: group.displayName ?? group.id,
    userMemberExternalIds: [...group.userIds],
    groupMemberReferenceIds: [...group.groupIds],
  };
}

function isExpiredDelta(error: EntraError): boolean {
  const cause = error.cause as { statusCode?: number; code?: string | null } | undefined;
  const code = (cause?.code ?? '').toLowerCase();
  return cause?.statusCode === 410 || code === 'syncstatenotfound' || code === 'resyncrequired';
}

function decodeCursor(cursor: string | undefined): Cursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = JSON.parse(cursor) as Partial<Cursor>;
    return parsed && parsed.v === 1 ? (parsed as Cursor) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `fn` over `items`, at most `limit` at a time; the first failure stops the rest. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        await fn(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A fetch that also trusts `ca`, through undici's own fetch so agent and fetch match. */
function fetchTrusting(ca: string | Buffer): typeof fetch {
  const dispatcher = new Agent({ connect: { ca } });
  type UndiciInput = Parameters<typeof undiciFetch>[0];
  type UndiciInit = NonNullable<Parameters<typeof undiciFetch>[1]>;
  return ((input: unknown, init?: unknown) =>
    undiciFetch(input as UndiciInput, {
      ...(init as UndiciInit),
      dispatcher,
    })) as unknown as typeof fetch;
}
