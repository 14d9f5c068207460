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
  const groupRefs = new Map<string, string>();
  if (partial) {
    const all = searchFilter(s, s.groupObjectClass, undefined, undefined, undefined);
    for await (const page of ctx.groupSession.search({
      base: s.groupBase,
      filter: all,
      attributes: ['1.1'],
    })) {
      for (const view of page) groupRefs.set(normalizeDn(view.dn), view.dn);
    }
  }
  for (const { dn } of read.entries) groupRefs.set(normalizeDn(dn), dn);

  const groups: DirectoryGroup[] = [];
  for (const entry of read.entries) {
    groups.push(toGroup(ctx, entry, users, groupRefs));
    if (groups.length % 1000 === 0) ctx.progress('members', groups.length);
  }
  ctx.progress('members', groups.length);
  return groups;
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

function toGroup(
  ctx: ReadContext,
  entry: GroupEntry,
  users: UserIndex,
  groupRefs: Map<string, string>,
): DirectoryGroup {
  const userIds = new Set<string>();
  const childRefs = new Set<string>();
  const unknown: string[] = [];
  for (const raw of entry.members) {
    const member = memberName(raw);
    if (member === '') continue;
    if (isDnLike(member)) {
      const key = normalizeDn(member);
      const userId = users.byDn.get(key);
      if (userId !== undefined) {
        userIds.add(userId);
        continue;
      }
      const ref = groupRefs.get(key);
      if (ref !== undefined) childRefs.add(ref);
      else unknown.push(member);
    } else {
      const userId = users.byUid(member);
      if (userId !== undefined) userIds.add(userId);
      else unknown.push(member);
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
    userMemberExternalIds: [...userIds],
    groupMemberReferenceIds: [...childRefs],
  };
}
