import { randomBytes } from 'node:crypto';

/** A user as the emulator stores it; the API shape is built from this on each read. */
export interface EmulatedUser {
  readonly id: string;
  primaryEmail: string;
  givenName: string;
  familyName: string;
  suspended: boolean;
  archived: boolean;
  isAdmin: boolean;
  orgUnitPath: string;
  aliases: string[];
  deleted: boolean;
  readonly creationTime: string;
  deletionTime: string | undefined;
}

export interface EmulatedGroup {
  readonly id: string;
  email: string;
  name: string;
  description: string;
  aliases: string[];
}

export type MemberRole = 'OWNER' | 'MANAGER' | 'MEMBER';

/** A stored membership: it points at a user or group by id, or at the whole customer. */
export interface EmulatedMembership {
  readonly type: 'USER' | 'GROUP' | 'CUSTOMER';
  /** User id, group id or customer id. */
  readonly targetId: string;
  role: MemberRole;
}

export interface NewUser {
  primaryEmail: string;
  id?: string;
  givenName?: string;
  familyName?: string;
  suspended?: boolean;
  archived?: boolean;
  isAdmin?: boolean;
  orgUnitPath?: string;
  aliases?: string[];
}

export interface NewGroup {
  email: string;
  name?: string;
  id?: string;
  description?: string;
  aliases?: string[];
}

/** What to add to a group: a user or group by id/email, or every user of the account. */
export type NewMember =
  | { user: string; role?: MemberRole }
  | { group: string; role?: MemberRole }
  | { customer: true };

let idCounter = 0;
/** Google ids are long decimal strings (users) or short base-36-ish strings (groups). */
function newUserId(): string {
  idCounter += 1;
  return `1${String(Date.now()).slice(-8)}${String(idCounter).padStart(9, '0')}`;
}

function newGroupId(): string {
  return `0${randomBytes(7).toString('hex')}`;
}

/**
 * The account's users, groups and memberships, with the mutators tests use to shape it.
 * Deleting a user keeps it (flagged) so `showDeleted=true` can return it, and drops its memberships
 * as Google does.
 */
export class EmulatedDirectory {
  readonly domains: string[];
  readonly customerId: string;
  private readonly usersById = new Map<string, EmulatedUser>();
  private readonly groupsById = new Map<string, EmulatedGroup>();
  private readonly memberships = new Map<string, EmulatedMembership[]>();
  /** Lower-cased primary emails and aliases of live users, and of groups: lookups stay O(1) at 10k+ entries. */
  private readonly userByEmail = new Map<string, EmulatedUser>();
  private readonly groupByEmail = new Map<string, EmulatedGroup>();

  constructor(primaryDomain: string, secondaryDomains: readonly string[], customerId: string) {
    this.domains = [primaryDomain.toLowerCase(), ...secondaryDomains.map((d) => d.toLowerCase())];
    this.customerId = customerId;
  }

  addDomain(domain: string): void {
    if (!this.domains.includes(domain.toLowerCase())) this.domains.push(domain.toLowerCase());
  }

  addUser(input: NewUser): EmulatedUser {
    const email = input.primaryEmail.trim();
    if (this.findUser(email)) throw new Error(`Emulator: a user ${email} already exists`);
    const local = email.split('@')[0] ?? email;
    const user: EmulatedUser = {
      id: input.id ?? newUserId(),
      primaryEmail: email,
      givenName: input.givenName ?? local,
      familyName: input.familyName ?? 'User',
      suspended: input.suspended ?? false,
      archived: input.archived ?? false,
      isAdmin: input.isAdmin ?? false,
      orgUnitPath: input.orgUnitPath ?? '/',
      aliases: input.aliases ?? [],
      deleted: false,
      creationTime: new Date().toISOString(),
      deletionTime: undefined,
    };
    this.usersById.set(user.id, user);
    this.indexUser(user);
    return user;
  }

  private indexUser(user: EmulatedUser): void {
    for (const email of [user.primaryEmail, ...user.aliases])
      this.userByEmail.set(email.toLowerCase(), user);
  }

  private unindexUser(user: EmulatedUser): void {
    for (const email of [user.primaryEmail, ...user.aliases]) {
      if (this.userByEmail.get(email.toLowerCase()) === user)
        this.userByEmail.delete(email.toLowerCase());
    }
  }

  updateUser(key: string, patch: Partial<Omit<NewUser, 'id'>>): EmulatedUser {
    const user = this.requireUser(key);
    this.unindexUser(user);
    Object.assign(
      user,
      Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    );
    this.indexUser(user);
    return user;
  }

  /** Deletes a user the way Google does: it leaves every group and shows up only with showDeleted. */
  deleteUser(key: string): EmulatedUser {
    const user = this.requireUser(key);
    this.unindexUser(user);
    user.deleted = true;
    user.deletionTime = new Date().toISOString();
    for (const [groupId, list] of this.memberships) {
      this.memberships.set(
        groupId,
        list.filter((m) => !(m.type === 'USER' && m.targetId === user.id)),
      );
    }
    return user;
  }

  addGroup(input: NewGroup): EmulatedGroup {
    if (this.findGroup(input.email))
      throw new Error(`Emulator: a group ${input.email} already exists`);
    const group: EmulatedGroup = {
      id: input.id ?? newGroupId(),
      email: input.email,
      name: input.name ?? input.email.split('@')[0] ?? input.email,
      description: input.description ?? '',
      aliases: input.aliases ?? [],
    };
    this.groupsById.set(group.id, group);
    for (const email of [group.email, ...group.aliases])
      this.groupByEmail.set(email.toLowerCase(), group);
    this.memberships.set(group.id, []);
    return group;
  }

  deleteGroup(key: string): void {
    const group = this.requireGroup(key);
    this.groupsById.delete(group.id);
    for (const email of [group.email, ...group.aliases])
      this.groupByEmail.delete(email.toLowerCase());
    this.memberships.delete(group.id);
    for (const [groupId, list] of this.memberships) {
      this.memberships.set(
        groupId,
        list.filter((m) => !(m.type === 'GROUP' && m.targetId === group.id)),
      );
    }
  }

  addMember(groupKey: string, member: NewMember): EmulatedMembership {
    const group = this.requireGroup(groupKey);
    const list = this.memberships.get(group.id)!;
    let entry: EmulatedMembership;
    if ('customer' in member) {
      entry = { type: 'CUSTOMER', targetId: this.customerId, role: 'MEMBER' };
    } else if ('user' in member) {
      const user = this.requireUser(member.user);
      if (user.deleted) throw new Error(`Emulator: ${member.user} is deleted`);
      entry = { type: 'USER', targetId: user.id, role: member.role ?? 'MEMBER' };
    } else {
      const child = this.requireGroup(member.group);
      entry = { type: 'GROUP', targetId: child.id, role: member.role ?? 'MEMBER' };
    }
    if (list.some((m) => m.type === entry.type && m.targetId === entry.targetId)) {
      throw new Error(`Emulator: already a member of ${groupKey}`);
    }
    list.push(entry);
    return entry;
  }

  removeMember(groupKey: string, memberKey: string): void {
    const group = this.requireGroup(groupKey);
    const target = this.findUser(memberKey)?.id ?? this.findGroup(memberKey)?.id ?? memberKey;
    this.memberships.set(
      group.id,
      this.memberships.get(group.id)!.filter((m) => m.targetId !== target),
    );
  }

  /** Every user, deleted ones included, in creation order. */
  allUsers(): EmulatedUser[] {
    return [...this.usersById.values()];
  }

  allGroups(): EmulatedGroup[] {
    return [...this.groupsById.values()];
  }

  membersOf(groupId: string): readonly EmulatedMembership[] {
    return this.memberships.get(groupId) ?? [];
  }

  /** A live (not deleted) user by id, primary email or alias. */
  findUser(key: string): EmulatedUser | undefined {
    const byId = this.usersById.get(key);
    if (byId) return byId.deleted ? undefined : byId;
    return this.userByEmail.get(key.toLowerCase());
  }

  findGroup(key: string): EmulatedGroup | undefined {
    const byId = this.groupsById.get(key);
    if (byId) return byId;
    return this.groupByEmail.get(key.toLowerCase());
  }

  /** Removes every user, group and membership; domains and customer stay. */
  clear(): void {
    this.usersById.clear();
    this.groupsById.clear();
    this.memberships.clear();
    this.userByEmail.clear();
    this.groupByEmail.clear();
  }

  private requireUser(key: string): EmulatedUser {
    const user = this.findUser(key);
    if (!user) throw new Error(`Emulator: no user ${key}`);
    return user;
  }

  private requireGroup(key: string): EmulatedGroup {
    const group = this.findGroup(key);
    if (!group) throw new Error(`Emulator: no group ${key}`);
    return group;
  }
}

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}
