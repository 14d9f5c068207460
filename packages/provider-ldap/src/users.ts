import type { DirectoryUser } from '@bwdc/core';
import type { AttributeValue, EntryView } from './entry';
import { LdapError } from './errors';
import type { ReadContext } from './read';
import { revisionClause, searchFilter } from './revision';
import { showDeletedControl } from './session';
import { escapeFilterValue, idString, isAtOrBelow, normalizeDn, objectId, unique } from './values';

const UF_ACCOUNTDISABLE = 2;

/**
 * What membership resolution needs of the users: a number per user, found by DN or by uid, and
 * its externalId. Numbers rather than ids make a group's members cheap to deduplicate. Most
 * directories list members by DN, so the uid table is built only when a member value is not a DN.
 */
export class UserIndex {
  /** externalIds by user number. */
  readonly ids: string[] = [];
  private readonly byDn = new Map<string, number>();
  private readonly uids: AttributeValue[] = [];
  private readonly uidOwners: number[] = [];
  private uidTable: Map<string, number> | undefined;
  /** Numbers by externalId, kept where two entries may share one (a configured id attribute). */
  private readonly byId: Map<string, number> | undefined;

  /** `idsMayRepeat`: entries sharing an externalId get one number, so a group lists it once. */
  constructor(idsMayRepeat: boolean) {
    if (idsMayRepeat) this.byId = new Map();
  }

  add(view: EntryView, externalId: string): void {
    let n = this.byId?.get(externalId);
    if (n === undefined) {
      n = this.ids.length;
      this.ids.push(externalId);
      this.byId?.set(externalId, n);
    }
    this.byDn.set(normalizeDn(view.dn), n);
    for (const uid of view.all('uid')) {
      this.uids.push(uid);
      this.uidOwners.push(n);
    }
  }

  /** The number of the user with this DN (normalized, see normalizeDn). */
  byNormalizedDn(dn: string): number | undefined {
    return this.byDn.get(dn);
  }

  /** The number of the user with this uid (memberUid values), in any case. */
  byUid(uid: string): number | undefined {
    if (!this.uidTable) {
      this.uidTable = new Map();
      for (let i = 0; i < this.uids.length; i++)
        this.uidTable.set(String(this.uids[i]).toLowerCase(), this.uidOwners[i]!);
    }
    return this.uidTable.get(uid.toLowerCase());
  }
}

function userAttributes(ctx: ReadContext, revisionAttr: string): string[] {
  const s = ctx.settings;
  return unique([
    s.userEmailAttribute,
    s.emailPrefixAttribute,
    s.userIdAttribute,
    'uid',
    'objectGUID',
    'userAccountControl',
    ...ctx.revisions.attributes(revisionAttr),
  ]);
}

/**
 * The users under the user path (changed since `since`, when given), AD tombstones included,
 * and, when groups are read too, the index their membership is resolved with.
 */
export async function readUsers(
  ctx: ReadContext,
  revisionAttr: string,
  since: Date | undefined,
): Promise<{ users: DirectoryUser[]; index: UserIndex | undefined }> {
  const s = ctx.settings;
  const index = ctx.indexUsers ? new UserIndex(Boolean(s.userIdAttribute)) : undefined;
  const users: DirectoryUser[] = [];
  const filter = searchFilter(s, s.userObjectClass, s.userFilter, revisionAttr, since);
  let done = 0;
  for await (const page of ctx.session.search({
    base: s.userBase,
    filter,
    attributes: userAttributes(ctx, revisionAttr),
  })) {
    for (const view of page) {
      ctx.revisions.note(view);
      const user = toUser(ctx, view, false);
      index?.add(view, user.externalId);
      if (user.email === undefined) {
        ctx.warnings.push(
          `User ${view.dn} has no ${s.userEmailAttribute}${s.emailPrefixAttribute ? ` (nor ${s.emailPrefixAttribute})` : ''} and was skipped.`,
        );
        continue;
      }
      users.push(user);
    }
    done += page.length;
    ctx.progress('users', done);
  }
  if (s.ad) users.push(...(await readDeletedUsers(ctx, revisionAttr, since)));
  return { users, index };
}

/** All users, with only the attributes membership needs. */
export async function readUserIndex(ctx: ReadContext): Promise<UserIndex> {
  const s = ctx.settings;
  const index = new UserIndex(Boolean(s.userIdAttribute));
  const filter = searchFilter(s, s.userObjectClass, s.userFilter, undefined, undefined);
  const attributes = unique(['uid', 'objectGUID', s.userIdAttribute]);
  let done = 0;
  for await (const page of ctx.session.search({ base: s.userBase, filter, attributes })) {
    for (const view of page) index.add(view, userExternalId(ctx, view));
    done += page.length;
    ctx.progress('users', done);
  }
  return index;
}

/** AD tombstones in CN=Deleted Objects; a failure costs only a warning, as upstream. */
async function readDeletedUsers(
  ctx: ReadContext,
  revisionAttr: string,
  since: Date | undefined,
): Promise<DirectoryUser[]> {
  const s = ctx.settings;
  if (!s.rootDn) return [];
  const base = `CN=Deleted Objects,${s.rootDn}`;
  const filter = `(&(objectClass=${escapeFilterValue(s.userObjectClass)})(isDeleted=TRUE)${revisionClause(s, revisionAttr, since)})`;
  const users: DirectoryUser[] = [];
  try {
    for await (const page of ctx.session.search({
      base,
      filter,
      attributes: [...userAttributes(ctx, revisionAttr), 'lastKnownParent'],
      controls: [showDeletedControl()],
    })) {
      for (const view of page) {
        // Tombstones all live in one container; keep those deleted from within the user path.
        const parent = view.text('lastKnownParent');
        if (parent !== undefined && !isAtOrBelow(parent, s.userBase)) continue;
        users.push(toUser(ctx, view, true));
      }
    }
  } catch (error) {
    if (!(error instanceof LdapError)) throw error;
    ctx.warnings.push(`Deleted users could not be read from ${base}: ${error.message}`);
    ctx.logger.warn('Cannot read AD deleted objects', { base, error: error.message });
  }
  return users;
}

function toUser(ctx: ReadContext, view: EntryView, deleted: boolean): DirectoryUser {
  const s = ctx.settings;
  let email = view.text(s.userEmailAttribute);
  if (email === undefined && s.emailPrefixAttribute && s.emailSuffix) {
    const prefix = view.text(s.emailPrefixAttribute);
    if (prefix !== undefined) email = prefix + s.emailSuffix;
  }
  email = email?.trim().toLowerCase();
  const uac = view.text('userAccountControl');
  const flags = uac === undefined ? Number.NaN : Number.parseInt(uac, 10);
  return {
    externalId: userExternalId(ctx, view),
    referenceId: view.dn,
    email: email === '' ? undefined : email,
    disabled: Number.isFinite(flags) && (flags & UF_ACCOUNTDISABLE) === UF_ACCOUNTDISABLE,
    deleted,
  };
}

/** userIdAttribute if configured, else objectGUID (AD), else the DN: upstream's ids unless opted out. */
function userExternalId(ctx: ReadContext, view: EntryView): string {
  const configured = ctx.settings.userIdAttribute;
  if (configured) {
    const value = view.first(configured);
    if (value !== undefined) return idString(value);
    ctx.warnings.push(
      `User ${view.dn} has no ${configured} (ldap.userIdAttribute); its DN is used as its id.`,
    );
    return view.dn;
  }
  return objectId(view);
}
