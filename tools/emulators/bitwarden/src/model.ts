/**
 * The emulated organization: the rows the official server keeps (OrganizationUser, Group,
 * GroupUser, Organization flags) reduced to what the import, members and groups endpoints read.
 */
import { randomUUID } from 'node:crypto';

/** Bitwarden's OrganizationUserStatusType. */
export const MemberStatus = {
  Revoked: -1,
  Invited: 0,
  Accepted: 1,
  Confirmed: 2,
  Staged: 3,
} as const;
export type MemberStatus = (typeof MemberStatus)[keyof typeof MemberStatus];

/** Bitwarden's OrganizationUserType (3 was Manager, now retired). */
export const MemberType = { Owner: 0, Admin: 1, User: 2, Custom: 4 } as const;
export type MemberType = (typeof MemberType)[keyof typeof MemberType];

/** Event types the import logs (S `src/Core/Dirt/Enums/EventType.cs`). */
export const EventType = {
  OrganizationUserInvited: 1500,
  OrganizationUserRemoved: 1503,
  OrganizationUserStaged: 1523,
  GroupCreated: 1400,
  GroupUpdated: 1401,
} as const;

export interface MemberRow {
  id: string;
  /** Null for an invited member without an account. */
  userId: string | null;
  email: string;
  externalId: string | null;
  status: MemberStatus;
  type: MemberType;
  hasMasterPassword: boolean;
  /** Vaultwarden restores a revoked member to the status it had. */
  statusBeforeRevoke?: MemberStatus;
}

export interface GroupRow {
  id: string;
  name: string;
  externalId: string | null;
  memberIds: string[];
}

export interface OrgState {
  id: string;
  name: string;
  /** The organization API key (client secret). */
  apiKey: string;
  enabled: boolean;
  useApi: boolean;
  useDirectory: boolean;
  useGroups: boolean;
  /** Null means unlimited. */
  seats: number | null;
  /** Null means seats may autoscale without a cap (cloud only). */
  maxAutoscaleSeats: number | null;
  /** Feature flag `pm-34423-staged-status`: new members without an invite become Staged. */
  stagedStatus: boolean;
  /** Vaultwarden's ORG_GROUPS_ENABLED. */
  vaultwardenGroups: boolean;
  members: MemberRow[];
  groups: GroupRow[];
}

/** What tests and the demo see of a member. */
export interface EmulatedMember {
  readonly id: string;
  readonly userId: string | null;
  readonly email: string;
  readonly externalId: string | null;
  readonly status: MemberStatus;
  readonly type: MemberType;
  readonly hasMasterPassword: boolean;
  /** Names of the groups the member belongs to. */
  readonly groups: readonly string[];
}

export interface EmulatedGroup {
  readonly id: string;
  readonly name: string;
  readonly externalId: string | null;
  readonly memberIds: readonly string[];
  readonly memberEmails: readonly string[];
}

export interface EmulatorEvent {
  readonly type: number;
  readonly memberId?: string;
  readonly groupId?: string;
  /** Every import event is logged as system user PublicApi (3). */
  readonly systemUser: 3;
}

/** A member that exists before the first sync: owners, hand-invited users, accounts with or without a password. */
export interface SeedMember {
  email: string;
  externalId?: string | null;
  /** Default Confirmed. */
  status?: MemberStatus;
  /** Default User. */
  type?: MemberType;
  /** Default: true unless the member is Invited or Staged (they have no account yet). */
  hasMasterPassword?: boolean;
  /** Group names; groups are created (without externalId) when missing. */
  groups?: string[];
}

export interface SeedGroup {
  name: string;
  externalId?: string | null;
  /** Emails of existing members. */
  members?: string[];
}

export function memberRowFromSeed(seed: SeedMember): MemberRow {
  const status = seed.status ?? MemberStatus.Confirmed;
  const hasAccount = status !== MemberStatus.Invited && status !== MemberStatus.Staged;
  return {
    id: randomUUID(),
    userId: hasAccount ? randomUUID() : null,
    email: seed.email,
    externalId: seed.externalId ?? null,
    status,
    type: seed.type ?? MemberType.User,
    hasMasterPassword: seed.hasMasterPassword ?? hasAccount,
  };
}

/** Snapshots of the members, each with the names of its groups (one pass over the groups). */
export function toEmulatedMembers(
  org: OrgState,
  rows: readonly MemberRow[] = org.members,
): EmulatedMember[] {
  const groupNames = new Map<string, string[]>();
  for (const g of org.groups) {
    for (const id of g.memberIds) {
      const names = groupNames.get(id);
      if (names) names.push(g.name);
      else groupNames.set(id, [g.name]);
    }
  }
  return rows.map((m) => ({
    id: m.id,
    userId: m.userId,
    email: m.email,
    externalId: m.externalId,
    status: m.status,
    type: m.type,
    hasMasterPassword: m.hasMasterPassword,
    groups: groupNames.get(m.id) ?? [],
  }));
}

/** Snapshots of the groups with their (still existing) members' ids and emails. */
export function toEmulatedGroups(org: OrgState): EmulatedGroup[] {
  const byId = new Map(org.members.map((m) => [m.id, m]));
  return org.groups.map((g) => {
    const present = g.memberIds.filter((id) => byId.has(id));
    return {
      id: g.id,
      name: g.name,
      externalId: g.externalId,
      memberIds: present,
      memberEmails: present.map((id) => byId.get(id)!.email),
    };
  });
}

/** An HTTP response decided deep inside a handler (the server's exception filters, in effect). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** The official server's public-API error body (S `Models/Public/Response/ErrorResponseModel.cs`). */
export function officialError(
  status: number,
  message: string,
  errors: Record<string, string[]> | null = null,
): HttpError {
  return new HttpError(status, { object: 'error', message, errors });
}

export const officialBadRequest = (message: string): HttpError => officialError(400, message);
export const officialModelState = (errors: Record<string, string[]>): HttpError =>
  officialError(400, "The request's model state is invalid.", errors);
export const officialServerError = (): HttpError =>
  officialError(500, 'An unhandled server error has occurred.');
export const officialNotFound = (): HttpError => officialError(404, 'Resource not found.');

/** Vaultwarden's error body (VW `src/error.rs`). */
export function vaultwardenError(message: string, status = 400): HttpError {
  return new HttpError(status, {
    message,
    validationErrors: { '': [message] },
    errorModel: { message, object: 'error' },
    error: '',
    error_description: '',
    object: 'error',
  });
}
