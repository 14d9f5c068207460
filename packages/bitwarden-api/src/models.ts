import type { MemberStatus, MemberType } from '@bwdc/core';

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
