import {
  throwIfCancelled,
  type DirectoryGroup,
  type DirectorySnapshot,
  type Logger,
} from '@bwdc/core';
import type { FetchRequest } from '@bwdc/directory-provider';
import { readGroupEntries, resolveGroups } from './groups';
import { nextCursor, parseCursor, reportedTime, RevisionCheck } from './revision';
import type { LdapSession } from './session';
import type { LdapSettings } from './settings';
import { readUserIndex, readUsers } from './users';
import { escapeFilterValue } from './values';

/** What the user and group reads of one fetch share. */
export interface ReadContext {
  readonly settings: LdapSettings;
  /** Carries the user searches. */
  readonly session: LdapSession;
  /** Carries the group searches: a connection of its own when groups are read. */
  readonly groupSession: LdapSession;
  readonly logger: Logger;
  /** Explicit `member;range=` size (see LdapProviderOptions), or undefined. */
  readonly memberRangeSize: number | undefined;
  readonly revisions: RevisionCheck;
  /** Groups are read, so the user read also indexes users for membership. */
  readonly indexUsers: boolean;
  readonly warnings: string[];
  /** Reports progress and stops the read when the signal fired. */
  progress(phase: 'users' | 'groups' | 'members', done: number): void;
}

/**
 * One fetch, from the sessions' bind to the snapshot: the user and group searches at once, the
 * user index membership needs, membership resolution and the next cursor.
 */
export async function readDirectory(
  settings: LdapSettings,
  sessions: { readonly users: LdapSession; readonly groups: LdapSession },
  request: FetchRequest,
  logger: Logger,
  memberRangeSize: number | undefined,
  now: () => Date,
): Promise<DirectorySnapshot> {
  const ctx: ReadContext = {
    settings,
    session: sessions.users,
    groupSession: sessions.groups,
    logger,
    memberRangeSize,
    revisions: new RevisionCheck(settings.revisionDateAttribute),
    indexUsers: request.groups,
    warnings: [],
    progress(phase, done) {
      request.onProgress?.({ phase, done });
      throwIfCancelled(request.signal, 'Directory read');
    },
  };
  const startedAt = await serverTime(sessions.users, now);
  let previous = request.mode === 'incremental' ? parseCursor(request.cursor, request) : undefined;
  if (request.mode === 'incremental' && !previous) {
    logger.info('No usable cursor for an incremental LDAP read; reading everything', {
      url: settings.url,
    });
  }
  if (previous?.unverified && !(await entriesCarry(ctx, previous.attr, request))) {
    ctx.warnings.push(
      `No entry has ${previous.attr} (sync.revisionDateAttribute), so the official connector's incremental syncs found no changes; this first sync reads everything and sends every member once.`,
    );
    previous = undefined;
  }
  const revisionAttr = previous?.attr ?? settings.revisionDateAttribute;
  const usersSince = previous?.users ? new Date(previous.users) : undefined;
  const groupsSince = previous?.groups ? new Date(previous.groups) : undefined;
  const incremental = previous !== undefined;

  // The user and group searches run at once, so the server works on groups while users are
  // parsed; membership is resolved after both.
  const usersRead = request.users
    ? readUsers(ctx, revisionAttr, incremental ? usersSince : undefined)
    : undefined;
  const groupsRead = request.groups
    ? readGroupEntries(ctx, revisionAttr, incremental ? groupsSince : undefined)
    : undefined;
  // An incremental read sees only changed users, and membership needs them all. On the users'
  // connection, after their search, as one connection holds one paged search.
  const needIndex = request.groups && (incremental || !usersRead);
  const indexRead = needIndex
    ? (usersRead ?? Promise.resolve()).then(() => readUserIndex(ctx))
    : undefined;
  // The first failure wins; fetch() then closes the connection under the other searches.
  const [usersResult, groupEntries, separateIndex] = await Promise.all([
    usersRead,
    groupsRead,
    indexRead,
  ]);
  let groups: DirectoryGroup[] | undefined;
  if (groupEntries) {
    const index = separateIndex ?? usersResult!.index!;
    groups = await resolveGroups(ctx, groupEntries, index, incremental || groupEntries.filtered);
  }

  const attr = incremental ? revisionAttr : ctx.revisions.effective(ctx.warnings);
  return {
    users: usersResult?.users,
    groups,
    complete: !incremental,
    cursor: nextCursor(attr, startedAt.toISOString(), request, previous),
    warnings: ctx.warnings,
  };
}

/**
 * Whether the entries read carry the revision attribute: one entry that has it is enough. A
 * filter on an attribute the server does not know finds nothing, and no error says so.
 */
async function entriesCarry(
  ctx: ReadContext,
  attr: string,
  read: { readonly users: boolean },
): Promise<boolean> {
  const s = ctx.settings;
  const [base, objectClass] = read.users
    ? [s.userBase, s.userObjectClass]
    : [s.groupBase, s.groupObjectClass];
  for await (const page of ctx.session.search({
    base,
    filter: `(&(objectClass=${escapeFilterValue(objectClass)})(${attr}=*))`,
    attributes: ['1.1'],
    paged: false,
    sizeLimit: 1,
  }))
    return page.length > 0;
  return false;
}

/**
 * The server's clock when it reports one (AD's root DSE currentTime), else ours. Changes are
 * read from this instant, one second early, so a change in the same second is never missed.
 */
async function serverTime(session: LdapSession, now: () => Date): Promise<Date> {
  const dse = await session.rootDse(['currentTime']);
  const reported = reportedTime(dse.text('currentTime'));
  return new Date((reported ?? now()).getTime() - 1000);
}
