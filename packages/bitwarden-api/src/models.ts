/** Bitwarden's OrganizationUserStatusType, as the Public API returns it. */
export const MemberStatus = {
  Revoked: -1,
  Invited: 0,
  Accepted: 1,
  Confirmed: 2,
  Staged: 3,
} as const;
export type MemberStatus = (typeof MemberStatus)[keyof typeof MemberStatus];

/** Bitwarden's OrganizationUserType (3, Manager, is retired). */
export const MemberType = { Owner: 0, Admin: 1, User: 2, Custom: 4 } as const;
export type MemberType = (typeof MemberType)[keyof typeof MemberType];

/** One entry of `GET /public/members`. */
export interface OrganizationMember {
  id: string;
  /** Null while the member has no account (invited, staged). */
  userId: string | null;
  email: string;
  name: string | null;
  externalId: string | null;
  status: MemberStatus;
  type: MemberType;
  twoFactorEnabled: boolean;
  resetPasswordEnrolled: boolean;
  ssoExternalId: string | null;
}

/** One entry of `GET /public/groups`. */
export interface OrganizationGroup {
  id: string;
  name: string;
  externalId: string | null;
}
