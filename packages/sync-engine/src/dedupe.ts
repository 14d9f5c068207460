import type { Candidate } from './admit';
import { DuplicateEmailError, type DuplicateConflict } from './errors';
import type { LeftOutLog } from './left-out';
import { byString, byUserId } from './order';

/**
 * Duplicates, decided the same whatever order the directory returned them in:
 * - entries that would be sent identically collapse into one;
 * - two active entries with one email (or one externalId with two emails) are an error naming all;
 * - a deleted entry chosen an active entry's email is its tombstone and is not sent;
 * - deleted-only duplicates are all sent (one per externalId).
 * `candidates` are sorted by externalId (then referenceId), and so is the result.
 */
export function dedupe(candidates: readonly Candidate[], log: LeftOutLog): Candidate[] {
  // Most directories have no duplicates: find the shared emails first, group only those.
  const seenEmail = new Set<string>();
  const sharedEmail = new Set<string>();
  for (const c of candidates) {
    if (c.email === undefined) continue;
    if (seenEmail.has(c.email)) sharedEmail.add(c.email);
    else seenEmail.add(c.email);
  }
  const conflicts: DuplicateConflict[] = [];
  const describe = (list: readonly Candidate[]) =>
    list.map((c) => ({
      referenceId: c.user.referenceId,
      externalId: c.user.externalId,
      email: c.email ?? 'deleted, no email',
    }));
  let kept: readonly Candidate[];
  if (sharedEmail.size === 0) {
    kept = candidates;
  } else {
    const chosen: Candidate[] = [];
    const byEmail = new Map<string, Candidate[]>();
    for (const c of candidates) {
      if (c.email === undefined || !sharedEmail.has(c.email)) chosen.push(c);
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
        chosen.push(winner);
        for (const c of list) {
          if (c.sendDeleted && c.user.externalId !== winner.user.externalId) {
            const message = `User ${c.user.referenceId} (externalId ${c.user.externalId}) is deleted or disabled and shares ${email} with active ${winner.user.referenceId}; not sent (taken as the same person's old entry).`;
            log.user(c.user, 'tombstone', message, true, email);
          }
        }
        continue;
      }
      const seen = new Set<string>();
      for (const c of list) {
        if (seen.has(c.user.externalId)) continue;
        seen.add(c.user.externalId);
        chosen.push(c);
      }
    }
    chosen.sort((a, b) => byUserId(a.user, b.user));
    kept = chosen;
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
