/** Plans and organizations for the `diffOrganization` specs, in a line each. */
import {
  MemberStatus,
  MemberType,
  type ImportGroup,
  type ImportMember,
  type ImportRequest,
} from '@bwdc/core';
import type { ChangesPlan } from '../changes';
import {
  type OrganizationGroupState,
  type OrganizationMemberState,
  type OrganizationState,
} from '../organization';
import type { LeftOutEntry, PlannedUser, RemovalReason } from '../types';

export const active = (name: string, email = `${name}@example.com`): ImportMember => ({
  email,
  externalId: name,
  deleted: false,
});
export const gone = (name: string): ImportMember => ({
  email: `${name}@example.com`,
  externalId: name,
  deleted: true,
});
export const grp = (externalId: string, name: string, members: string[]): ImportGroup => ({
  externalId,
  name,
  memberExternalIds: members,
});

export function request(
  members: ImportMember[],
  groups: ImportGroup[] = [],
  overwriteExisting = false,
): ImportRequest {
  return {
    members,
    groups,
    overwriteExisting,
    largeImport: false,
    inviteUsersAfterProvisioning: false,
  };
}

export function plan(
  requests: ImportRequest[],
  options: {
    removals?: Record<string, RemovalReason>;
    leftOut?: LeftOutEntry[];
    unchanged?: boolean;
  } = {},
): ChangesPlan {
  const users: PlannedUser[] = [];
  for (const r of requests) {
    for (const m of r.members) {
      users.push({
        externalId: m.externalId,
        referenceId: undefined,
        email: m.email,
        status: m.deleted ? 'deleted' : 'enabled',
        deleted: m.deleted,
        removal: m.deleted
          ? (options.removals?.[m.externalId] ?? 'deleted-in-directory')
          : undefined,
      });
    }
  }
  return {
    requests,
    users,
    leftOut: options.leftOut ?? [],
    unchanged: options.unchanged ?? false,
  };
}

let nextId = 0;
export function member(
  email: string,
  externalId: string | null,
  extra: Partial<OrganizationMemberState> = {},
): OrganizationMemberState {
  return {
    id: `m${++nextId}`,
    email,
    externalId,
    status: MemberStatus.Confirmed,
    type: MemberType.User,
    ...extra,
  };
}
export const owner = member('owner@example.com', null, { type: MemberType.Owner });

export function orgOf(
  members: OrganizationMemberState[],
  groups: { name: string; externalId: string | null; members?: string[] | undefined }[] = [],
): OrganizationState {
  const all = [owner, ...members];
  const idOf = (email: string): string => all.find((m) => m.email === email)!.id;
  const groupStates: OrganizationGroupState[] = groups.map((g, i) => ({
    id: `g${i}`,
    name: g.name,
    externalId: g.externalId,
    memberIds: g.members?.map(idOf),
  }));
  return { members: all, groups: groupStates };
}
