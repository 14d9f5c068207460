import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  FilterSyntaxError,
  type DirectoryGroup,
  type DirectorySnapshot,
  type DirectoryUser,
  type SyncCheckpoint,
} from '@bwdc/core';
import { CONTEXT, config, group, managed, snapshot, user } from './__fixtures__/helpers';
import { DuplicateEmailError } from './errors';
import { fingerprintOf } from './fingerprint';
import { buildPlan, isAcceptableEmail } from './plan';

const STARTED = new Date('2026-11-26T08:00:00.000Z');

function plan(
  snap: DirectorySnapshot,
  cfg: Partial<Record<string, unknown>> = {},
  checkpoint: SyncCheckpoint = {},
  mode: 'full' | 'incremental' = 'full',
) {
  return buildPlan({
    snapshot: snap,
    config: config(cfg),
    checkpoint,
    context: CONTEXT,
    mode,
    startedAt: STARTED,
  });
}

const emails = (p: ReturnType<typeof plan>) => p.users.map((u) => u.email);
const request = (p: ReturnType<typeof plan>) => p.requests[0]!;

describe('normalize', () => {
  it('trims and lower-cases emails', () => {
    const p = plan(snapshot([user('a', { email: '  Alice@Example.COM ' })], []));
    expect(request(p).members).toEqual([
      { email: 'alice@example.com', externalId: 'id-a', deleted: false },
    ]);
  });

  it('leaves out users without an email, with a warning naming the entry', () => {
    const p = plan(
      snapshot([user('a', { email: undefined }), user('b', { email: '   ' }), user('c')], []),
    );
    expect(emails(p)).toEqual(['c@example.com']);
    expect(p.leftOut.map((l) => [l.referenceId, l.reason])).toEqual([
      ['uid=a,ou=people,dc=example,dc=com', 'no-email'],
      ['uid=b,ou=people,dc=example,dc=com', 'no-email'],
    ]);
    expect(p.warnings).toContain(
      'User uid=a,ou=people,dc=example,dc=com (externalId id-a) has no email address; left out.',
    );
  });

  it('leaves out emails over 256 characters and emails the server rejects', () => {
    const long = `${'x'.repeat(250)}@example.com`;
    const p = plan(
      snapshot(
        [
          user('a', { email: long }),
          user('b', { email: 'no-at-sign' }),
          user('c', { email: 'a@b@c' }),
        ],
        [],
      ),
    );
    expect(p.users).toEqual([]);
    expect(p.leftOut.map((l) => l.reason)).toEqual([
      'email-too-long',
      'email-invalid',
      'email-invalid',
    ]);
    expect(p.warnings.every((w) => w.includes('uid='))).toBe(true);
  });

  it('leaves out users and groups without an externalId', () => {
    const p = plan(
      snapshot([user('a', { externalId: '' })], [group('g', [], [], { externalId: '' })]),
    );
    expect(p.leftOut.map((l) => [l.kind, l.reason])).toEqual([
      ['user', 'no-external-id'],
      ['group', 'no-external-id'],
    ]);
  });

  it('lists, without a warning, deleted entries that have no email', () => {
    const p = plan(snapshot([user('a', { deleted: true, email: undefined }), user('b')], []));
    expect(p.leftOut).toEqual([
      expect.objectContaining({ externalId: 'id-a', reason: 'no-email' }),
    ]);
    expect(p.warnings).toEqual([]);
  });

  it('sends a deleted user with no usable email under the email remembered for it', () => {
    const p = plan(
      snapshot([user('a', { deleted: true, email: undefined }), user('b')], []),
      {},
      { managedMembers: managed('a', 'b') },
    );
    expect(request(p).members).toContainEqual({
      email: 'a@example.com',
      externalId: 'id-a',
      deleted: true,
    });
  });

  it("accepts emails as .NET's [EmailAddress] does", () => {
    expect(isAcceptableEmail('a@b')).toBe(true);
    expect(['@b', 'a@', 'a@b@c', 'a\n@b', 'ab'].map(isAcceptableEmail)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('disabled and deleted users', () => {
  it('sends disabled users as members unless removeDisabled is on', () => {
    const snap = snapshot([user('a', { disabled: true })], []);
    expect(request(plan(snap)).members[0]!.deleted).toBe(false);
    const p = plan(snap, { removeDisabled: true });
    expect(request(p).members[0]!.deleted).toBe(true);
    expect(p.removed).toEqual([
      expect.objectContaining({
        externalId: 'id-a',
        reason: 'disabled',
        reasonText: 'disabled with removeDisabled',
      }),
    ]);
    expect(p.users[0]!.status).toBe('disabled');
  });

  it('sends users the directory reports deleted as deleted', () => {
    const p = plan(snapshot([user('a', { deleted: true })], []));
    expect(request(p).members[0]).toEqual({
      email: 'a@example.com',
      externalId: 'id-a',
      deleted: true,
    });
    expect(p.removed[0]!.reason).toBe('deleted-in-directory');
  });
});

describe('filters', () => {
  it('applies include and exclude user filters to normalized emails', () => {
    const users = [user('a'), user('b', { email: 'B@Example.com' }), user('c')];
    expect(
      emails(plan(snapshot(users, []), { userFilter: 'include:A@example.com, b@example.com' })),
    ).toEqual(['a@example.com', 'b@example.com']);
    const p = plan(snapshot(users, []), {
      userFilter: 'exclude:b@example.com|(objectClass=person)',
    });
    expect(emails(p)).toEqual(['a@example.com', 'c@example.com']);
    expect(p.leftOut).toEqual([
      expect.objectContaining({
        referenceId: 'uid=b,ou=people,dc=example,dc=com',
        reason: 'user-filter',
      }),
    ]);
  });

  it('applies the group filter to group names', () => {
    const p = plan(snapshot([user('a')], [group('Ops', ['a']), group('Dev', ['a'])]), {
      groupFilter: 'exclude:ops',
    });
    expect(p.groups.map((g) => g.name)).toEqual(['Dev']);
    expect(p.leftOut).toEqual([
      expect.objectContaining({ kind: 'group', label: 'Ops', reason: 'group-filter' }),
    ]);
  });

  it('with an include/exclude group filter, leaves out users in none of the kept groups', () => {
    const users = [
      user('a'),
      user('b'),
      user('c', { deleted: true }),
      user('d', { disabled: true }),
    ];
    const p = plan(snapshot(users, [group('Ops', ['a']), group('Dev', ['b', 'd'])]), {
      groupFilter: 'include:ops',
      removeDisabled: true,
    });
    // c is deleted and d disabled with removeDisabled: both still go through, as upstream.
    expect(p.users.map((u) => [u.email, u.deleted])).toEqual([
      ['a@example.com', false],
      ['c@example.com', true],
      ['d@example.com', true],
    ]);
    expect(p.leftOut).toContainEqual(
      expect.objectContaining({
        referenceId: 'uid=b,ou=people,dc=example,dc=com',
        reason: 'not-in-kept-group',
      }),
    );
  });

  it('counts users of nested groups the filter drops as members of the kept parent', () => {
    const p = plan(
      snapshot([user('a'), user('b')], [group('Eng', ['a'], ['Backend']), group('Backend', ['b'])]),
      { groupFilter: 'include:eng' },
    );
    expect(p.groups).toEqual([
      expect.objectContaining({ name: 'Eng', memberExternalIds: ['id-a', 'id-b'] }),
    ]);
    expect(emails(p)).toEqual(['a@example.com', 'b@example.com']);
  });

  it('does not filter users by groups when the group filter has no include/exclude clause', () => {
    const p = plan(snapshot([user('a'), user('b')], [group('Ops', ['a'])]), {
      groupFilter: '|(cn=ops)',
    });
    expect(emails(p)).toEqual(['a@example.com', 'b@example.com']);
  });

  it('leaves directory-specific clauses to the provider', () => {
    const p = plan(snapshot([user('a')], []), {
      userFilter: 'includeGroup:123|exclude:x@example.com',
    });
    expect(emails(p)).toEqual(['a@example.com']);
  });

  it('rejects a malformed filter by name', () => {
    expect(() => plan(snapshot([user('a')], []), { userFilter: 'inclde:a@example.com' })).toThrow(
      FilterSyntaxError,
    );
  });
});

describe('groups', () => {
  it('flattens nesting, including cycles', () => {
    const p = plan(
      snapshot(
        [user('a'), user('b'), user('c')],
        [group('A', ['a'], ['B']), group('B', ['b'], ['C']), group('C', ['c'], ['A'])],
      ),
    );
    expect(p.groups.map((g) => g.memberExternalIds)).toEqual([
      ['id-a', 'id-b', 'id-c'],
      ['id-a', 'id-b', 'id-c'],
      ['id-a', 'id-b', 'id-c'],
    ]);
  });

  it('drops from member lists the users the plan does not send as active, and keeps ids it never read', () => {
    const p = plan(
      snapshot(
        [user('a'), user('b', { email: undefined }), user('c', { deleted: true }), user('d')],
        [group('G', ['a', 'b', 'c', 'd', 'unknown'])],
      ),
      { userFilter: 'exclude:d@example.com' },
    );
    expect(p.groups[0]!.memberExternalIds).toEqual(['id-a', 'id-unknown']);
  });

  it('keeps member lists as read when users are not synced', () => {
    const p = plan(snapshot(undefined, [group('G', ['a', 'b'])]), { users: false });
    expect(request(p).groups).toEqual([
      { name: 'G', externalId: 'gid-G', memberExternalIds: ['id-a', 'id-b'] },
    ]);
    expect(request(p).members).toEqual([]);
  });

  it('warns about nested references that match no group read', () => {
    const p = plan(snapshot([user('a')], [group('G', ['a'], ['Ghost'])]));
    expect(p.warnings.join('\n')).toMatch(
      /Group cn=G,.* lists 1 nested group\(s\) that were not read: cn=Ghost/,
    );
  });

  it('leaves out groups without a name or with one over 100 characters, but keeps their users for parents', () => {
    const p = plan(
      snapshot(
        [user('a')],
        [group('Parent', [], ['x']), group('x', ['a'], [], { name: '' }), group('y'.repeat(101))],
      ),
    );
    expect(p.groups.map((g) => [g.name, g.memberExternalIds])).toEqual([['Parent', ['id-a']]]);
    expect(p.leftOut.map((l) => l.reason).sort()).toEqual([
      'group-name-missing',
      'group-name-too-long',
    ]);
  });

  it('sends groups read twice once', () => {
    const p = plan(snapshot([user('a')], [group('G', ['a']), group('G', ['a'])]));
    expect(p.groups).toHaveLength(1);
    expect(p.warnings).toEqual([]);
  });
});

describe('dedupe', () => {
  it('collapses identical duplicates', () => {
    const p = plan(snapshot([user('a'), user('a', { email: 'A@example.com ' })], []));
    expect(request(p).members).toHaveLength(1);
  });

  it('fails on two active entries with one email, naming every entry', () => {
    const users = [
      user('a', { email: 'same@example.com' }),
      user('b', { email: 'same@example.com' }),
      user('c', { email: 'SAME@example.com' }),
    ];
    let error: unknown;
    try {
      plan(snapshot(users, []));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DuplicateEmailError);
    const e = error as DuplicateEmailError;
    expect(e.code).toBe('DUPLICATE_EMAIL');
    expect(e.conflicts[0]!.entries.map((x) => x.referenceId)).toEqual([
      'uid=a,ou=people,dc=example,dc=com',
      'uid=b,ou=people,dc=example,dc=com',
      'uid=c,ou=people,dc=example,dc=com',
    ]);
    expect(e.message).toContain(
      'same@example.com is the email of: uid=a,ou=people,dc=example,dc=com (externalId id-a); uid=b',
    );
  });

  it('fails on one externalId with two emails', () => {
    expect(() =>
      plan(snapshot([user('a'), user('a', { email: 'other@example.com' })], [])),
    ).toThrow(/externalId id-a is used by/);
  });

  it("does not send a deleted entry sharing an active entry's email, in either order", () => {
    for (const users of [
      [
        user('old', { email: 'x@example.com', deleted: true }),
        user('new', { email: 'x@example.com' }),
      ],
      [
        user('new', { email: 'x@example.com' }),
        user('old', { email: 'x@example.com', deleted: true }),
      ],
    ]) {
      const p = plan(snapshot(users, []));
      expect(request(p).members).toEqual([
        { email: 'x@example.com', externalId: 'id-new', deleted: false },
      ]);
      expect(p.leftOut).toEqual([
        expect.objectContaining({ externalId: 'id-old', reason: 'tombstone' }),
      ]);
    }
  });

  it('sends every deleted-only duplicate', () => {
    const p = plan(
      snapshot(
        [
          user('a', { email: 'x@example.com', deleted: true }),
          user('b', { email: 'x@example.com', deleted: true }),
        ],
        [],
      ),
    );
    expect(request(p).members.map((m) => m.externalId)).toEqual(['id-a', 'id-b']);
  });
});

describe('removing users who left (removeMissingUsers)', () => {
  const cp = (...names: string[]): SyncCheckpoint => ({ managedMembers: managed(...names) });

  it('sends remembered members absent from a complete read as deleted, with their remembered email', () => {
    const p = plan(snapshot([user('a')], []), {}, cp('a', 'gone'));
    expect(request(p).members).toEqual([
      { email: 'a@example.com', externalId: 'id-a', deleted: false },
      { email: 'gone@example.com', externalId: 'id-gone', deleted: true },
    ]);
    expect(p.removed).toEqual([
      {
        externalId: 'id-gone',
        email: 'gone@example.com',
        reason: 'missing',
        reasonText: expect.stringMatching(/^gone from the directory/),
        wasManaged: true,
      },
    ]);
    expect(p.missingUsers.applied).toBe(true);
  });

  it('says why: excluded by a filter, disabled with removeDisabled, left out', () => {
    const users = [
      user('a'),
      user('f'),
      user('d', { disabled: true }),
      user('n', { email: undefined }),
    ];
    const p = plan(
      snapshot(users, []),
      { userFilter: 'exclude:f@example.com', removeDisabled: true },
      cp('a', 'f', 'd', 'n'),
    );
    expect(p.removed.map((r) => [r.externalId, r.reason])).toEqual([
      ['id-d', 'disabled'],
      ['id-f', 'filtered'],
      ['id-n', 'left-out'],
    ]);
    expect(p.users.find((u) => u.externalId === 'id-f')).toMatchObject({
      status: 'deleted',
      referenceId: undefined,
    });
  });

  it('counts users outside the kept groups as excluded by a filter', () => {
    const p = plan(
      snapshot([user('a'), user('b')], [group('Ops', ['a'])]),
      { groupFilter: 'include:ops' },
      cp('a', 'b'),
    );
    expect(p.removed).toEqual([
      expect.objectContaining({ externalId: 'id-b', reason: 'filtered' }),
    ]);
  });

  it('infers nothing from an incremental or partial read', () => {
    const p = plan(snapshot([user('a')], [], { complete: false }), {}, cp('a', 'b'), 'incremental');
    expect(request(p).members).toHaveLength(1);
    expect(p.missingUsers).toEqual({
      applied: false,
      reason: expect.stringMatching(/incremental or partial/),
    });
  });

  it('infers nothing from a read that returned no users, and warns', () => {
    const p = plan(snapshot([], []), {}, cp('a', 'b'));
    expect(p.requests).toEqual([]);
    expect(p.warnings.join('\n')).toMatch(/returned no users at all; no missing users are removed/);
  });

  it('infers nothing without a remembered member list, or with the setting off', () => {
    expect(plan(snapshot([user('a')], [])).removed).toEqual([]);
    const off = plan(snapshot([user('a')], []), { removeMissingUsers: false }, cp('a', 'b'));
    expect(off.removed).toEqual([]);
    expect(off.missingUsers.reason).toMatch(/removeMissingUsers is off/);
  });

  it('does not remove a remembered member whose email an active entry now has', () => {
    const p = plan(snapshot([user('new', { email: 'old@example.com' })], []), {}, cp('old'));
    expect(request(p).members).toEqual([
      { email: 'old@example.com', externalId: 'id-new', deleted: false },
    ]);
    expect(p.warnings.join('\n')).toMatch(/Not removing old@example.com/);
  });

  it('remembers the members sent as active, merging incremental reads into the last list', () => {
    expect(
      plan(snapshot([user('b'), user('a'), user('c', { deleted: true })], []), {}, {})
        .nextManagedMembers,
    ).toEqual(managed('a', 'b'));
    const inc = plan(
      snapshot([user('c'), user('a', { deleted: true })], [], { complete: false }),
      {},
      cp('a', 'b'),
      'incremental',
    );
    expect(inc.nextManagedMembers).toEqual(managed('b', 'c'));
    expect(plan(snapshot(undefined, []), { users: false }, cp('a')).nextManagedMembers).toEqual(
      managed('a'),
    );
  });
});

describe('safety guard', () => {
  const users = (n: number, from = 0) => Array.from({ length: n }, (_, i) => user(`u${i + from}`));
  const names = (n: number) => Array.from({ length: n }, (_, i) => `u${i}`);

  it('refuses a plan removing more than maxRemovalShare of the members the last sync left active', () => {
    const p = plan(snapshot(users(7), []), {}, { managedMembers: managed(...names(10)) });
    expect(p.guard).toMatchObject({
      refused: true,
      forceable: true,
      baseline: 10,
      share: 0.3,
      maxShare: 0.25,
    });
    expect(p.guard.removals.map((r) => r.externalId)).toEqual(['id-u7', 'id-u8', 'id-u9']);
    expect(p.guard.reason).toMatch(/remove 3 of the 10 members .*30%.*sync\.maxRemovalShare 25%/);
  });

  it('allows a share at the limit, and counts directory deletions too', () => {
    const snap = snapshot(
      [
        ...users(9),
        user('u9', { deleted: true }),
        user('u10', { deleted: true }),
        user('u11', { disabled: true }),
      ],
      [],
    );
    const p = plan(snap, { removeDisabled: true }, { managedMembers: managed(...names(12)) });
    expect(p.guard).toMatchObject({ refused: false, share: 0.25 });
    expect(p.guard.removals.map((r) => [r.externalId, r.reason])).toEqual([
      ['id-u10', 'deleted-in-directory'],
      ['id-u11', 'disabled'],
      ['id-u9', 'deleted-in-directory'],
    ]);
    expect(
      plan(
        snap,
        { removeDisabled: true, maxRemovalShare: 0.2 },
        { managedMembers: managed(...names(12)) },
      ).guard.refused,
    ).toBe(true);
  });

  it('does not count deletions of users that were not active last time', () => {
    const p = plan(
      snapshot(
        [
          ...users(10),
          user('x', { deleted: true }),
          user('y', { deleted: true }),
          user('z', { deleted: true }),
        ],
        [],
      ),
      {},
      {
        managedMembers: managed(...names(10)),
      },
    );
    expect(p.guard).toMatchObject({ refused: false, share: 0 });
  });

  it('does not check the share below removalGuardMinimum members', () => {
    const p = plan(snapshot(users(1), []), {}, { managedMembers: managed(...names(4)) });
    expect(p.guard.refused).toBe(false);
    expect(
      plan(
        snapshot(users(1), []),
        { removalGuardMinimum: 4 },
        { managedMembers: managed(...names(4)) },
      ).guard.refused,
    ).toBe(true);
  });

  it('counts members overwriteExisting would drop even when removeMissingUsers is off', () => {
    const p = plan(
      snapshot(users(5), []),
      { overwriteExisting: true, removeMissingUsers: false },
      { managedMembers: managed(...names(10)) },
    );
    expect(p.guard).toMatchObject({ refused: true, share: 0.5 });
    expect(p.guard.removals[0]!.reason).toBe('overwrite');
  });

  it('never allows overwriteExisting with an empty member list, not even forced', () => {
    for (const snap of [
      snapshot([], []),
      snapshot([user('a', { email: undefined })], []),
      snapshot(undefined, [group('G')]),
    ]) {
      const p = plan(snap, { overwriteExisting: true, users: snap.users !== undefined });
      expect(p.guard).toMatchObject({ refused: true, forceable: false });
      expect(p.guard.reason).toMatch(/empty member list/);
    }
  });

  it('does not refuse a plan identical to the last successful one', () => {
    const snap = snapshot(users(7), []);
    const first = plan(snap, {}, { managedMembers: managed(...names(10)) });
    const again = plan(
      snap,
      {},
      { managedMembers: managed(...names(10)), lastSyncHash: first.fingerprint!.hash },
    );
    expect(again.unchanged).toBe(true);
    expect(again.guard.refused).toBe(false);
  });
});

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
