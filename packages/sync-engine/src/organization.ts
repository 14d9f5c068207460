/**
 * The Bitwarden organization as it is now, as far as an import can change it: members with their
 * externalId, role and status, and groups with their members. The Bitwarden API client's
 * `readOrganization` returns this shape, so the connector passes it on without an adapter.
 */

export interface OrganizationMemberState {
  /** The organization-user id (what group member lists hold). */
  readonly id: string;
  readonly email: string;
  readonly externalId: string | null;
  /** `MemberStatus` (`@bwdc/core`). */
  readonly status: number;
  /** `MemberType` (`@bwdc/core`). */
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
