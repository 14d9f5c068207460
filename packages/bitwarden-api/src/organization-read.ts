/**
 * The organization as it is now, read through the Public API: every member, every group, and the
 * member ids of the groups asked for (one `GET /public/groups/{id}/member-ids` each, a bounded
 * number at a time; 429s are waited out by the transport's retries). Only reads: nothing is sent.
 */
import { mapPool, type Logger } from '@bwdc/core';
import { BitwardenApiError } from './errors';
import type { OrganizationGroup, OrganizationMember } from './models';

export interface OrganizationGroupWithMembers extends OrganizationGroup {
  /** The group's member ids; undefined when they were not asked for. */
  readonly memberIds: readonly string[] | undefined;
}

export interface OrganizationSnapshot {
  readonly members: readonly OrganizationMember[];
  readonly groups: readonly OrganizationGroupWithMembers[];
}

export interface OrganizationReadProgress {
  readonly phase: 'members' | 'groups' | 'group-members';
  readonly done: number;
  readonly total?: number;
}

export interface ReadOrganizationOptions {
  /**
   * Whose member ids to read: every group, none (default), or those the predicate picks. The
   * predicate is asked about each group when its turn comes, so a caller may narrow it while the
   * read runs (the engine starts reading before its plan says which groups it sends).
   */
  readonly groupMembers?: 'all' | 'none' | ((group: OrganizationGroup) => boolean);
  /** Member-id reads in flight at once; default 8. */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: OrganizationReadProgress) => void;
}

/** What the reader needs of the client. */
export interface OrganizationReads {
  listMembers(signal?: AbortSignal): Promise<OrganizationMember[]>;
  listGroups(signal?: AbortSignal): Promise<OrganizationGroup[]>;
  listGroupMemberIds(groupId: string, signal?: AbortSignal): Promise<string[]>;
}

const DEFAULT_CONCURRENCY = 8;

export async function readOrganization(
  api: OrganizationReads,
  apiUrl: string,
  options: ReadOrganizationOptions = {},
  logger?: Logger,
): Promise<OrganizationSnapshot> {
  const { signal, onProgress } = options;
  const started = Date.now();
  onProgress?.({ phase: 'members', done: 0 });
  // The member list is the big one: the group members are read while it comes.
  const membersRead = api
    .listMembers(signal)
    .catch((e: unknown) => rethrowMissingRoute(e, apiUrl, 'members'));
  // A failed member list stops the member-id reads too; the failure itself is thrown below.
  const stop = new AbortController();
  const poolSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  membersRead.catch(() => stop.abort());
  const groups = await api
    .listGroups(signal)
    .catch((e: unknown) => rethrowMissingRoute(e, apiUrl, 'groups'));
  onProgress?.({ phase: 'groups', done: groups.length, total: groups.length });

  const pick = options.groupMembers ?? 'none';
  const candidates = pick === 'none' ? [] : groups;
  const memberIds = new Map<string, readonly string[] | null>();
  let done = 0;
  let read = 0;
  if (candidates.length > 0)
    onProgress?.({ phase: 'group-members', done, total: candidates.length });
  const groupMembersRead = mapPool(
    candidates,
    options.concurrency ?? DEFAULT_CONCURRENCY,
    async (group, groupSignal) => {
      if (typeof pick === 'function' && !pick(group)) {
        onProgress?.({ phase: 'group-members', done: ++done, total: candidates.length });
        return;
      }
      read++;
      try {
        memberIds.set(group.id, await api.listGroupMemberIds(group.id, groupSignal));
      } catch (e) {
        // Deleted by someone else since the list was read: it is not part of the organization now.
        if (e instanceof BitwardenApiError && e.status === 404) memberIds.set(group.id, null);
        else throw e;
      }
      onProgress?.({ phase: 'group-members', done: ++done, total: candidates.length });
    },
    poolSignal,
    'Reading the organization',
  );
  const [members] = await Promise.all([membersRead, groupMembersRead]);
  onProgress?.({ phase: 'members', done: members.length, total: members.length });

  const result: OrganizationGroupWithMembers[] = [];
  for (const g of groups) {
    const ids = memberIds.get(g.id);
    if (ids === null) continue;
    result.push({ ...g, memberIds: ids });
  }
  logger?.info('Read the organization', {
    members: members.length,
    groups: result.length,
    groupMemberReads: read,
    ms: Date.now() - started,
  });
  return { members, groups: result };
}

/** Vaultwarden (and old servers) have no member or group routes: say so instead of "HTTP 404". */
function rethrowMissingRoute(error: unknown, apiUrl: string, what: 'members' | 'groups'): never {
  if (error instanceof BitwardenApiError && (error.status === 404 || error.status === 405)) {
    throw new BitwardenApiError(
      `GET ${apiUrl}/public/${what}`,
      { status: error.status, serverMessage: error.serverMessage },
      {
        cause: error,
        message: `This Bitwarden server (${apiUrl}) does not offer GET /public/${what}, so the organization cannot be read (Vaultwarden has no member or group routes).`,
        actions: [
          'Use plain `bwdc test` to see what a sync would send; comparing with the organization needs the official Bitwarden server.',
        ],
      },
    );
  }
  throw error;
}
