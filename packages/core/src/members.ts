/**
 * How the Bitwarden Public API numbers a member's role and status: the Bitwarden API client reads
 * them, and the sync engine reasons about them (Owners are never removed; members who have not
 * joined have no master password).
 */

/** OrganizationUserType (3, Manager, is retired). */
export const MemberType = { Owner: 0, Admin: 1, User: 2, Custom: 4 } as const;
export type MemberType = (typeof MemberType)[keyof typeof MemberType];

/** OrganizationUserStatusType. */
export const MemberStatus = {
  Revoked: -1,
  Invited: 0,
  Accepted: 1,
  Confirmed: 2,
  Staged: 3,
} as const;
export type MemberStatus = (typeof MemberStatus)[keyof typeof MemberStatus];

const TYPE_NAMES: Readonly<Record<number, string>> = {
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

/** "Owner", "Admin", "User", "Manager", "Custom", or "type N" for a number the server added later. */
export const memberTypeName = (type: number): string => TYPE_NAMES[type] ?? `type ${type}`;
/** "revoked", "invited", "accepted", "confirmed", "staged", or "status N". */
export const memberStatusName = (status: number): string =>
  STATUS_NAMES[status] ?? `status ${status}`;
