import { seededRandom } from '@bwdc/bench-kit';
import type { DirectoryGroup, DirectorySnapshot, DirectoryUser } from '@bwdc/core';

export interface DirectoryShape {
  readonly users: number;
  readonly groups: number;
  /** Levels of nesting: roots are level 1, so depth 5 means chains of five groups. */
  readonly depth: number;
  /** Direct user-in-group memberships before flattening. */
  readonly memberships: number;
  readonly seed: number;
}

export const DEFAULT_SHAPE: DirectoryShape = {
  users: 100_000,
  groups: 10_000,
  depth: 5,
  memberships: 1_000_000,
  seed: 42,
};

const HEX = '0123456789abcdef';
const guidBuffer = Buffer.alloc(36);

/**
 * A lower-case GUID as a flat string. Directory clients decode ids from JSON or BER into flat
 * strings; building them from many small concatenations would hand the engine "rope" strings
 * that every Map lookup and join has to walk, which measures string concatenation instead.
 */
function guid(rnd: () => number): string {
  for (let i = 0; i < 36; i++) {
    guidBuffer[i] =
      i === 8 || i === 13 || i === 18 || i === 23 ? 0x2d : HEX.charCodeAt(Math.floor(rnd() * 16));
  }
  guidBuffer[14] = 0x34; // version 4
  return guidBuffer.toString('latin1');
}

/** The same text as a flat string (see `guid`); ASCII only. */
const flat = (text: string): string => Buffer.from(text, 'latin1').toString('latin1');

/**
 * A directory shaped like a large LDAP/AD tenant: GUID externalIds, DN referenceIds, a few
 * messy emails (case, spaces), disabled, deleted, email-less and repeated entries, and groups
 * nested `depth` levels deep (a tree widening 5x per level, 10 % of groups with a second parent
 * for diamonds, and a few 3-group cycles), returned in no particular order.
 */
export function generateDirectory(shape: DirectoryShape = DEFAULT_SHAPE): DirectorySnapshot {
  const rnd = seededRandom(shape.seed);
  const users: DirectoryUser[] = [];
  for (let i = 0; i < shape.users; i++) {
    const r = rnd();
    const email =
      r < 0.002 ? undefined : flat(r < 0.05 ? `  User${i}@Example.COM ` : `user${i}@example.com`);
    const u: DirectoryUser = {
      externalId: guid(rnd),
      referenceId: flat(`uid=user${i},ou=people,dc=example,dc=com`),
      email,
      disabled: rnd() < 0.01,
      deleted: rnd() < 0.005,
    };
    users.push(u);
    // An entry returned twice (overlapping search bases).
    if (rnd() < 0.001) users.push({ ...u });
  }

  // Level sizes grow 5x per level and add up to `groups`.
  const weights = Array.from({ length: shape.depth }, (_, l) => 5 ** l);
  const total = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((shape.groups * w) / total)));
  sizes[sizes.length - 1]! += shape.groups - sizes.reduce((a, b) => a + b, 0);
  const levels: number[][] = [];
  let next = 0;
  for (const size of sizes) levels.push(Array.from({ length: size }, () => next++));

  const refs = Array.from({ length: shape.groups }, (_, g) =>
    flat(`cn=group${g},ou=groups,dc=example,dc=com`),
  );
  const refOf = (g: number) => refs[g]!;
  const children: string[][] = Array.from({ length: shape.groups }, () => []);
  const parentOf: number[] = new Array(shape.groups).fill(-1);
  for (let l = 1; l < levels.length; l++) {
    const above = levels[l - 1]!;
    for (const g of levels[l]!) {
      const parent = above[Math.floor(rnd() * above.length)]!;
      parentOf[g] = parent;
      children[parent]!.push(refOf(g));
      if (rnd() < 0.1) {
        const second = above[Math.floor(rnd() * above.length)]!;
        if (second !== parent) children[second]!.push(refOf(g));
      }
    }
  }
  // A few cycles: a leaf lists its grandparent.
  const leaves = levels[levels.length - 1]!;
  for (let k = 0; k < 10 && levels.length >= 3; k++) {
    const leaf = leaves[Math.floor(rnd() * leaves.length)]!;
    const grandparent = parentOf[parentOf[leaf]!]!;
    if (grandparent >= 0) children[leaf]!.push(refOf(grandparent));
  }

  const members: Set<string>[] = Array.from({ length: shape.groups }, () => new Set());
  for (let m = 0; m < shape.memberships; m++) {
    members[Math.floor(rnd() * shape.groups)]!.add(
      users[Math.floor(rnd() * users.length)]!.externalId,
    );
  }

  const groups: DirectoryGroup[] = [];
  for (let g = 0; g < shape.groups; g++) {
    groups.push({
      externalId: guid(rnd),
      referenceId: refOf(g),
      name: `Group ${g}`,
      userMemberExternalIds: [...members[g]!],
      groupMemberReferenceIds: children[g]!,
    });
  }
  // Directories return entries in their own order, not by level.
  for (let i = groups.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [groups[i], groups[j]] = [groups[j]!, groups[i]!];
  }
  return { users, groups, complete: true, cursor: undefined, warnings: [] };
}
