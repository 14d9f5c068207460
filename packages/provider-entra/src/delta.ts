import type { DirectoryGroup } from '@bwdc/core';
import type { EntraError } from './errors';

/** Graph's `@odata.type` of the members the provider keeps. */
export const USER_TYPE = '#microsoft.graph.user';
export const GROUP_TYPE = '#microsoft.graph.group';

export interface GraphUser {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  accountEnabled?: boolean | null;
  '@removed'?: { reason: string };
}

export interface GraphGroup {
  id: string;
  displayName?: string | null;
  '@removed'?: { reason: string };
}

export interface GraphMember {
  id: string;
  '@odata.type'?: string;
  '@removed'?: { reason: string };
}

export interface GraphDeltaGroup extends GraphGroup {
  'members@delta'?: GraphMember[];
}

export interface GroupWithMembers extends GraphGroup {
  readonly userIds: Set<string>;
  readonly groupIds: Set<string>;
}

/** The provider's cursor: the delta links that continue the user and group rounds. */
export interface Cursor {
  readonly v: 1;
  readonly users?: string;
  readonly groups?: string;
}

/** Thrown inside a read when Graph no longer accepts a delta link (410 Gone or a resync code). */
export class DeltaExpired extends Error {
  constructor(readonly what: string) {
    super(`delta link expired: ${what}`);
  }
}

/**
 * Folds one item of a group delta round into what is known. A large group appears on several
 * pages, each with part of its `members@delta`; an entry marked `@removed` is no member.
 */
export function mergeDeltaGroup(found: Map<string, GroupWithMembers>, item: GraphDeltaGroup): void {
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

export function toDirectoryGroup(group: GroupWithMembers): DirectoryGroup {
  return {
    externalId: group.id,
    referenceId: group.id,
    name: group.displayName ?? group.id,
    userMemberExternalIds: [...group.userIds],
    groupMemberReferenceIds: [...group.groupIds],
  };
}

export function isExpiredDelta(error: EntraError): boolean {
  const cause = error.cause as { statusCode?: number; code?: string | null } | undefined;
  const code = (cause?.code ?? '').toLowerCase();
  return cause?.statusCode === 410 || code === 'syncstatenotfound' || code === 'resyncrequired';
}

/** The cursor a read left, or undefined when it is not one of ours (a full read follows). */
export function decodeCursor(cursor: string | undefined): Cursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = JSON.parse(cursor) as Partial<Cursor>;
    return parsed && parsed.v === 1 ? (parsed as Cursor) : undefined;
  } catch {
    return undefined;
  }
}
