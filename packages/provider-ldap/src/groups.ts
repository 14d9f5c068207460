import type { DirectoryGroup } from '@bwdc/core';
import { EntryView, rangedValues, type AttributeValue, type AttributeValues } from './entry';
import type { ReadContext } from './read';
import { searchFilter } from './revision';
import type { UserIndex } from './users';
import { isDnLike, normalizeDn, objectId, unique } from './values';

/** A group as read, before its members are matched to users and groups. */
interface GroupEntry {
  readonly dn: string;
  readonly externalId: string;
  readonly name: string;
  readonly members: AttributeValues;
}

/** Group entries as read, before membership is resolved against the users. */
export interface GroupEntries {
  readonly entries: readonly GroupEntry[];
  /** A group filter was applied, so child groups may lie outside `entries`. */
  readonly filtered: boolean;
}

/** The groups under the group path (changed since `since`, when given), with all their members. */
export async function readGroupEntries(
  ctx: ReadContext,
  revisionAttr: string,
  since: Date | undefined,
): Promise<GroupEntries> {
  const s = ctx.settings;
  const memberAttr = s.memberAttribute;
  const rangeSize = ctx.memberRangeSize;
  const requested = s.ad && rangeSize ? `${memberAttr};range=0-${rangeSize - 1}` : memberAttr;
  const filter = searchFilter(s, s.groupObjectClass, s.groupFilter, revisionAttr, since);
  const attributes = unique([
    s.groupNameAttribute,
    'cn',
    requested,
    'objectGUID',
    ...ctx.revisions.attributes(revisionAttr),
  ]);

  const entries: GroupEntry[] = [];
  let done = 0;
  for await (const page of ctx.groupSession.search({ base: s.groupBase, filter, attributes })) {
    for (const view of page) {
      ctx.revisions.note(view);
      const name = view.text(s.groupNameAttribute) ?? view.text('cn');
      if (name === undefined) {
        ctx.warnings.push(
          `Group ${view.dn} has no ${s.groupNameAttribute} (nor cn) and was skipped.`,
        );
        continue;
      }
      entries.push({
        dn: view.dn,
        externalId: objectId(view),
        name,
        members: await allMembers(ctx, view, memberAttr),
      });
    }
    done += page.length;
    ctx.progress('groups', done);
  }
  return { entries, filtered: s.groupFilter !== undefined };
}

/**
 * Each group's members matched to users and groups. `partial`: the read did not see every group
 * (a filter, or an incremental read), so child groups are also matched against all group DNs.
 */
export async function resolveGroups(
  ctx: ReadContext,
  read: GroupEntries,
  users: UserIndex,
  partial: boolean,
): Promise<DirectoryGroup[]> {
  const s = ctx.settings;
  // Nested groups are matched against every group DN, also those a filtered or incremental read skipped.
  const groups = new GroupIndex();
  if (partial) {
    const all = searchFilter(s, s.groupObjectClass, undefined, undefined, undefined);
    for await (const page of ctx.groupSession.search({
      base: s.groupBase,
      filter: all,
      attributes: ['1.1'],
    })) {
      for (const view of page) groups.add(view.dn);
    }
  }
  for (const { dn } of read.entries) groups.add(dn);

  const resolve = new Resolver(users, groups);
  const result: DirectoryGroup[] = [];
  for (const entry of read.entries) {
    result.push(resolve.group(ctx, entry));
    if (result.length % 1000 === 0) ctx.progress('members', result.length);
  }
  ctx.progress('members', result.length);
  return result;
}

/** Group DNs as read, by number, found by normalized DN. */
class GroupIndex {
  readonly dns: string[] = [];
  private readonly byDn = new Map<string, number>();

  add(dn: string): void {
    const key = normalizeDn(dn);
    const known = this.byDn.get(key);
    // The last spelling read wins, as it always did.
    if (known !== undefined) this.dns[known] = dn;
    else {
      this.byDn.set(key, this.dns.length);
      this.dns.push(dn);
    }
  }

  byNormalizedDn(dn: string): number | undefined {
    return this.byDn.get(dn);
  }
}

/** Matches member values to users and groups, each member once per group. */
class Resolver {
  /** The group each user and group number was last added to, plus one. */
  private readonly userSeen: Int32Array;
  private readonly groupSeen: Int32Array;
  private round = 0;

  constructor(
    private readonly users: UserIndex,
    private readonly groups: GroupIndex,
  ) {
    this.userSeen = new Int32Array(users.ids.length);
    this.groupSeen = new Int32Array(groups.dns.length);
  }

  group(ctx: ReadContext, entry: GroupEntry): DirectoryGroup {
    const round = ++this.round;
    const userIds: string[] = [];
    const childRefs: string[] = [];
    const unknown: string[] = [];
    for (const raw of entry.members) {
      const member = memberName(raw);
      if (member === '') continue;
      if (isDnLike(member)) {
        const key = normalizeDn(member);
        const user = this.users.byNormalizedDn(key);
        if (user !== undefined) {
          if (this.userSeen[user] !== round) {
            this.userSeen[user] = round;
            userIds.push(this.users.ids[user]!);
          }
          continue;
        }
        const group = this.groups.byNormalizedDn(key);
        if (group === undefined) unknown.push(member);
        else if (this.groupSeen[group] !== round) {
          this.groupSeen[group] = round;
          childRefs.push(this.groups.dns[group]!);
        }
      } else {
        const user = this.users.byUid(member);
        if (user === undefined) unknown.push(member);
        else if (this.userSeen[user] !== round) {
          this.userSeen[user] = round;
          userIds.push(this.users.ids[user]!);
        }
      }
    }
    if (unknown.length) {
      const sample = unknown.slice(0, 3).join('; ');
      ctx.warnings.push(
        `Group ${entry.dn}: ${unknown.length} member(s) are neither users nor groups that were read (${sample}${unknown.length > 3 ? '; ...' : ''}); they were left out.`,
      );
    }
    return {
      externalId: entry.externalId,
      referenceId: entry.dn,
      name: entry.name,
      userMemberExternalIds: userIds,
      groupMemberReferenceIds: childRefs,
    };
  }
}

/** The member values of a group, following `member;range=` pages until the server says `*`. */
async function allMembers(
  ctx: ReadContext,
  view: EntryView,
  memberAttr: string,
): Promise<AttributeValues> {
  let page = rangedValues(view, memberAttr);
  if (!page) return view.all(memberAttr);
  const values: AttributeValue[] = [...page.values];
  const rangeSize = ctx.memberRangeSize;
  let ranges = 1;
  while (page.next !== undefined) {
    const from = page.next;
    const attr = `${memberAttr};range=${from}-${rangeSize ? from + rangeSize - 1 : '*'}`;
    const entry = await ctx.groupSession.readEntry(view.dn, [attr]);
    const next = entry ? rangedValues(entry, memberAttr) : undefined;
    if (!next) break;
    values.push(...next.values);
    page = next;
    ranges++;
  }
  ctx.logger.debug('Read a ranged member attribute', {
    group: view.dn,
    values: values.length,
    ranges,
  });
  return values;
}

/** A member value without surrounding spaces and without uniqueMember's optional unique id. */
function memberName(raw: AttributeValue): string {
  let member = (typeof raw === 'string' ? raw : raw.toString('utf8')).trim();
  // uniqueMember values may carry an optional unique id: `<dn>#'0101'B` (RFC 4517 nameAndOptionalUID).
  if (member.endsWith("'B")) member = member.replace(/#'[01]*'B$/, '');
  return member;
}
