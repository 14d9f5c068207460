/**
 * The copy of the organization an import is replayed on (`diffOrganization`): its members and
 * groups indexed the way the server looks them up, and the edits the import steps make to it,
 * each recorded for the summary (who is removed and why, which Owners are kept).
 */
import { MemberStatus, MemberType, memberStatusName, memberTypeName } from '@bwdc/core';
import type { MemberNote, MemberRemoval } from './changes';
import type { OrganizationState } from './organization';
import type { RemovalReason } from './types';

/**
 * The members during the replay, one index each: the organization's first, then the invites.
 * Arrays by field rather than an object per member: at 100,000 members the replay is dominated
 * by allocation otherwise.
 */
export class Members {
  readonly id: string[] = [];
  readonly email: string[] = [];
  readonly externalId: (string | null)[] = [];
  readonly originalExternalId: (string | null)[] = [];
  readonly status: number[] = [];
  readonly type: number[] = [];
  readonly invited: boolean[] = [];
  readonly removed: boolean[] = [];
  /** Scratch stamps for set operations on member lists without building sets. */
  readonly mark: number[] = [];

  add(
    id: string,
    email: string,
    externalId: string | null,
    status: number,
    type: number,
    invited: boolean,
  ): number {
    const i = this.id.length;
    this.id.push(id);
    this.email.push(email);
    this.externalId.push(externalId);
    this.originalExternalId.push(invited ? null : externalId);
    this.status.push(status);
    this.type.push(type);
    this.invited.push(invited);
    this.removed.push(false);
    this.mark.push(0);
    return i;
  }

  get size(): number {
    return this.id.length;
  }
}

export interface GroupRow {
  readonly id: string;
  readonly externalId: string | null;
  name: string;
  readonly originalName: string;
  readonly created: boolean;
  /**
   * Member ids as read (undefined when not read); resolved only for groups the import touches.
   * Ids of no member cannot be named and are left out.
   */
  readonly originalIds: readonly string[] | undefined;
  /** Member indices after the replay, each once; undefined while unknown. */
  members: readonly number[] | undefined;
  touched: boolean;
}

export const isBlank = (s: string | null | undefined): boolean => !s || s.trim() === '';

export class OrganizationReplica {
  readonly m = new Members();
  /** Organization-user id -> index. */
  readonly byId = new Map<string, number>();
  readonly byExternalId = new Map<string, number>();
  /** Goes up with every change to `byExternalId`: what was looked up in it before is stale then. */
  byExternalIdVersion = 0;
  /** Members without an externalId by exact email; -1 marks two of them (the server fails). */
  readonly unlinked = new Map<string, number>();
  /** Existing groups by externalId, then the ones the import creates. */
  readonly groups = new Map<string, GroupRow>();
  /** An externalId two members share: the server fails any import then. */
  readonly duplicateExternalId: string | undefined;
  /** Owners are never removed and invites are never Owners, so this holds for the whole replay. */
  readonly confirmedOwner: boolean;
  /** Every externalId an import lists as active. */
  readonly mapped = new Set<string>();
  readonly removals: MemberRemoval[] = [];
  readonly keptOwners: MemberNote[] = [];
  readonly notInvited: MemberNote[] = [];
  /** Removed by the request being replayed, to take out of `byExternalId` after its step 2. */
  private removedNow: number[] = [];
  /** Lower-cased emails in the organization -> the first member with it; counts only when shared. */
  private readonly known = new Map<string, number>();
  private readonly sharedEmail = new Map<string, number>();
  private marks = 0;

  constructor(org: OrganizationState) {
    const m = this.m;
    let duplicateExternalId: string | undefined;
    for (const member of org.members) {
      const i = m.add(
        member.id,
        member.email,
        member.externalId,
        member.status,
        member.type,
        false,
      );
      this.byId.set(member.id, i);
      this.knowEmail(i);
      if (isBlank(member.externalId)) {
        this.unlinked.set(member.email, this.unlinked.has(member.email) ? -1 : i);
      } else if (this.byExternalId.has(member.externalId!)) {
        duplicateExternalId ??= member.externalId!;
      } else {
        this.byExternalId.set(member.externalId!, i);
      }
    }
    this.duplicateExternalId = duplicateExternalId;
    for (const g of org.groups) {
      // The server keys existing groups by externalId; of two with one externalId the later wins.
      if (isBlank(g.externalId)) continue;
      this.groups.set(g.externalId!, {
        id: g.id,
        externalId: g.externalId,
        name: g.name,
        originalName: g.name,
        created: false,
        originalIds: g.memberIds,
        members: undefined,
        touched: false,
      });
    }
    this.confirmedOwner = org.members.some(
      (x) => x.type === MemberType.Owner && x.status === MemberStatus.Confirmed,
    );
  }

  /** A fresh stamp for `Members.mark`. */
  nextMark(): number {
    return ++this.marks;
  }

  /** The first member with this lower-cased email, if any is left. */
  emailOwner(email: string): number | undefined {
    return this.known.get(email);
  }

  remove(i: number, code: RemovalReason, reason: string): void {
    const m = this.m;
    if (m.removed[i]) return;
    m.removed[i] = true;
    this.removedNow.push(i);
    this.forgetEmail(i);
    if (!m.invited[i]) {
      this.removals.push({
        email: m.email[i]!,
        externalId: m.externalId[i] ?? '',
        reason,
        code,
        role: memberTypeName(m.type[i]!),
        status: memberStatusName(m.status[i]!),
      });
    }
  }

  /** The members removed since the last call stop matching their externalId. */
  settleRemovals(): void {
    for (const i of this.removedNow) {
      const externalId = this.m.externalId[i];
      if (externalId !== null && this.byExternalId.get(externalId!) === i) {
        this.byExternalId.delete(externalId!);
        this.byExternalIdVersion++;
      }
    }
    this.removedNow = [];
  }

  keepOwner(i: number, externalId: string, why: string): void {
    if (this.keptOwners.some((k) => k.externalId === externalId)) return;
    this.keptOwners.push({
      email: this.m.email[i]!,
      externalId,
      reason: `${why}, but Bitwarden never removes an Owner through a sync`,
    });
  }

  link(i: number, externalId: string, email: string): void {
    this.m.externalId[i] = externalId;
    this.byExternalId.set(externalId, i);
    this.byExternalIdVersion++;
    this.unlinked.delete(email);
  }

  invite(email: string, externalId: string): void {
    const i = this.m.add(
      `new:${externalId}`,
      email,
      externalId,
      MemberStatus.Invited,
      MemberType.User,
      true,
    );
    this.knowEmail(i);
    this.byExternalId.set(externalId, i);
    this.byExternalIdVersion++;
  }

  private knowEmail(i: number): void {
    const key = this.m.email[i]!.toLowerCase();
    if (!this.known.has(key)) this.known.set(key, i);
    else this.sharedEmail.set(key, (this.sharedEmail.get(key) ?? 1) + 1);
  }

  private forgetEmail(i: number): void {
    const key = this.m.email[i]!.toLowerCase();
    const count = this.sharedEmail.get(key);
    if (count === undefined) this.known.delete(key);
    else if (count > 2) this.sharedEmail.set(key, count - 1);
    else this.sharedEmail.delete(key);
  }
}
