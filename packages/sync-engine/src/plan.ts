import {
  BwdcError,
  type DirectoryGroup,
  type DirectorySnapshot,
  type DirectoryUser,
  type ImportGroup,
  type ImportMember,
  type ManagedMember,
  type SyncCheckpoint,
  type SyncConfig,
} from '@bwdc/core';
import {
  filterMatcher,
  parseFilter,
  type FetchMode,
  type FilterClause,
} from '@bwdc/directory-provider';
import { DuplicateEmailError, type DuplicateConflict } from './errors';
import {
  IdPool,
  attachPoolRefs,
  fingerprintOf,
  isJsonSafe,
  legacyFingerprintOf,
} from './fingerprint';
import { matchesOfficialFingerprint } from './fingerprint-official';
import { flattenGroups } from './flatten';
import { buildRequests } from './requests';
import {
  REMOVAL_REASON_TEXT,
  type GuardVerdict,
  type LeftOutEntry,
  type LeftOutReason,
  type MissingUsersVerdict,
  type PlannedGroup,
  type PlannedUser,
  type RemovalReason,
  type RemovedMember,
  type SyncPlanResult,
} from './types';

/** The organization and server the requests go to; part of the fingerprint. */
export interface SyncContext {
  readonly organizationId: string;
  readonly apiUrl: string;
}

export interface PlanInput {
  readonly snapshot: DirectorySnapshot;
  readonly config: SyncConfig;
  readonly checkpoint: SyncCheckpoint;
  readonly context: SyncContext;
  readonly mode: FetchMode;
  readonly startedAt: Date;
}

/** The server's limits (bitwarden/server OrganizationImportRequestModel). */
const MAX_EMAIL = 256;
const MAX_EXTERNAL_ID = 300;
const MAX_GROUP_NAME = 100;
/** Bitwarden cloud refuses more than this many groups or active members without largeImport. */
const CLOUD_LIMIT = 2000;
/** Every clause keyword some provider understands; the engine itself applies include/exclude. */
export const FILTER_KEYWORDS = [
  'include',
  'exclude',
  'includeGroup',
  'excludeGroup',
  'includeAdministrativeUnit',
  'excludeAdministrativeUnit',
] as const;

interface Candidate {
  readonly user: DirectoryUser;
  readonly email: string;
  /** What the request says: deleted in the directory, or disabled with removeDisabled. */
  readonly sendDeleted: boolean;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The server's `[EmailAddress]` check (.NET's lax one): one `@`, neither first nor last, no line
 * breaks. An address it rejects fails the whole import with a 400, so it is left out here instead.
 */
export function isAcceptableEmail(email: string): boolean {
  if (email.includes('\r') || email.includes('\n')) return false;
  const at = email.indexOf('@');
  return at > 0 && at !== email.length - 1 && at === email.lastIndexOf('@');
}

/** The email a user is sent with: trimmed and lower-cased. */
export function normalizeEmail(email: string | undefined): string | undefined {
  const value = email?.trim().toLowerCase();
  return value ? value : undefined;
}

/**
 * Parses `sync.userFilter` / `sync.groupFilter`. Only `include:`/`exclude:` are applied here; the
 * other keywords belong to the provider that understands them, which applies them while reading.
 */
export function parseSyncFilter(filter: string | undefined): FilterClause | undefined {
  return parseFilter(filter, FILTER_KEYWORDS).clause;
}

function isBasicClause(clause: FilterClause | undefined): clause is FilterClause {
  return clause !== undefined && (clause.keyword === 'include' || clause.keyword === 'exclude');
}

/**
 * Everything that is the same for every directory, from a snapshot to the requests: normalize,
 * filter, flatten, dedupe, infer removals, order, batch, fingerprint and guard. Pure: no I/O.
 */
export function buildPlan(input: PlanInput): SyncPlanResult {
  const { snapshot, config, checkpoint, context, mode } = input;
  if (!context.organizationId) {
    throw new BwdcError(
      'NOT_LOGGED_IN',
      'Organization not set. Log in with the organization API key first.',
    );
  }
  const userClause = parseSyncFilter(config.userFilter);
  const groupClause = parseSyncFilter(config.groupFilter);
  const keepUser = filterMatcher(userClause);
  const keepGroup = filterMatcher(groupClause);

  const warnings: string[] = [...snapshot.warnings];
  const leftOut: LeftOutEntry[] = [];
  /** Why a user that was read is not sent as active, by externalId (first reason wins). */
  const notSentReason = new Map<string, LeftOutReason | 'deleted' | 'disabled'>();
  const managed = checkpoint.managedMembers;
  const rememberedEmail = new Map<string, string>();
  for (const m of managed ?? []) rememberedEmail.set(m.externalId, m.email);

  const leaveOutUser = (
    user: DirectoryUser,
    reason: LeftOutReason,
    message: string,
    warn = true,
  ): void => {
    leftOut.push({
      kind: 'user',
      externalId: user.externalId,
      referenceId: user.referenceId,
      label: user.email,
      reason,
      message,
    });
    if (!notSentReason.has(user.externalId)) notSentReason.set(user.externalId, reason);
    if (warn) warnings.push(message);
  };

  // 1. Normalize users; 2. the user filter.
  const usersRead = snapshot.users;
  // Everything downstream works in externalId order, so sort once here: candidates, dedupe and
  // members come out ordered, and ids get indices equal to their rank for the group lists.
  const sortedUsers = [...(usersRead ?? [])].sort(
    (a, b) => byString(a.externalId, b.externalId) || byString(a.referenceId, b.referenceId),
  );
  let candidates: Candidate[] = [];
  for (const user of sortedUsers) {
    const who = `User ${user.referenceId || '(no reference)'}`;
    if (!user.externalId) {
      leaveOutUser(user, 'no-external-id', `${who} has no externalId; left out.`);
      continue;
    }
    if (user.externalId.length > MAX_EXTERNAL_ID) {
      leaveOutUser(
        user,
        'external-id-too-long',
        `${who} has an externalId over ${MAX_EXTERNAL_ID} characters; left out.`,
      );
      continue;
    }
    let email = normalizeEmail(user.email);
    const sendDeleted = user.deleted || (config.removeDisabled && user.disabled);
    const usable = email !== undefined && email.length <= MAX_EMAIL && isAcceptableEmail(email);
    if (!usable) {
      const remembered = user.deleted ? rememberedEmail.get(user.externalId) : undefined;
      if (remembered !== undefined) {
        // The server ignores a deleted member's email but still checks it; the remembered one does.
        email = remembered;
      } else {
        const whose = `${who} (externalId ${user.externalId})`;
        if (email === undefined) {
          // A deleted entry without an email (an AD tombstone, say) is expected, so only listed.
          leaveOutUser(user, 'no-email', `${whose} has no email address; left out.`, !user.deleted);
        } else if (email.length > MAX_EMAIL) {
          leaveOutUser(
            user,
            'email-too-long',
            `${whose} has an email over ${MAX_EMAIL} characters; left out.`,
          );
        } else {
          leaveOutUser(
            user,
            'email-invalid',
            `${whose} has an email Bitwarden rejects ("${email}"); left out.`,
          );
        }
        continue;
      }
    }
    if (!keepUser(email)) {
      leaveOutUser(user, 'user-filter', `${who} (${email}) is excluded by sync.userFilter.`, false);
      continue;
    }
    candidates.push({ user, email: email!, sendDeleted });
  }

  // 3. Groups: flatten over every group read, so a kept group keeps the users of nested groups the
  // filter drops (upstream filters first and loses them); then the group filter.
  const groupsRead = snapshot.groups;
  const groups = [...(groupsRead ?? [])].sort(
    (a, b) => byString(a.referenceId, b.referenceId) || byString(a.externalId, b.externalId),
  );
  const idIndex = new Map<string, number>();
  for (const u of sortedUsers)
    if (u.externalId && !idIndex.has(u.externalId)) idIndex.set(u.externalId, idIndex.size);
  const usersIndexed = idIndex.size;
  const flat = flattenGroups(groups, idIndex);
  groups.forEach((g, i) => {
    const unknown = flat.unknownReferences[i];
    if (unknown) {
      const shown = unknown.slice(0, 5).join('; ');
      warnings.push(
        `Group ${g.referenceId} (${g.name}) lists ${unknown.length} nested group(s) that were not read: ${shown}${unknown.length > 5 ? '; ...' : ''}.`,
      );
    }
  });
  const keptGroups: number[] = [];
  groups.forEach((g, i) => {
    const leave = (reason: LeftOutReason, message: string, warn: boolean): void => {
      leftOut.push({
        kind: 'group',
        externalId: g.externalId,
        referenceId: g.referenceId,
        label: g.name,
        reason,
        message,
      });
      if (warn) warnings.push(message);
    };
    const who = `Group ${g.referenceId || g.externalId}`;
    if (!g.externalId)
      return leave(
        'no-external-id',
        `${who} has no externalId; left out (its members still count for its parent groups).`,
        true,
      );
    if (g.externalId.length > MAX_EXTERNAL_ID)
      return leave(
        'external-id-too-long',
        `${who} has an externalId over ${MAX_EXTERNAL_ID} characters; left out.`,
        true,
      );
    if (!g.name || g.name.trim() === '')
      return leave(
        'group-name-missing',
        `${who} has no name; left out (its members still count for its parent groups).`,
        true,
      );
    if (g.name.length > MAX_GROUP_NAME)
      return leave(
        'group-name-too-long',
        `${who} has a name over ${MAX_GROUP_NAME} characters ("${g.name.slice(0, 40)}..."); left out.`,
        true,
      );
    if (!keepGroup(g.name))
      return leave('group-filter', `${who} (${g.name}) is excluded by sync.groupFilter.`, false);
    keptGroups.push(i);
  });

  // 4. With an include/exclude group filter, users in none of the kept groups are left out, as
  // upstream does; deleted users, and disabled ones when removeDisabled is on, still go through.
  if (groupsRead !== undefined && isBasicClause(groupClause)) {
    const inKept = new Uint8Array(flat.ids.length);
    for (const g of keptGroups) for (const u of flat.members[g]!) inKept[u] = 1;
    candidates = candidates.filter((c) => {
      if (c.sendDeleted) return true;
      const i = idIndex.get(c.user.externalId);
      if (i !== undefined && inKept[i]) return true;
      leaveOutUser(
        c.user,
        'not-in-kept-group',
        `User ${c.user.referenceId} (${c.email}) is in none of the groups sync.groupFilter keeps.`,
        false,
      );
      return false;
    });
  }

  // 5. Dedupe.
  const sent = dedupe(candidates, leftOut, warnings, notSentReason);

  const members: ImportMember[] = [];
  const planned: PlannedUser[] = [];
  const removed: RemovedMember[] = [];
  const baseline = managed ? new Set(managed.map((m) => m.externalId)) : undefined;
  const activeIds = new Set<string>();
  const activeEmails = new Set<string>();
  for (const c of sent) {
    if (!c.sendDeleted) {
      activeIds.add(c.user.externalId);
      activeEmails.add(c.email);
    }
  }
  const addRemoval = (externalId: string, email: string, reason: RemovalReason): void => {
    removed.push({
      externalId,
      email,
      reason,
      reasonText: REMOVAL_REASON_TEXT[reason],
      wasManaged: baseline?.has(externalId) ?? false,
    });
  };
  for (const c of sent) {
    const u = c.user;
    members.push({ email: c.email, externalId: u.externalId, deleted: c.sendDeleted });
    const status = u.deleted ? 'deleted' : u.disabled ? 'disabled' : 'enabled';
    const removal: RemovalReason | undefined = c.sendDeleted
      ? u.deleted
        ? 'deleted-in-directory'
        : 'disabled'
      : undefined;
    planned.push({
      externalId: u.externalId,
      referenceId: u.referenceId,
      email: c.email,
      status,
      deleted: c.sendDeleted,
      removal,
    });
    if (removal) {
      addRemoval(u.externalId, c.email, removal);
      if (!notSentReason.has(u.externalId))
        notSentReason.set(u.externalId, u.deleted ? 'deleted' : 'disabled');
    }
  }

  // 6. Leavers: remembered members absent from a complete read are sent as deleted.
  const missingUsers = missingUsersVerdict(input);
  if (config.removeMissingUsers && snapshot.complete && usersRead?.length === 0)
    warnings.push(missingUsers.reason!);
  const leaverIds = new Set<string>();
  if (missingUsers.applied) {
    const alreadySent = new Set(sent.map((c) => c.user.externalId));
    for (const m of [...managed!].sort((a, b) => byString(a.externalId, b.externalId))) {
      if (activeIds.has(m.externalId) || alreadySent.has(m.externalId)) continue;
      const why = notSentReason.get(m.externalId);
      const reason: RemovalReason =
        why === undefined
          ? 'missing'
          : why === 'user-filter' || why === 'not-in-kept-group'
            ? 'filtered'
            : why === 'deleted'
              ? 'deleted-in-directory'
              : why === 'disabled'
                ? 'disabled'
                : 'left-out';
      if (activeEmails.has(m.email)) {
        warnings.push(
          `Not removing ${m.email} (externalId ${m.externalId}, ${REMOVAL_REASON_TEXT[reason]}): an active directory entry now has the same email.`,
        );
        continue;
      }
      members.push({ email: m.email, externalId: m.externalId, deleted: true });
      leaverIds.add(m.externalId);
      planned.push({
        externalId: m.externalId,
        referenceId: undefined,
        email: m.email,
        status: 'deleted',
        deleted: true,
        removal: reason,
      });
      addRemoval(m.externalId, m.email, reason);
    }
  }
  members.sort((a, b) => byString(a.externalId, b.externalId));
  planned.sort((a, b) => byString(a.externalId, b.externalId));
  removed.sort((a, b) => byString(a.externalId, b.externalId));

  // 7. Groups as sent: only members the plan keeps (active users, and ids the read did not cover),
  // sorted; groups with the same externalId merged.
  const plannedGroups = groupsToSend(
    groups,
    keptGroups,
    flat,
    usersIndexed,
    (id) => activeIds.has(id),
    warnings,
  );
  const importGroups: ImportGroup[] = plannedGroups.map((g) => ({
    name: g.name,
    externalId: g.externalId,
    memberExternalIds: g.memberExternalIds,
  }));

  if (usersRead === undefined && groupsRead === undefined) {
    warnings.push('Neither sync.users nor sync.groups is on: there is nothing to sync.');
  }
  if (!config.largeImport && (importGroups.length > CLOUD_LIMIT || activeIds.size > CLOUD_LIMIT)) {
    warnings.push(
      `${activeIds.size} members and ${importGroups.length} groups: Bitwarden cloud refuses more than ${CLOUD_LIMIT} of either in one import; turn on sync.largeImport.`,
    );
  }

  // 8. Requests and fingerprint.
  const requests = buildRequests(importGroups, members, config);
  let fingerprint: string | undefined;
  let settledFingerprint: string | undefined;
  let unchanged = false;
  if (requests.length > 0) {
    fingerprint = fingerprintOf(requests, context.apiUrl, context.organizationId);
    const settled = leaverIds.size
      ? buildRequests(
          importGroups,
          members.filter((m) => !leaverIds.has(m.externalId)),
          config,
        )
      : requests;
    settledFingerprint = settled.length
      ? fingerprintOf(settled, context.apiUrl, context.organizationId)
      : fingerprint;
    const last = checkpoint.lastSyncHash;
    unchanged =
      last !== undefined &&
      (last === fingerprint ||
        last === legacyFingerprintOf(requests, context.apiUrl) ||
        // A hash the official connector wrote describes its own request, laid out its way.
        (checkpoint.lastSyncHashBy === 'official' &&
          matchesOfficialFingerprint(
            snapshot,
            config,
            requests,
            context.apiUrl,
            context.organizationId,
            last,
          )));
  }

  const guard = guardVerdict(input, removed, activeIds, baseline, usersRead, unchanged);

  const nextManagedMembers = nextManaged(snapshot, managed, sent);
  const enabled = planned.filter((p) => !p.deleted && p.status === 'enabled').length;
  return {
    mode,
    complete: snapshot.complete,
    startedAt: input.startedAt.toISOString(),
    users: planned,
    groups: plannedGroups,
    requests,
    fingerprint:
      fingerprint === undefined
        ? undefined
        : { hash: fingerprint, settledHash: settledFingerprint ?? fingerprint },
    unchanged,
    removed,
    leftOut,
    warnings,
    guard,
    missingUsers,
    counts: {
      usersRead: usersRead?.length ?? 0,
      groupsRead: groupsRead?.length ?? 0,
      users: members.length,
      groups: importGroups.length,
      enabled,
      disabled: planned.filter((p) => !p.deleted && p.status === 'disabled').length,
      deleted: members.filter((m) => m.deleted).length,
      removed: removed.filter((r) => r.wasManaged).length,
      leftOut: leftOut.length,
    },
    cursor: snapshot.cursor,
    nextManagedMembers,
  };
}

/**
 * Duplicates, decided the same whatever order the directory returned them in:
 * - entries that would be sent identically collapse into one;
 * - two active entries with one email (or one externalId with two emails) are an error naming all;
 * - a deleted entry sharing an active entry's email is its tombstone and is not sent;
 * - deleted-only duplicates are all sent (one per externalId).
 * `candidates` are sorted by externalId (then referenceId), and so is the result.
 */
function dedupe(
  candidates: readonly Candidate[],
  leftOut: LeftOutEntry[],
  warnings: string[],
  notSentReason: Map<string, LeftOutReason | 'deleted' | 'disabled'>,
): Candidate[] {
  // Most directories have no duplicates: find the shared emails first, group only those.
  const seenEmail = new Set<string>();
  const sharedEmail = new Set<string>();
  for (const c of candidates) {
    if (seenEmail.has(c.email)) sharedEmail.add(c.email);
    else seenEmail.add(c.email);
  }
  const conflicts: DuplicateConflict[] = [];
  const describe = (list: readonly Candidate[]) =>
    list.map((c) => ({
      referenceId: c.user.referenceId,
      externalId: c.user.externalId,
      email: c.email,
    }));
  let kept: Candidate[];
  if (sharedEmail.size === 0) {
    kept = [...candidates];
  } else {
    kept = [];
    const byEmail = new Map<string, Candidate[]>();
    for (const c of candidates) {
      if (!sharedEmail.has(c.email)) kept.push(c);
      else {
        const list = byEmail.get(c.email);
        if (list) list.push(c);
        else byEmail.set(c.email, [c]);
      }
    }
    for (const [email, list] of byEmail) {
      const active = list.filter((c) => !c.sendDeleted);
      const activeIds = new Set(active.map((c) => c.user.externalId));
      if (activeIds.size > 1) {
        conflicts.push({ key: 'email', value: email, entries: describe(active) });
        continue;
      }
      if (active.length > 0) {
        const winner = active[0]!;
        kept.push(winner);
        for (const c of list) {
          if (c.sendDeleted && c.user.externalId !== winner.user.externalId) {
            const message = `User ${c.user.referenceId} (externalId ${c.user.externalId}) is deleted or disabled and shares ${email} with active ${winner.user.referenceId}; not sent (taken as the same person's old entry).`;
            leftOut.push({
              kind: 'user',
              externalId: c.user.externalId,
              referenceId: c.user.referenceId,
              label: email,
              reason: 'tombstone',
              message,
            });
            notSentReason.set(c.user.externalId, 'tombstone');
            warnings.push(message);
          }
        }
        continue;
      }
      const seen = new Set<string>();
      for (const c of list) {
        if (seen.has(c.user.externalId)) continue;
        seen.add(c.user.externalId);
        kept.push(c);
      }
    }
    kept.sort(
      (a, b) =>
        byString(a.user.externalId, b.user.externalId) ||
        byString(a.user.referenceId, b.user.referenceId),
    );
  }
  // One externalId must be one member; in sorted order its entries are neighbours.
  const result: Candidate[] = [];
  for (let i = 0; i < kept.length; ) {
    let j = i + 1;
    while (j < kept.length && kept[j]!.user.externalId === kept[i]!.user.externalId) j++;
    if (j === i + 1) {
      result.push(kept[i]!);
    } else {
      const run = kept.slice(i, j);
      const active = run.filter((c) => !c.sendDeleted);
      if (active.length > 1 && new Set(active.map((c) => c.email)).size > 1) {
        conflicts.push({
          key: 'externalId',
          value: kept[i]!.user.externalId,
          entries: describe(run),
        });
      } else {
        // Identical entries, or a deleted one beside an active one: the server ignores a deleted
        // entry whose externalId is also sent active, so send only one.
        result.push(active[0] ?? run[0]!);
      }
    }
    i = j;
  }
  if (conflicts.length > 0) {
    conflicts.sort((a, b) => byString(a.value, b.value));
    throw new DuplicateEmailError(conflicts);
  }
  return result;
}

function groupsToSend(
  groups: readonly DirectoryGroup[],
  kept: readonly number[],
  flat: ReturnType<typeof flattenGroups>,
  /** Ids below this index are users read, indexed in sorted order; later ones were never read. */
  usersIndexed: number,
  isActive: (externalId: string) => boolean,
  warnings: string[],
): PlannedGroup[] {
  const ids = flat.ids;
  // Member lists are ordered by the rank of each externalId. Users read were indexed in sorted
  // order, so their index is their rank unless groups name ids no user had; then sort them all.
  let order: Int32Array;
  if (ids.length === usersIndexed) order = Int32Array.from(ids.keys());
  else order = Int32Array.from(ids.keys()).sort((a, b) => byString(ids[a]!, ids[b]!));
  const rank = new Int32Array(ids.length);
  const keepRank = new Uint8Array(ids.length);
  for (let r = 0; r < order.length; r++) {
    const i = order[r]!;
    rank[i] = r;
    // Keep active users, and ids the read did not cover (the server maps them, or drops them).
    keepRank[r] = i >= usersIndexed || isActive(ids[i]!) ? 1 : 0;
  }
  const byExternalId = new Map<string, number[]>();
  for (const g of kept) {
    const list = byExternalId.get(groups[g]!.externalId);
    if (list) list.push(g);
    else byExternalId.set(groups[g]!.externalId, [g]);
  }
  const sortedIds: string[] = new Array(ids.length);
  for (let r = 0; r < order.length; r++) sortedIds[r] = ids[order[r]!]!;
  // Plain ids (the usual GUIDs and DNs) are encoded once for the fingerprint.
  const pool = sortedIds.every(isJsonSafe) ? new IdPool(sortedIds) : undefined;
  // Big lists are put in order by marking ranks and scanning them all, small ones by sorting:
  // whichever is cheaper, so the whole step stays near linear in the output.
  const seen = new Uint8Array(ids.length);
  const result: PlannedGroup[] = [];
  for (const [externalId, list] of byExternalId) {
    const first = groups[list[0]!]!;
    if (list.length > 1) {
      const names = new Set(list.map((g) => groups[g]!.name));
      const refs = new Set(list.map((g) => groups[g]!.referenceId));
      if (names.size > 1 || refs.size > 1) {
        warnings.push(
          `Groups ${[...refs].join('; ')} share externalId ${externalId}; sent once as "${first.name}" with the members of all of them.`,
        );
      }
    }
    const lists = list.map((g) => flat.members[g]!);
    const total = lists.reduce((n, m) => n + m.length, 0);
    let ranks: Int32Array;
    if (lists.length > 1 || total * Math.log2(total + 1) > ids.length) {
      let n = 0;
      for (const m of lists) {
        for (let k = 0; k < m.length; k++) {
          const r = rank[m[k]!]!;
          if (keepRank[r] && !seen[r]) {
            seen[r] = 1;
            n++;
          }
        }
      }
      ranks = new Int32Array(n);
      for (let r = 0, k = 0; k < n; r++) {
        if (seen[r]) {
          ranks[k++] = r;
          seen[r] = 0;
        }
      }
    } else {
      const m = lists[0]!;
      ranks = new Int32Array(m.length);
      let n = 0;
      for (let k = 0; k < m.length; k++) {
        const r = rank[m[k]!]!;
        if (keepRank[r]) ranks[n++] = r;
      }
      ranks = ranks.subarray(0, n).sort();
    }
    const memberExternalIds: string[] = new Array(ranks.length);
    for (let k = 0; k < ranks.length; k++) memberExternalIds[k] = sortedIds[ranks[k]!]!;
    if (pool) attachPoolRefs(memberExternalIds, pool, ranks);
    result.push({
      externalId,
      referenceId: first.referenceId,
      name: first.name,
      memberExternalIds,
    });
  }
  result.sort((a, b) => byString(a.externalId, b.externalId));
  return result;
}

function missingUsersVerdict(input: PlanInput): MissingUsersVerdict {
  const { snapshot, config, checkpoint } = input;
  const no = (reason: string): MissingUsersVerdict => ({ applied: false, reason });
  if (!config.removeMissingUsers) return no('sync.removeMissingUsers is off.');
  if (snapshot.users === undefined) return no('Users are not synced (sync.users is off).');
  if (!snapshot.complete)
    return no(
      'The read was incremental or partial, so absence from it says nothing; no missing users are removed.',
    );
  if (snapshot.users.length === 0) {
    return no(
      'The directory read returned no users at all; no missing users are removed. Check the search base, user path and filters if users were expected.',
    );
  }
  if (checkpoint.managedMembers === undefined)
    return no('No earlier sync recorded which members it manages; nothing is inferred this time.');
  return { applied: true, reason: undefined };
}

function guardVerdict(
  input: PlanInput,
  removed: readonly RemovedMember[],
  activeIds: ReadonlySet<string>,
  baseline: ReadonlySet<string> | undefined,
  usersRead: readonly DirectoryUser[] | undefined,
  unchanged: boolean,
): GuardVerdict {
  const { config, checkpoint } = input;
  const removals: RemovedMember[] = removed.filter((r) => r.wasManaged);
  if (config.overwriteExisting && baseline) {
    const listed = new Set(removals.map((r) => r.externalId));
    for (const m of checkpoint.managedMembers ?? []) {
      if (!activeIds.has(m.externalId) && !listed.has(m.externalId)) {
        removals.push({
          externalId: m.externalId,
          email: m.email,
          reason: 'overwrite',
          reasonText: REMOVAL_REASON_TEXT.overwrite,
          wasManaged: true,
        });
      }
    }
    removals.sort((a, b) => byString(a.externalId, b.externalId));
  }
  const maxShare = config.maxRemovalShare;
  const size = baseline?.size;
  const share = size ? removals.length / size : undefined;
  const verdict = (
    refused: boolean,
    forceable: boolean,
    reason: string | undefined,
  ): GuardVerdict => ({
    refused,
    forceable,
    reason,
    baseline: size,
    removals,
    share,
    maxShare,
  });
  if (config.overwriteExisting && activeIds.size === 0) {
    const why =
      usersRead === undefined
        ? 'users are not synced (sync.users is off)'
        : usersRead.length === 0
          ? 'the directory read returned no users'
          : `none of the ${usersRead.length} users read is kept`;
    return verdict(
      true,
      false,
      `Refusing to send "Remove and re-add users" (sync.overwriteExisting) with an empty member list: ${why}. ` +
        'The server would remove every member the directory connector ever added.',
    );
  }
  if (
    !unchanged &&
    share !== undefined &&
    size! >= config.removalGuardMinimum &&
    share > maxShare
  ) {
    const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
    return verdict(
      true,
      true,
      `Refusing to sync: it would remove ${removals.length} of the ${size} members the last successful sync left active ` +
        `(${pct(share)}, above sync.maxRemovalShare ${pct(maxShare)}).`,
    );
  }
  return verdict(false, true, undefined);
}

function nextManaged(
  snapshot: DirectorySnapshot,
  previous: readonly ManagedMember[] | undefined,
  sent: readonly Candidate[],
): readonly ManagedMember[] | undefined {
  if (snapshot.users === undefined) return previous;
  // A read that found nobody is not believed (a wrong search base, an emptied export): forgetting
  // the list then would keep every later leaver in the organization.
  if (snapshot.users.length === 0) return previous;
  if (snapshot.complete) {
    // `sent` is in externalId order already.
    return sent
      .filter((c) => !c.sendDeleted)
      .map((c) => ({ externalId: c.user.externalId, email: c.email }));
  }
  // An incremental read only changes what it mentions; without a full list to start from there
  // is nothing sound to remember.
  if (previous === undefined) return undefined;
  const next = new Map<string, string>();
  for (const m of previous) next.set(m.externalId, m.email);
  for (const c of sent) {
    if (c.sendDeleted) next.delete(c.user.externalId);
    else next.set(c.user.externalId, c.email);
  }
  return [...next]
    .sort((a, b) => byString(a[0], b[0]))
    .map(([externalId, email]) => ({ externalId, email }));
}
