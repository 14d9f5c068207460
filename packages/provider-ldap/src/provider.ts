import {
  DirectoryType,
  throwIfCancelled,
  type DirectoryGroup,
  type DirectorySnapshot,
  type DirectoryUser,
  type LdapConfig,
  type Logger,
  type SyncConfig,
} from '@bwdc/core';
import type { DirectoryProvider, FetchRequest } from '@bwdc/directory-provider';
import type { Entry } from 'ldapts';
import { readFile as fsReadFile } from 'node:fs/promises';
import { LdapError, toLdapError } from './errors';
import { LDAP_FILTER_SYNTAX } from './filter';
import { LdapSession, showDeletedControl, type ReadFile } from './session';
import { resolveSettings, type LdapSettings } from './settings';
import {
  EntryView,
  escapeFilterValue,
  guidToString,
  isDnLike,
  normalizeDn,
  parseGeneralizedTime,
  rangedValues,
  toGeneralizedTime,
  type AttributeValues,
} from './values';

/** Optional collaborators and tuning that are not admin settings. */
export interface LdapProviderOptions {
  /** Reads TLS files (CA, client certificate and key); defaults to fs.readFile. */
  readonly readFile?: ReadFile;
  /**
   * Request group members in explicit ranges of this size (`member;range=0-<n-1>`), as AD
   * answers large groups anyway. Unset: plain reads, walking ranges only when the server does.
   */
  readonly memberRangeSize?: number;
  /** The clock (tests). */
  readonly now?: () => Date;
}

const UF_ACCOUNTDISABLE = 2;
const CURSOR_VERSION = 1;

/** What the provider keeps in DirectorySnapshot.cursor: per-kind server times of the last read. */
interface Cursor {
  readonly v: typeof CURSOR_VERSION;
  /** The revision attribute the times refer to. */
  readonly attr: string;
  readonly users?: string;
  readonly groups?: string;
}

/** Group entries as read, before membership is resolved against the users. */
interface GroupEntries {
  readonly entries: { readonly view: EntryView; readonly members: AttributeValues }[];
  /** A group filter was applied, so child groups may lie outside `entries`. */
  readonly filtered: boolean;
}

/** A user entry reduced to what membership resolution needs. */
interface UserIndex {
  readonly byDn: Map<string, string>;
  readonly byUid: Map<string, string>;
}

/**
 * LDAP and Active Directory, through ldapts. Reads users and groups with paged searches, walks
 * AD ranged attributes so large groups are complete, classifies member / uniqueMember /
 * memberUid values, reads AD tombstones as deleted users, and reads incrementally by the
 * revision attribute (whenChanged on AD, modifyTimestamp elsewhere).
 */
export class LdapDirectoryProvider implements DirectoryProvider {
  readonly type = DirectoryType.Ldap;
  readonly filterSyntax = LDAP_FILTER_SYNTAX;
  private readonly readFile: ReadFile;
  private readonly now: () => Date;

  constructor(
    private readonly config: LdapConfig,
    private readonly sync: SyncConfig,
    private readonly logger: Logger,
    private readonly options: LdapProviderOptions = {},
  ) {
    this.readFile = options.readFile ?? ((path) => fsReadFile(path));
    this.now = options.now ?? (() => new Date());
  }

  async verify(signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal, 'Directory verification');
    const settings = resolveSettings(this.config, this.sync);
    const session = await LdapSession.open(settings, this.readFile, this.logger, signal);
    try {
      const bases = new Set<string>();
      if (this.sync.users || !this.sync.groups) bases.add(settings.userBase);
      if (this.sync.groups) bases.add(settings.groupBase);
      for (const base of bases) {
        if (!(await session.readEntry(base, ['1.1']))) {
          throw toLdapError(
            { code: 32, message: '' },
            { url: settings.url, operation: 'search', base },
          );
        }
      }
    } finally {
      await session.close();
    }
  }

  async fetch(request: FetchRequest): Promise<DirectorySnapshot> {
    throwIfCancelled(request.signal, 'Directory read');
    const settings = resolveSettings(this.config, this.sync);
    const sessions: LdapSession[] = [];
    try {
      sessions.push(await LdapSession.open(settings, this.readFile, this.logger, request.signal));
      // Servers keep one paged search per connection (slapd drops the other's cookie), so the
      // group search, which runs alongside the user (or user index) search, gets its own.
      if (request.groups)
        sessions.push(await LdapSession.open(settings, this.readFile, this.logger, request.signal));
      return await new Read(
        settings,
        sessions[0]!,
        sessions[1] ?? sessions[0]!,
        request,
        this.logger,
        this.options,
        this.now,
      ).run();
    } finally {
      await Promise.all(sessions.map((session) => session.close()));
    }
  }
}

/** One fetch: the state of a single read, from bind to snapshot. */
class Read {
  private readonly warnings: string[] = [];
  private sawConfiguredRevision = false;
  private sawModifyTimestamp = false;
  /** Whether revision values were requested (see revisionAttributes) and are worth looking at. */
  private checkRevision = false;

  constructor(
    private readonly s: LdapSettings,
    /** Carries the user searches. */
    private readonly session: LdapSession,
    /** Carries the group searches: a connection of its own when groups are read. */
    private readonly groupSession: LdapSession,
    private readonly request: FetchRequest,
    private readonly logger: Logger,
    private readonly options: LdapProviderOptions,
    private readonly now: () => Date,
  ) {}

  async run(): Promise<DirectorySnapshot> {
    const startedAt = await this.serverTime();
    const previous =
      this.request.mode === 'incremental' ? this.parseCursor(this.request.cursor) : undefined;
    if (this.request.mode === 'incremental' && !previous) {
      this.logger.info('No usable cursor for an incremental LDAP read; reading everything', {
        url: this.s.url,
      });
    }
    const revisionAttr = previous?.attr ?? this.s.revisionDateAttribute;
    const usersSince = previous?.users ? new Date(previous.users) : undefined;
    const groupsSince = previous?.groups ? new Date(previous.groups) : undefined;
    const incremental = previous !== undefined;

    // The user and group searches run at once, so the server works on groups while users are
    // parsed; membership is resolved after both.
    const usersRead = this.request.users
      ? this.readUsers(revisionAttr, incremental ? usersSince : undefined)
      : undefined;
    const groupsRead = this.request.groups
      ? this.readGroupEntries(revisionAttr, incremental ? groupsSince : undefined)
      : undefined;
    // An incremental read sees only changed users, and membership needs them all. On the users'
    // connection, after their search, as one connection holds one paged search.
    const needIndex = this.request.groups && (incremental || !usersRead);
    const indexRead = needIndex
      ? (usersRead ?? Promise.resolve()).then(() => this.readUserIndex())
      : undefined;
    // The first failure wins; fetch() then closes the connection under the other searches.
    const [usersResult, groupEntries, separateIndex] = await Promise.all([
      usersRead,
      groupsRead,
      indexRead,
    ]);
    const users = usersResult?.users;
    let groups: DirectoryGroup[] | undefined;
    if (groupEntries) {
      const index = separateIndex ?? usersResult!.index;
      groups = await this.resolveGroups(groupEntries, index, incremental || groupEntries.filtered);
    }

    const attr = incremental ? revisionAttr : this.effectiveRevisionAttribute();
    const stamp = startedAt.toISOString();
    const cursor: Cursor = {
      v: CURSOR_VERSION,
      attr,
      users: this.request.users ? stamp : previous?.users,
      groups: this.request.groups ? stamp : previous?.groups,
    };
    return {
      users,
      groups,
      complete: !incremental,
      cursor: JSON.stringify(cursor),
      warnings: this.warnings,
    };
  }

  // ---- users ----

  private userAttributes(revisionAttr: string): string[] {
    const s = this.s;
    return unique([
      s.userEmailAttribute,
      s.emailPrefixAttribute,
      s.userIdAttribute,
      'uid',
      'objectGUID',
      'userAccountControl',
      ...this.revisionAttributes(revisionAttr),
    ]);
  }

  /**
   * Revision values are read only to notice a configured attribute the server lacks (whenChanged
   * on OpenLDAP). modifyTimestamp always exists, so with it nothing extra is transferred.
   */
  private revisionAttributes(revisionAttr: string): string[] {
    const names = [revisionAttr, this.s.revisionDateAttribute];
    if (names.every((n) => n.toLowerCase() === 'modifytimestamp')) return [];
    this.checkRevision = true;
    return [...names, 'modifyTimestamp'];
  }

  private async readUsers(
    revisionAttr: string,
    since: Date | undefined,
  ): Promise<{ users: DirectoryUser[]; index: UserIndex }> {
    const s = this.s;
    const index: UserIndex = { byDn: new Map(), byUid: new Map() };
    const users: DirectoryUser[] = [];
    const filter = this.filterFor(s.userObjectClass, s.userFilter, revisionAttr, since);
    let done = 0;
    for await (const page of this.session.search({
      base: s.userBase,
      filter,
      attributes: this.userAttributes(revisionAttr),
    })) {
      for (const entry of page) {
        const view = new EntryView(entry);
        this.noteRevision(view);
        const user = this.toUser(view, false);
        this.indexUser(index, view, user.externalId);
        if (user.email === undefined) {
          this.warnings.push(
            `User ${view.dn} has no ${s.userEmailAttribute}${s.emailPrefixAttribute ? ` (nor ${s.emailPrefixAttribute})` : ''} and was skipped.`,
          );
          continue;
        }
        users.push(user);
      }
      done += page.length;
      this.progress('users', done);
    }
    if (s.ad) users.push(...(await this.readDeletedUsers(revisionAttr, since)));
    return { users, index };
  }

  /** All users, with only the attributes membership needs. */
  private async readUserIndex(): Promise<UserIndex> {
    const s = this.s;
    const index: UserIndex = { byDn: new Map(), byUid: new Map() };
    const filter = this.filterFor(s.userObjectClass, s.userFilter, undefined, undefined);
    const attributes = unique(['uid', 'objectGUID', s.userIdAttribute]);
    let done = 0;
    for await (const page of this.session.search({ base: s.userBase, filter, attributes })) {
      for (const entry of page) {
        const view = new EntryView(entry);
        this.indexUser(index, view, this.userExternalId(view));
      }
      done += page.length;
      this.progress('users', done);
    }
    return index;
  }

  private indexUser(index: UserIndex, view: EntryView, externalId: string): void {
    index.byDn.set(normalizeDn(view.dn), externalId);
    for (const uid of view.all('uid')) index.byUid.set(String(uid).toLowerCase(), externalId);
  }

  /** AD tombstones in CN=Deleted Objects; a failure costs only a warning, as upstream. */
  private async readDeletedUsers(
    revisionAttr: string,
    since: Date | undefined,
  ): Promise<DirectoryUser[]> {
    const s = this.s;
    if (!s.rootDn) return [];
    const base = `CN=Deleted Objects,${s.rootDn}`;
    const filter = `(&(objectClass=${escapeFilterValue(s.userObjectClass)})(isDeleted=TRUE)${this.revisionClause(revisionAttr, since)})`;
    const users: DirectoryUser[] = [];
    try {
      for await (const page of this.session.search({
        base,
        filter,
        attributes: [...this.userAttributes(revisionAttr), 'lastKnownParent'],
        controls: [showDeletedControl()],
      })) {
        for (const entry of page) {
          const view = new EntryView(entry);
          // Tombstones all live in one container; keep those deleted from within the user path.
          const parent = view.text('lastKnownParent');
          if (parent !== undefined && !isAtOrBelow(parent, s.userBase)) continue;
          users.push(this.toUser(view, true));
        }
      }
    } catch (error) {
      if (!(error instanceof LdapError)) throw error;
      this.warnings.push(`Deleted users could not be read from ${base}: ${error.message}`);
      this.logger.warn('Cannot read AD deleted objects', { base, error: error.message });
    }
    return users;
  }

  private toUser(view: EntryView, deleted: boolean): DirectoryUser {
    const s = this.s;
    let email = view.text(s.userEmailAttribute);
    if (email === undefined && s.emailPrefixAttribute && s.emailSuffix) {
      const prefix = view.text(s.emailPrefixAttribute);
      if (prefix !== undefined) email = prefix + s.emailSuffix;
    }
    email = email?.trim().toLowerCase();
    const uac = Number.parseInt(view.text('userAccountControl') ?? '', 10);
    return {
      externalId: this.userExternalId(view),
      referenceId: view.dn,
      email: email === '' ? undefined : email,
      disabled: Number.isFinite(uac) && (uac & UF_ACCOUNTDISABLE) === UF_ACCOUNTDISABLE,
      deleted,
    };
  }

  /** userIdAttribute if configured, else objectGUID (AD), else the DN: upstream's ids unless opted out. */
  private userExternalId(view: EntryView): string {
    const configured = this.s.userIdAttribute;
    if (configured) {
      const value = view.first(configured);
      if (value !== undefined) return idString(value);
      this.warnings.push(
        `User ${view.dn} has no ${configured} (ldap.userIdAttribute); its DN is used as its id.`,
      );
      return view.dn;
    }
    return objectId(view);
  }

  // ---- groups ----

  private async readGroupEntries(
    revisionAttr: string,
    since: Date | undefined,
  ): Promise<GroupEntries> {
    const s = this.s;
    const memberAttr = s.memberAttribute;
    const rangeSize = this.options.memberRangeSize;
    const requested = s.ad && rangeSize ? `${memberAttr};range=0-${rangeSize - 1}` : memberAttr;
    const filter = this.filterFor(s.groupObjectClass, s.groupFilter, revisionAttr, since);
    const attributes = unique([
      s.groupNameAttribute,
      'cn',
      requested,
      'objectGUID',
      ...this.revisionAttributes(revisionAttr),
    ]);

    const entries: GroupEntries['entries'] = [];
    let done = 0;
    for await (const page of this.groupSession.search({ base: s.groupBase, filter, attributes })) {
      for (const entry of page) {
        const view = new EntryView(entry);
        this.noteRevision(view);
        const name = view.text(s.groupNameAttribute) ?? view.text('cn');
        if (name === undefined) {
          this.warnings.push(
            `Group ${view.dn} has no ${s.groupNameAttribute} (nor cn) and was skipped.`,
          );
          continue;
        }
        entries.push({ view, members: await this.allMembers(view, memberAttr) });
      }
      done += page.length;
      this.progress('groups', done);
    }
    return { entries, filtered: s.groupFilter !== undefined };
  }

  private async resolveGroups(
    read: GroupEntries,
    users: UserIndex,
    partial: boolean,
  ): Promise<DirectoryGroup[]> {
    const s = this.s;
    // Nested groups are matched against every group DN, also those a filtered or incremental read skipped.
    const groupRefs = new Map<string, string>();
    if (partial) {
      const all = this.filterFor(s.groupObjectClass, undefined, undefined, undefined);
      for await (const page of this.groupSession.search({
        base: s.groupBase,
        filter: all,
        attributes: ['1.1'],
      })) {
        for (const entry of page) groupRefs.set(normalizeDn(entry.dn), entry.dn);
      }
    }
    for (const { view } of read.entries) groupRefs.set(normalizeDn(view.dn), view.dn);

    const groups: DirectoryGroup[] = [];
    for (const { view, members } of read.entries) {
      groups.push(this.toGroup(view, members, users, groupRefs));
      if (groups.length % 1000 === 0) this.progress('members', groups.length);
    }
    this.progress('members', groups.length);
    return groups;
  }

  /** The member values of a group, following `member;range=` pages until the server says `*`. */
  private async allMembers(view: EntryView, memberAttr: string): Promise<AttributeValues> {
    let page = rangedValues(view, memberAttr);
    if (!page) return view.all(memberAttr);
    const values: (string | Buffer)[] = [...page.values];
    const rangeSize = this.options.memberRangeSize;
    let ranges = 1;
    while (page.next !== undefined) {
      const from = page.next;
      const attr = `${memberAttr};range=${from}-${rangeSize ? from + rangeSize - 1 : '*'}`;
      const entry = await this.groupSession.readEntry(view.dn, [attr]);
      const next = entry ? rangedValues(new EntryView(entry), memberAttr) : undefined;
      if (!next) break;
      values.push(...next.values);
      page = next;
      ranges++;
    }
    this.logger.debug('Read a ranged member attribute', {
      group: view.dn,
      values: values.length,
      ranges,
    });
    return values;
  }

  private toGroup(
    view: EntryView,
    members: AttributeValues,
    users: UserIndex,
    groupRefs: Map<string, string>,
  ): DirectoryGroup {
    const userIds = new Set<string>();
    const childRefs = new Set<string>();
    const unknown: string[] = [];
    for (const raw of members) {
      // uniqueMember values may carry an optional unique id: `<dn>#'0101'B` (RFC 4517 nameAndOptionalUID).
      const member = (typeof raw === 'string' ? raw : raw.toString('utf8'))
        .trim()
        .replace(/#'[01]*'B$/, '');
      if (member === '') continue;
      if (isDnLike(member)) {
        const key = normalizeDn(member);
        const userId = users.byDn.get(key);
        if (userId !== undefined) userIds.add(userId);
        else if (groupRefs.has(key)) childRefs.add(groupRefs.get(key)!);
        else unknown.push(member);
      } else {
        const userId = users.byUid.get(member.toLowerCase());
        if (userId !== undefined) userIds.add(userId);
        else unknown.push(member);
      }
    }
    if (unknown.length) {
      const sample = unknown.slice(0, 3).join('; ');
      this.warnings.push(
        `Group ${view.dn}: ${unknown.length} member(s) are neither users nor groups that were read (${sample}${unknown.length > 3 ? '; ...' : ''}); they were left out.`,
      );
    }
    return {
      externalId: objectId(view),
      referenceId: view.dn,
      name: (view.text(this.s.groupNameAttribute) ?? view.text('cn'))!,
      userMemberExternalIds: [...userIds],
      groupMemberReferenceIds: [...childRefs],
    };
  }

  // ---- filters, revisions, cursor ----

  private filterFor(
    objectClass: string,
    native: string | undefined,
    revisionAttr: string | undefined,
    since: Date | undefined,
  ): string {
    const revision = revisionAttr ? this.revisionClause(revisionAttr, since) : '';
    return `(&(objectClass=${escapeFilterValue(objectClass)})${native ?? ''}${revision})`;
  }

  private revisionClause(attr: string, since: Date | undefined): string {
    if (!since) return '';
    return `(${attr}>=${escapeFilterValue(toGeneralizedTime(since, this.s.ad))})`;
  }

  private noteRevision(view: EntryView): void {
    if (!this.checkRevision) return;
    if (view.first(this.s.revisionDateAttribute) !== undefined) this.sawConfiguredRevision = true;
    if (view.first('modifyTimestamp') !== undefined) this.sawModifyTimestamp = true;
  }

  /**
   * The configured revision attribute, unless entries lack it and carry modifyTimestamp:
   * OpenLDAP has no whenChanged, and a filter on it would find nothing, forever.
   */
  private effectiveRevisionAttribute(): string {
    const configured = this.s.revisionDateAttribute;
    if (
      !this.sawConfiguredRevision &&
      this.sawModifyTimestamp &&
      configured.toLowerCase() !== 'modifytimestamp'
    ) {
      this.warnings.push(
        `Entries have no ${configured} (sync.revisionDateAttribute); incremental reads use modifyTimestamp instead.`,
      );
      return 'modifyTimestamp';
    }
    return configured;
  }

  private parseCursor(text: string | undefined): Cursor | undefined {
    if (!text) return undefined;
    try {
      const parsed = JSON.parse(text) as Partial<Cursor>;
      if (parsed.v !== CURSOR_VERSION || typeof parsed.attr !== 'string') return undefined;
      const valid = (t: unknown): boolean =>
        typeof t === 'string' && !Number.isNaN(new Date(t).getTime());
      if (
        (this.request.users && !valid(parsed.users)) ||
        (this.request.groups && !valid(parsed.groups))
      )
        return undefined;
      return parsed as Cursor;
    } catch {
      return undefined;
    }
  }

  /**
   * The server's clock when it reports one (AD's root DSE currentTime), else ours. Changes are
   * read from this instant, one second early, so a change in the same second is never missed.
   */
  private async serverTime(): Promise<Date> {
    const dse = new EntryView(await this.session.rootDse(['currentTime']));
    const reported = view2time(dse.text('currentTime'));
    return new Date((reported ?? this.now()).getTime() - 1000);
  }

  private progress(phase: 'users' | 'groups' | 'members', done: number): void {
    this.request.onProgress?.({ phase, done });
    throwIfCancelled(this.request.signal, 'Directory read');
  }
}

function isAtOrBelow(dn: string, base: string): boolean {
  const d = normalizeDn(dn);
  const b = normalizeDn(base);
  return d === b || d.endsWith(`,${b}`);
}

function view2time(text: string | undefined): Date | undefined {
  return text ? parseGeneralizedTime(text) : undefined;
}

/** objectGUID in upstream's form when present, else the DN (upstream's rule for users and groups). */
function objectId(view: EntryView): string {
  const guid = view.first('objectGUID');
  if (guid !== undefined) return idString(guid);
  return view.dn;
}

function idString(value: string | Buffer): string {
  if (typeof value === 'string') return value;
  return value.length === 16 ? guidToString(value) : value.toString('hex');
}

function unique(names: readonly (string | undefined)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of names) {
    if (!name || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}

export type { Entry };
