import fc from 'fast-check';
import { flattenGroups, type FlattenInput } from './flatten';

function g(ref: string, users: string[], children: string[] = []): FlattenInput {
  return { referenceId: ref, userMemberExternalIds: users, groupMemberReferenceIds: children };
}

/** Each group's flattened members as sorted externalIds. */
function flat(groups: FlattenInput[]): Record<string, string[]> {
  const result = flattenGroups(groups);
  return Object.fromEntries(
    groups.map((gr, i) => [
      gr.referenceId,
      [...result.members[i]!].map((u) => result.ids[u]!).sort(),
    ]),
  );
}

/** The obvious closure: a breadth-first walk from every group. */
function referenceClosure(groups: FlattenInput[]): Record<string, string[]> {
  const byRef = new Map<string, FlattenInput>();
  for (const gr of groups) if (!byRef.has(gr.referenceId)) byRef.set(gr.referenceId, gr);
  const out: Record<string, string[]> = {};
  for (const start of groups) {
    const seen = new Set<string>([start.referenceId]);
    const queue = [start];
    const users = new Set<string>();
    while (queue.length) {
      const cur = queue.shift()!;
      cur.userMemberExternalIds.forEach((u) => users.add(u));
      for (const ref of cur.groupMemberReferenceIds) {
        const next = byRef.get(ref);
        if (next && !seen.has(ref)) {
          seen.add(ref);
          queue.push(next);
        }
      }
    }
    out[start.referenceId] = [...users].sort();
  }
  return out;
}

describe('flattenGroups', () => {
  it('gives each group every user of its descendants', () => {
    expect(flat([g('a', ['u1'], ['b']), g('b', ['u2'], ['c']), g('c', ['u3'])])).toEqual({
      a: ['u1', 'u2', 'u3'],
      b: ['u2', 'u3'],
      c: ['u3'],
    });
  });

  it('handles a cycle: every group in it gets the users of all of them', () => {
    expect(
      flat([
        g('a', ['u1'], ['b']),
        g('b', ['u2'], ['c']),
        g('c', ['u3'], ['a']),
        g('d', ['u4'], ['a']),
      ]),
    ).toEqual({
      a: ['u1', 'u2', 'u3'],
      b: ['u1', 'u2', 'u3'],
      c: ['u1', 'u2', 'u3'],
      d: ['u1', 'u2', 'u3', 'u4'],
    });
  });

  it('counts a user reached through a diamond once', () => {
    const result = flattenGroups([
      g('top', [], ['l', 'r']),
      g('l', ['u1'], ['bottom']),
      g('r', ['u1'], ['bottom']),
      g('bottom', ['u2', 'u2']),
    ]);
    expect(result.members[0]!.length).toBe(2);
    expect(result.members[3]!.length).toBe(1);
  });

  it('ignores a group listing itself', () => {
    expect(flat([g('a', ['u1'], ['a'])])).toEqual({ a: ['u1'] });
  });

  it('reports nested references that match no group, and keeps going', () => {
    const result = flattenGroups([g('a', ['u1'], ['ghost', 'b']), g('b', ['u2'])]);
    expect(result.unknownReferences).toEqual([['ghost'], undefined]);
    expect([...result.members[0]!].map((i) => result.ids[i]).sort()).toEqual(['u1', 'u2']);
  });

  it('walks a chain 50,000 groups deep without running out of stack', () => {
    const n = 50_000;
    // Only the deepest group has a user, so the output stays linear and the test is about depth.
    const groups = Array.from({ length: n }, (_, i) =>
      g(`g${i}`, i === n - 1 ? ['deep'] : [], i + 1 < n ? [`g${i + 1}`] : []),
    );
    const result = flattenGroups(groups);
    expect([...result.members[0]!].map((u) => result.ids[u])).toEqual(['deep']);
    expect(result.members.every((m) => m.length === 1)).toBe(true);
  });

  it('keeps indices given by the caller', () => {
    const index = new Map([['u9', 0]]);
    const result = flattenGroups([g('a', ['u1', 'u9'])], index);
    expect(result.ids[0]).toBe('u9');
    expect(index.get('u1')).toBe(1);
  });

  it('equals a reference transitive closure on random graphs with cycles', () => {
    const graph = fc
      .record({ groups: fc.integer({ min: 1, max: 25 }), users: fc.integer({ min: 1, max: 15 }) })
      .chain(({ groups, users }) =>
        fc.array(
          fc.record({
            users: fc.uniqueArray(fc.integer({ min: 0, max: users - 1 }), { maxLength: 6 }),
            children: fc.array(fc.integer({ min: 0, max: groups + 2 }), { maxLength: 5 }), // some refs dangle
          }),
          { minLength: groups, maxLength: groups },
        ),
      )
      .map((spec) =>
        spec.map((s, i) =>
          g(
            `g${i}`,
            s.users.map((u) => `u${u}`),
            s.children.map((c) => `g${c}`),
          ),
        ),
      );
    fc.assert(
      fc.property(graph, (groups) => {
        expect(flat(groups)).toEqual(referenceClosure(groups));
      }),
      { numRuns: 300 },
    );
  });
});
