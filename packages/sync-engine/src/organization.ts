/**
 * The Bitwarden organization as it is now, as far as an import can change it: members with their
 * externalId, role and status, and groups with their members. The Bitwarden API client's
 * `readOrganization` returns this shape, so the connector passes it on without an adapter.
 */

/** OrganizationUserType, as the Public API numbers it (3, Manager, is retired). */
export const MemberRole = { Owner: 0, Admin: 1, User: 2, Custom: 4 } as const;

/** OrganizationUserStatusType, as the Public API numbers it. */
export const MemberState = {
  Revoked: -1,
  Invited: 0,
  Accepted: 1,
  Confirmed: 2,
  Staged: 3,
} as const;

export interface OrganizationMemberState {
  /** The organization-user id (what group member lists hold). */
  readonly id: string;
  readonly email: string;
  readonly externalId: string | null;
  /** `MemberState`. */
  readonly status: number;
  /** `MemberRole`. */
  readonly type: number;
}

export interface OrganizationGroupState {
  readonly id: string;
  readonly name: string;
  readonly externalId: string | null;
  /** Organization-user ids; undefined when they were not read. */
  readonly memberIds: readonly string[] | undefined;
}

export interface OrganizationState {
  readonly members: readonly OrganizationMemberState[];
  readonly groups: readonly OrganizationGroupState[];
}

/** Reads the organization; the Bitwarden API client implements it. */
export interface OrganizationReader {
  readOrganization(options: {
    /** Whose member ids to read: every group, none, or those the predicate picks. */
    groupMembers?:
      | 'all'
      | 'none'
      | ((group: { id: string; name: string; externalId: string | null }) => boolean);
    signal?: AbortSignal;
    onProgress?: (progress: { phase: string; done: number; total?: number }) => void;
  }): Promise<OrganizationState>;
}

const ROLE_NAMES: Readonly<Record<number, string>> = {
  0: 'Owner',
  1: 'Admin',
  2: 'User',
  3: 'Manager',
  4: 'Custom',
};
const STATUS_NAMES: Readonly<Record<number, string>> = {
  [-1]: 'revoked',
  0: 'invited',
  1: 'accepted',
  2: 'confirmed',
  3: 'staged',
};

export const roleName = (type: number): string => ROLE_NAMES[type] ?? `type ${type}`;
export const statusName = (status: number): string => STATUS_NAMES[status] ?? `status ${status}`;
