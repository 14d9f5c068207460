import { flattenGroups } from '@bwdc/sync-engine';
import { DEFAULT_SHAPE, generateDirectory } from './generate';
import { flattenUsersToGroups, toUpstreamGroups, type Budget } from './upstream-flatten';

const SMALL = { users: 600, groups: 120, depth: 5, memberships: 3000, seed: 7 };

describe('generateDirectory', () => {
  it('builds the requested shape, the same for the same seed', () => {
    const a = generateDirectory(SMALL);
    const b = generateDirectory(SMALL);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.groups).toHaveLength(120);
    expect(a.users!.length).toBeGreaterThanOrEqual(600);
    const direct = a.groups!.reduce((n, g) => n + g.userMemberExternalIds.length, 0);
    expect(direct).toBeGreaterThan(2500);
    expect(direct).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(generateDirectory({ ...SMALL, seed: 8 }))).not.toBe(JSON.stringify(a));
  });

  it('nests groups as deep as asked', () => {
    const snap = generateDirectory(SMALL);
    const byRef = new Map(snap.groups!.map((g) => [g.referenceId, g]));
    const depth = (ref: string, seen: Set<string>): number => {
      if (seen.has(ref)) return 0;
      const next = new Set(seen).add(ref);
      return 1 + Math.max(0, ...byRef.get(ref)!.groupMemberReferenceIds.map((c) => depth(c, next)));
    };
    expect(
      Math.max(...snap.groups!.map((g) => depth(g.referenceId, new Set()))),
    ).toBeGreaterThanOrEqual(5);
  });

  it("defaults to the issue's shape", () => {
    expect(DEFAULT_SHAPE).toEqual({
      users: 100_000,
      groups: 10_000,
      depth: 5,
      memberships: 1_000_000,
      seed: 42,
    });
  });
});

describe('the upstream flatten baseline', () => {
  it('computes the same memberships as the engine on the generated directory, cycles included', () => {
    const snap = generateDirectory(SMALL);
    const ours = flattenGroups(snap.groups!);
    const theirs = toUpstreamGroups(snap.groups!);
    flattenUsersToGroups(theirs, theirs);
    theirs.forEach((g, i) => {
      expect([...g.userMemberExternalIds].sort()).toEqual(
        [...ours.members[i]!].map((u) => ours.ids[u]!).sort(),
      );
    });
  });

  it('stops between top-level groups when its budget runs out', () => {
    const groups = toUpstreamGroups(generateDirectory(SMALL).groups!);
    const budget: Budget = { deadline: performance.now() - 1, done: 0 };
    flattenUsersToGroups(groups, groups, undefined, budget);
    expect(budget.done).toBe(0);
    const unlimited: Budget = { deadline: Infinity, done: 0 };
    flattenUsersToGroups(groups, groups, undefined, unlimited);
    expect(unlimited.done).toBe(groups.length);
  });
});
