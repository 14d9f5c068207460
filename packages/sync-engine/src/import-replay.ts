/**
 * The official server's import steps (`ImportOrganizationUsersAndGroupsCommand`, contract §3),
 * replayed request by request on an `OrganizationReplica`:
 * 1. deleted members are removed, except Owners; 2. with overwriteExisting, every external
 * non-Owner member the request does not list is removed, unless one of them has no master password
 * (then the server refuses the request); 3. members without an externalId are linked by their exact
 * email; 4. the other new members are invited, except emails already in the organization;
 * 5. groups are created or renamed, and their members set to exactly the mapped externalIds.
 * Groups missing from the import are never touched. A request the server would refuse stops the
 * replay there, as a sync stops at its first failed request.
 */
import { MemberStatus, MemberType, type ImportRequest } from '@bwdc/core';
import type { ChangesPlan } from './changes';
import { poolRefsOf, type IdPool } from './fingerprint';
import { isBlank, type OrganizationReplica } from './org-replica';
import { REMOVAL_REASON_TEXT, type LeftOutEntry, type PlannedUser } from './types';

const OVERWRITE_TAIL = 'and sync.overwriteExisting removes every member the import does not list';
const SERVER_OVERWRITE_REFUSAL =
  "Sync failed. To proceed, disable the 'Remove and re-add users during next sync' setting and try again.";

/** Replays every request of the plan in order; returns the server's refusal that stopped it, if any. */
export function replayImports(plan: ChangesPlan, org: OrganizationReplica): string | null {
  /** Why each member sent as deleted is removed. */
  const planned = new Map<string, PlannedUser>();
  for (const u of plan.users) if (u.removal !== undefined) planned.set(u.externalId, u);
  const leftOut = new Map<string, LeftOutEntry>();
  for (const e of plan.leftOut) if (e.kind === 'user') leftOut.set(e.externalId, e);
  const overwriteReason = (externalId: string): string => {
    const out = leftOut.get(externalId);
    return out
      ? `left out of the sync (${out.message}), ${OVERWRITE_TAIL}`
      : `not in the directory read, ${OVERWRITE_TAIL}`;
  };

  const known = new KnownIndexes(org);
  for (const [index, request] of plan.requests.entries()) {
    const which =
      plan.requests.length > 1 ? ` (request ${index + 1} of ${plan.requests.length})` : '';
    if (org.duplicateExternalId !== undefined) {
      return `The server fails the import${which} with HTTP 500: two members of the organization share the externalId "${org.duplicateExternalId}". Give one of them another externalId (or remove it) in the Admin Console.`;
    }
    const refusal = applyRequest(org, request, which, planned, overwriteReason, known);
    if (refusal !== null) return refusal;
  }
  return null;
}

function applyRequest(
  org: OrganizationReplica,
  request: ImportRequest,
  which: string,
  planned: ReadonlyMap<string, PlannedUser>,
  overwriteReason: (externalId: string) => string,
  known: KnownIndexes,
): string | null {
  const m = org.m;
  const importedIds = new Set<string>();
  let imported = 0;
  for (const x of request.members) {
    if (x.deleted) continue;
    importedIds.add(x.externalId);
    org.mapped.add(x.externalId);
    imported++;
  }

  // 1. Deleted members: every match but an Owner is removed.
  for (const x of request.members) {
    if (!x.deleted || importedIds.has(x.externalId)) continue;
    const i = org.byExternalId.get(x.externalId);
    if (i === undefined || m.removed[i]) continue;
    const code = planned.get(x.externalId)?.removal ?? 'deleted-in-directory';
    if (m.type[i] === MemberType.Owner) {
      org.keepOwner(i, x.externalId, REMOVAL_REASON_TEXT[code]);
      continue;
    }
    org.remove(i, code, REMOVAL_REASON_TEXT[code]);
  }

  // 2. overwriteExisting: every external non-Owner the request does not list.
  if (request.overwriteExisting) {
    const targets: number[] = [];
    for (const [externalId, i] of org.byExternalId) {
      if (importedIds.has(externalId)) continue;
      if (m.type[i] === MemberType.Owner) {
        org.keepOwner(i, externalId, overwriteReason(externalId));
        continue;
      }
      targets.push(i);
    }
    const noPassword = targets.filter(
      (i) => m.status[i] === MemberStatus.Invited || m.status[i] === MemberStatus.Staged,
    );
    if (noPassword.length > 0) {
      const names = noPassword
        .slice(0, 5)
        .map((i) => m.email[i])
        .join(', ');
      return (
        `The server refuses the import${which} with "${SERVER_OVERWRITE_REFUSAL}": ${noPassword.length} member(s) that overwriteExisting would remove have not joined yet and have no master password (${names}${noPassword.length > 5 ? ', ...' : ''}). ` +
        'Members sent as deleted before that are removed all the same. Turn off sync.overwriteExisting, or remove those invitations in the Admin Console.'
      );
    }
    for (const i of targets) org.remove(i, 'overwrite', overwriteReason(m.externalId[i]!));
  }
  org.settleRemovals();

  // 3. Link members without an externalId by exact email.
  if (imported > 0) {
    for (const [email, i] of org.unlinked) {
      if (i === -1) {
        return `The server fails the import${which} with HTTP 500: two members without an externalId share the email ${email}. Remove one of them in the Admin Console.`;
      }
    }
    if (org.unlinked.size > 0) {
      for (const x of request.members) {
        if (x.deleted) continue;
        const email = x.email.toLowerCase();
        const i = org.unlinked.get(email);
        if (i === undefined) continue;
        if (org.byExternalId.has(x.externalId)) {
          return `The server fails the import${which} with HTTP 500: ${email} (externalId ${x.externalId}) would be linked to a member without an externalId while another member already has that externalId.`;
        }
        org.link(i, x.externalId, email);
      }
    }
  }

  // 4. New members: invited unless their email is already in the organization.
  const invites: { email: string; externalId: string }[] = [];
  const inviting = new Set<string>();
  for (const x of request.members) {
    if (x.deleted || org.byExternalId.has(x.externalId) || isBlank(x.email)) continue;
    const email = x.email.toLowerCase();
    const owner = org.emailOwner(email);
    if (owner !== undefined || inviting.has(email)) {
      if (owner === undefined) continue;
      const other = m.externalId[owner];
      org.notInvited.push({
        email,
        externalId: x.externalId,
        reason: isBlank(other)
          ? `${m.email[owner]} is already a member without an externalId, and Bitwarden links only an exact (case-sensitive) email match; it is not linked, invited or added to groups`
          : `${m.email[owner]} is already a member with externalId ${other}; the directory entry is not invited or added to groups`,
      });
      continue;
    }
    inviting.add(email);
    invites.push({ email, externalId: x.externalId });
  }
  if (invites.length > 0) {
    if (!org.confirmedOwner) {
      return `The server refuses the import${which} with "Organization must have at least one confirmed owner.": confirm an Owner of the organization first.`;
    }
    for (const x of invites) org.invite(x.email, x.externalId);
  }

  // 5. Groups: created or renamed, members set to exactly the mapped externalIds.
  for (const g of request.groups) {
    const stamp = org.nextMark();
    const wanted: number[] = [];
    const ids = g.memberExternalIds;
    const pooled = poolRefsOf(ids);
    const seen = pooled && known.of(pooled.pool);
    for (let k = 0; k < ids.length; k++) {
      let i: number;
      if (seen) {
        const r = pooled.refs[k]!;
        i = seen[r]!;
        if (i === UNRESOLVED) seen[r] = i = org.byExternalId.get(ids[k]!) ?? NOT_A_MEMBER;
      } else {
        i = org.byExternalId.get(ids[k]!) ?? NOT_A_MEMBER;
      }
      if (i !== NOT_A_MEMBER && !m.removed[i] && m.mark[i] !== stamp) {
        m.mark[i] = stamp;
        wanted.push(i);
      }
    }
    const existing = org.groups.get(g.externalId);
    if (!existing) {
      org.groups.set(g.externalId, {
        id: `new:${g.externalId}`,
        externalId: g.externalId,
        name: g.name,
        originalName: g.name,
        created: true,
        originalIds: [],
        members: wanted,
        touched: true,
      });
      continue;
    }
    existing.touched = true;
    existing.name = g.name;
    if (existing.originalIds !== undefined) existing.members = wanted;
  }
  return null;
}

const UNRESOLVED = -2;
const NOT_A_MEMBER = -1;

/**
 * The replica's member index of each id of a pool (see `attachPoolRefs`), filled as step 5 meets
 * them. A large plan's lists name the ids of one pool, most ids in many lists and its groups in
 * many requests: each is looked up once for as long as `byExternalId` does not change.
 */
class KnownIndexes {
  private readonly byPool = new Map<IdPool, { version: number; indexes: Int32Array }>();

  constructor(private readonly org: OrganizationReplica) {}

  of(pool: IdPool): Int32Array {
    const version = this.org.byExternalIdVersion;
    let known = this.byPool.get(pool);
    if (!known) {
      known = { version, indexes: new Int32Array(pool.offsets.length - 1).fill(UNRESOLVED) };
      this.byPool.set(pool, known);
    } else if (known.version !== version) {
      known.indexes.fill(UNRESOLVED);
      known.version = version;
    }
    return known.indexes;
  }
}
