import type { DirectoryGroup, DirectoryUser, ManagedMember, SyncConfig } from '@bwdc/core';
import type { LeftOutLog } from './left-out';
import type { LeftOutReason } from './types';
import { byUserId } from './order';

/** The server's limits (bitwarden/server OrganizationImportRequestModel). */
const MAX_EMAIL = 256;
const MAX_EXTERNAL_ID = 300;
const MAX_GROUP_NAME = 100;

/**
 * A user that passed admission, with the email and state it is sent with. Only one the directory
 * reports as deleted can lack an email: the server removes a deleted member by externalId alone
 * (an AD tombstone keeps no `mail`).
 */
export type Candidate =
  | {
      readonly user: DirectoryUser;
      readonly email: string;
      /** What the request says: deleted in the directory, or disabled with removeDisabled. */
      readonly sendDeleted: boolean;
    }
  | { readonly user: DirectoryUser; readonly email: undefined; readonly sendDeleted: true };

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

export interface AdmittedUsers {
  /** Every user read, in externalId order (then referenceId); everything downstream keeps it. */
  readonly sorted: readonly DirectoryUser[];
  /** Those sent, in the same order: emails normalized, the server's limits and the user filter applied. */
  readonly candidates: Candidate[];
}

/**
 * Normalizes the users read and leaves out, in the log, those the server would reject and those
 * the user filter excludes.
 */
export function admitUsers(
  usersRead: readonly DirectoryUser[] | undefined,
  config: SyncConfig,
  managed: readonly ManagedMember[] | undefined,
  keepUser: (email: string | undefined) => boolean,
  log: LeftOutLog,
): AdmittedUsers {
  // Only deleted entries without a usable email need it: built for the first of them.
  let rememberedEmail: Map<string, string> | undefined;
  const rememberedEmailOf = (externalId: string): string | undefined => {
    rememberedEmail ??= new Map((managed ?? []).map((m) => [m.externalId, m.email]));
    return rememberedEmail.get(externalId);
  };
  // Sorting once here makes candidates, dedupe and members come out ordered, and gives ids
  // indices equal to their rank for the group lists.
  const sorted = [...(usersRead ?? [])].sort(byUserId);
  const candidates: Candidate[] = [];
  for (const user of sorted) {
    // Only for messages: built when one is written, not for each of a million users.
    const who = (): string => `User ${user.referenceId || '(no reference)'}`;
    if (!user.externalId) {
      log.user(user, 'no-external-id', `${who()} has no externalId; left out.`);
      continue;
    }
    if (user.externalId.length > MAX_EXTERNAL_ID) {
      log.user(
        user,
        'external-id-too-long',
        `${who()} has an externalId over ${MAX_EXTERNAL_ID} characters; left out.`,
      );
      continue;
    }
    let email = normalizeEmail(user.email);
    const sendDeleted = user.deleted || (config.removeDisabled && user.disabled);
    const usable = email !== undefined && email.length <= MAX_EMAIL && isAcceptableEmail(email);
    if (!usable) {
      const remembered = user.deleted ? rememberedEmailOf(user.externalId) : undefined;
      if (remembered !== undefined) {
        // The server ignores a deleted member's email but still checks it; the remembered one does.
        email = remembered;
      } else if (user.deleted) {
        // Deleted in the directory, and no email to send (an AD tombstone keeps none): sent as
        // deleted by its externalId alone, so a member the official connector added loses access.
        email = undefined;
      } else {
        const whose = `${who()} (externalId ${user.externalId})`;
        if (email === undefined) {
          log.user(user, 'no-email', `${whose} has no email address; left out.`);
        } else if (email.length > MAX_EMAIL) {
          log.user(
            user,
            'email-too-long',
            `${whose} has an email over ${MAX_EMAIL} characters; left out.`,
          );
        } else {
          log.user(
            user,
            'email-invalid',
            `${whose} has an email Bitwarden rejects ("${email}"); left out.`,
          );
        }
        continue;
      }
    }
    if (!keepUser(email)) {
      log.user(
        user,
        'user-filter',
        `${who()} (${email ?? 'no email'}) is excluded by sync.userFilter.`,
        false,
      );
      continue;
    }
    candidates.push(
      email === undefined ? { user, email, sendDeleted: true } : { user, email, sendDeleted },
    );
  }
  return { sorted, candidates };
}

/**
 * The indices of the groups sent: the server's limits and the group filter applied. A group left
 * out still counts for its parents: flattening ran over every group read.
 */
export function admitGroups(
  groups: readonly DirectoryGroup[],
  keepGroup: (name: string | undefined) => boolean,
  log: LeftOutLog,
): number[] {
  const kept: number[] = [];
  groups.forEach((g, i) => {
    const who = `Group ${g.referenceId || g.externalId}`;
    const rejected = rejectedGroup(g, who);
    if (rejected) log.group(g, rejected[0], rejected[1]);
    else if (!keepGroup(g.name))
      log.group(g, 'group-filter', `${who} (${g.name}) is excluded by sync.groupFilter.`, false);
    else kept.push(i);
  });
  return kept;
}

/** Why the server would reject a group, and the message naming it; undefined when it would not. */
function rejectedGroup(g: DirectoryGroup, who: string): [LeftOutReason, string] | undefined {
  const parentsKeep = 'left out (its members still count for its parent groups).';
  if (!g.externalId) return ['no-external-id', `${who} has no externalId; ${parentsKeep}`];
  if (g.externalId.length > MAX_EXTERNAL_ID)
    return [
      'external-id-too-long',
      `${who} has an externalId over ${MAX_EXTERNAL_ID} characters; left out.`,
    ];
  if (!g.name || g.name.trim() === '')
    return ['group-name-missing', `${who} has no name; ${parentsKeep}`];
  if (g.name.length > MAX_GROUP_NAME)
    return [
      'group-name-too-long',
      `${who} has a name over ${MAX_GROUP_NAME} characters ("${g.name.slice(0, 40)}..."); left out.`,
    ];
  return undefined;
}
