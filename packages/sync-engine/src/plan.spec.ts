import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { DirectoryGroup, DirectoryUser } from '@bwdc/core';
import { fingerprintOf } from './fingerprint';
import { CONTEXT, group, managed, plan, snapshot, user } from './__fixtures__/helpers';

describe('requests, fingerprint and warnings', () => {
  it('fingerprints the requests for this organization and server', () => {
    const p = plan(snapshot([user('a')], [group('G', ['a'])]));
    expect(p.fingerprint!.hash).toBe(
      fingerprintOf(p.requests, CONTEXT.apiUrl, CONTEXT.organizationId),
    );
    expect(p.unchanged).toBe(false);
  });

  it('hashes exactly the JSON of the requests, for large member lists and non-ASCII names too', () => {
    const many = Array.from({ length: 5000 }, (_, i) => user(`person${i}`));
    const p = plan(
      snapshot(many, [
        group(
          'Ünïcode ✓',
          many.map((_, i) => `person${i}`),
        ),
      ]),
    );
    const json = JSON.stringify(p.requests[0]);
    expect(json.length).toBeGreaterThan(1 << 17);
    const expected = createHash('sha256')
      .update(CONTEXT.apiUrl + CONTEXT.organizationId + json, 'utf8')
      .digest('base64');
    expect(p.fingerprint!.hash).toBe(expected);
  });

  it('sends nothing for an empty plan', () => {
    const p = plan(snapshot([], []));
    expect(p.requests).toEqual([]);
    expect(p.fingerprint).toBeUndefined();
  });

  it('warns when Bitwarden cloud would refuse the size without largeImport', () => {
    const many = Array.from({ length: 2001 }, (_, i) => user(`u${i}`));
    expect(plan(snapshot(many, [])).warnings.join('\n')).toMatch(/turn on sync\.largeImport/);
    expect(plan(snapshot(many, []), { largeImport: true }).requests).toHaveLength(2);
  });

  it('counts what it plans', () => {
    const p = plan(
      snapshot(
        [
          user('a'),
          user('b', { disabled: true }),
          user('c', { deleted: true }),
          user('d', { email: undefined }),
        ],
        [group('G', ['a'])],
      ),
    );
    expect(p.counts).toEqual({
      usersRead: 4,
      groupsRead: 1,
      users: 3,
      groups: 1,
      enabled: 1,
      disabled: 1,
      deleted: 1,
      removed: 0,
      leftOut: 1,
    });
  });

  it('produces byte-identical requests for the same directory in any order', () => {
    const arbUser = fc.record({
      n: fc.integer({ min: 0, max: 30 }),
      disabled: fc.boolean(),
      deleted: fc.boolean(),
      upper: fc.boolean(),
    });
    const arbGroup = fc.record({
      n: fc.integer({ min: 0, max: 12 }),
      users: fc.array(fc.integer({ min: 0, max: 35 }), { maxLength: 8 }),
      children: fc.array(fc.integer({ min: 0, max: 14 }), { maxLength: 3 }),
    });
    const input = fc
      .record({
        users: fc.array(arbUser, { maxLength: 40 }),
        groups: fc.array(arbGroup, { maxLength: 15 }),
        seed: fc.integer(),
      })
      .map(({ users, groups, seed }) => {
        // One entry per person: duplicates with different states are a separate rule.
        const people = new Map<number, DirectoryUser>();
        for (const u of users) {
          people.set(
            u.n,
            user(`p${u.n}`, {
              disabled: u.disabled,
              deleted: u.deleted,
              email: u.upper ? ` P${u.n}@Example.com` : `p${u.n}@example.com`,
            }),
          );
        }
        const teams = new Map<number, DirectoryGroup>();
        for (const g of groups)
          teams.set(
            g.n,
            group(
              `t${g.n}`,
              g.users.map((x) => `p${x}`),
              g.children.map((c) => `t${c}`),
            ),
          );
        return { users: [...people.values()], groups: [...teams.values()], seed };
      });
    fc.assert(
      fc.property(input, fc.boolean(), ({ users, groups, seed }, removeDisabled) => {
        const shuffle = <T>(items: T[]): T[] => {
          const out = [...items];
          let s = seed;
          for (let i = out.length - 1; i > 0; i--) {
            s = (s * 1103515245 + 12345) & 0x7fffffff;
            const j = s % (i + 1);
            [out[i], out[j]] = [out[j]!, out[i]!];
          }
          return out;
        };
        const cfg = { removeDisabled, largeImport: true };
        const cp = { managedMembers: managed('p1', 'p2', 'p40') };
        const first = plan(snapshot(users, groups), cfg, cp);
        const again = plan(snapshot(structuredClone(users), structuredClone(groups)), cfg, cp);
        const shuffled = plan(
          snapshot(
            shuffle(users),
            shuffle(groups).map((g) => ({
              ...g,
              userMemberExternalIds: shuffle([...g.userMemberExternalIds]),
            })),
          ),
          cfg,
          cp,
        );
        expect(JSON.stringify(again.requests)).toBe(JSON.stringify(first.requests));
        expect(JSON.stringify(shuffled.requests)).toBe(JSON.stringify(first.requests));
        expect(shuffled.fingerprint).toEqual(first.fingerprint);
        const reqs = first.requests;
        const json = JSON.stringify(reqs.length === 1 ? reqs[0] : reqs);
        const sha = createHash('sha256')
          .update(CONTEXT.apiUrl + CONTEXT.organizationId + json)
          .digest('base64');
        expect(first.fingerprint?.hash).toBe(reqs.length ? sha : undefined);
      }),
      { numRuns: 200 },
    );
  });
});
