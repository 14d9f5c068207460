import { randomUUID } from 'node:crypto';

/**
 * The emulator's tenant: users, groups and administrative units, with a change clock so delta
 * queries can answer "what changed since token T". Every mutation stamps the object (and, for
 * memberships, the membership edge) with the next clock value; deleted objects stay as tombstones.
 */

export type ObjectKind = 'user' | 'group' | 'administrativeUnit';

export interface UserSeed {
  readonly id?: string;
  readonly displayName?: string;
  /** `null` or absent: the user has no mailbox address (the UPN is then the sign-in name). */
  readonly mail?: string | null;
  readonly userPrincipalName: string;
  readonly accountEnabled?: boolean;
}

export interface GroupSeed {
  readonly id?: string;
  readonly displayName: string;
  /** Ids of member users and groups. */
  readonly members?: readonly string[];
}

export interface AdministrativeUnitSeed {
  readonly id?: string;
  readonly displayName: string;
  /** Ids of member users and groups. */
  readonly members?: readonly string[];
}

export interface StoredObject {
  readonly id: string;
  readonly kind: ObjectKind;
  props: Record<string, unknown>;
  /** Clock value of the last change to the object's properties or memberships. */
  version: number;
  /** Set when deleted: `changed` = soft-deleted (restorable), `deleted` = gone for good. */
  removed?: 'changed' | 'deleted';
  /** Member id -> edge; removed edges stay as tombstones for delta. */
  members?: Map<string, { version: number; removed: boolean }>;
}

export const ODATA_TYPE: Readonly<Record<ObjectKind, string>> = {
  user: '#microsoft.graph.user',
  group: '#microsoft.graph.group',
  administrativeUnit: '#microsoft.graph.administrativeUnit',
};

export class EntraDirectory {
  private clock = 0;
  private readonly objects = new Map<string, StoredObject>();

  /** The current change clock; a delta token remembers it. */
  get now(): number {
    return this.clock;
  }

  addUser(seed: UserSeed): string {
    const id = seed.id ?? randomUUID();
    this.put(id, 'user', {
      displayName: seed.displayName ?? seed.userPrincipalName.split('@')[0],
      mail: seed.mail ?? null,
      userPrincipalName: seed.userPrincipalName,
      accountEnabled: seed.accountEnabled ?? true,
    });
    return id;
  }

  updateUser(id: string, patch: Partial<Omit<UserSeed, 'id'>>): void {
    const user = this.live(id, 'user');
    Object.assign(user.props, patch);
    user.version = ++this.clock;
  }

  addGroup(seed: GroupSeed): string {
    const id = seed.id ?? randomUUID();
    this.put(id, 'group', { displayName: seed.displayName });
    for (const member of seed.members ?? []) this.addMember(id, member);
    return id;
  }

  renameGroup(id: string, displayName: string): void {
    const group = this.live(id, 'group');
    group.props.displayName = displayName;
    group.version = ++this.clock;
  }

  addAdministrativeUnit(seed: AdministrativeUnitSeed): string {
    const id = seed.id ?? randomUUID();
    this.put(id, 'administrativeUnit', { displayName: seed.displayName });
    for (const member of seed.members ?? []) this.addMember(id, member);
    return id;
  }

  /** Adds a user or group to a group or administrative unit. */
  addMember(containerId: string, memberId: string): void {
    const container = this.container(containerId);
    this.liveAny(memberId);
    const version = ++this.clock;
    container.members!.set(memberId, { version, removed: false });
    container.version = version;
  }

  removeMember(containerId: string, memberId: string): void {
    const container = this.container(containerId);
    const edge = container.members!.get(memberId);
    if (!edge || edge.removed) throw new Error(`${memberId} is not a member of ${containerId}`);
    const version = ++this.clock;
    container.members!.set(memberId, { version, removed: true });
    container.version = version;
  }

  /**
   * Deletes a user or group. `soft` (the default, like deleting in the portal) reports
   * `@removed: {reason: "changed"}` in delta; `soft: false` reports `deleted` (permanent).
   * Memberships of the object end with it.
   */
  deleteObject(id: string, options: { soft?: boolean } = {}): void {
    const object = this.liveAny(id);
    const version = ++this.clock;
    object.removed = options.soft === false ? 'deleted' : 'changed';
    object.version = version;
    for (const other of this.objects.values()) {
      const edge = other.members?.get(id);
      if (edge && !edge.removed) {
        other.members!.set(id, { version, removed: true });
        other.version = version;
      }
    }
  }

  get(id: string): StoredObject | undefined {
    const object = this.objects.get(id);
    return object && !object.removed ? object : undefined;
  }

  /** Live objects of a kind, in id order (a stable order makes skip tokens stable). */
  list(kind: ObjectKind): StoredObject[] {
    return [...this.objects.values()].filter((o) => o.kind === kind && !o.removed).sort(byId);
  }

  /** Objects of a kind changed in (since, upto], tombstones included, in id order. */
  changed(kind: ObjectKind, since: number, upto: number): StoredObject[] {
    return [...this.objects.values()]
      .filter((o) => o.kind === kind && o.version > since && o.version <= upto)
      .sort(byId);
  }

  /** Direct live members of a group or administrative unit. */
  members(containerId: string): StoredObject[] {
    const container = this.get(containerId);
    if (!container?.members) return [];
    return [...container.members.entries()]
      .filter(([, edge]) => !edge.removed)
      .map(([id]) => this.get(id))
      .filter((o): o is StoredObject => o !== undefined)
      .sort(byId);
  }

  /** Members of a group, nested groups followed, each object once (cycles are safe). */
  transitiveMembers(groupId: string): StoredObject[] {
    const seen = new Map<string, StoredObject>();
    const visit = (id: string): void => {
      for (const member of this.members(id)) {
        if (seen.has(member.id) || member.id === groupId) continue;
        seen.set(member.id, member);
        if (member.kind === 'group') visit(member.id);
      }
    };
    visit(groupId);
    return [...seen.values()].sort(byId);
  }

  private put(id: string, kind: ObjectKind, props: Record<string, unknown>): void {
    if (this.objects.has(id)) throw new Error(`object ${id} already exists`);
    const object: StoredObject = { id, kind, props, version: ++this.clock };
    if (kind !== 'user') object.members = new Map();
    this.objects.set(id, object);
  }

  private live(id: string, kind: ObjectKind): StoredObject {
    const object = this.get(id);
    if (!object || object.kind !== kind) throw new Error(`no ${kind} with id ${id}`);
    return object;
  }

  private liveAny(id: string): StoredObject {
    const object = this.get(id);
    if (!object) throw new Error(`no object with id ${id}`);
    return object;
  }

  private container(id: string): StoredObject {
    const object = this.get(id);
    if (!object?.members) throw new Error(`no group or administrative unit with id ${id}`);
    return object;
  }
}

function byId(a: StoredObject, b: StoredObject): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
