import { MemberStatus, MemberType } from '@bwdc/core';
import { config, group, managed, plan, snapshot, user } from './__fixtures__/helpers';
import { SafetyLimitError } from './errors';
import { reviewWithOrganization } from './guard';
import type { OrganizationState } from './organization';

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

describe('membership guard', () => {
  const users = (n: number) => Array.from({ length: n }, (_, i) => user(`u${i}`));
  const names = (n: number) => Array.from({ length: n }, (_, i) => `u${i}`);
  const staff = (n: number) => group('Staff', names(n));
  const sales = (n: number) => group('Sales', names(n));

  it('refuses a read with groups but no users when the groups had members, naming each group', () => {
    // As LDAP reads it with a wrong user object class: the groups' member DNs match no user read.
    const p = plan(
      snapshot([], [group('Staff'), group('Sales')]),
      {},
      {
        managedMembers: managed(...names(12)),
        groupMemberCounts: { 'gid-Staff': 12, 'gid-Sales': 3 },
      },
    );
    // No member is removed (an empty read removes nobody), yet every group would be emptied.
    expect(p.guard.removals).toEqual([]);
    expect(p.guard).toMatchObject({ refused: true, forceable: true, check: 'no-users' });
    expect(p.guard.reason).toMatch(
      /returned groups but no users, so 2 group\(s\) that had members would be sent empty: Staff \(12 -> 0\), Sales \(3 -> 0\)\..*sync\.userObjectClass/,
    );
    expect(p.guard.groupLosses).toEqual([
      {
        externalId: 'gid-Staff',
        name: 'Staff',
        before: 12,
        after: 0,
        lost: 12,
        source: 'last-sync',
      },
      { externalId: 'gid-Sales', name: 'Sales', before: 3, after: 0, lost: 3, source: 'last-sync' },
    ]);
    expect(p.guard.memberships).toEqual({ before: 15, lost: 15, share: 1 });
  });

  it('refuses a group emptied while its members stay in the organization (a filter typo)', () => {
    const p = plan(
      snapshot(users(12), [staff(12), group('Admins', ['u0', 'u1'])]),
      { removeMissingUsers: false, userFilter: 'exclude:u0@example.com,u1@example.com' },
      {
        managedMembers: managed(...names(12)),
        groupMemberCounts: { 'gid-Staff': 12, 'gid-Admins': 2 },
      },
    );
    expect(p.guard).toMatchObject({ refused: true, check: 'emptied-groups' });
    expect(p.guard.reason).toMatch(/leave 1 group\(s\) that had members empty: Admins \(2 -> 0\)/);
  });

  it('lets a group go empty when its last member leaves the organization in the same sync', () => {
    const p = plan(
      snapshot(users(11), [staff(11), group('Solo', [])]),
      {},
      {
        managedMembers: managed(...names(12)),
        groupMemberCounts: { 'gid-Staff': 12, 'gid-Solo': 1 },
      },
    );
    expect(p.guard.removals.map((r) => r.externalId)).toEqual(['id-u11']);
    expect(p.guard.groupLosses.map((g) => [g.name, g.lost])).toEqual([
      ['Solo', 1],
      ['Staff', 1],
    ]);
    expect(p.guard.refused).toBe(false);
  });

  it('refuses more than maxRemovalShare of the memberships sent, from removalGuardMinimum on', () => {
    const checkpoint = { groupMemberCounts: { 'gid-Staff': 12, 'gid-Sales': 8 } };
    // 20 memberships before; Staff loses 6 (people moved out of it, not out of the organization).
    const read = snapshot(users(12), [staff(6), sales(8)]);
    const p = plan(read, { removeMissingUsers: false }, checkpoint);
    expect(p.guard).toMatchObject({
      refused: true,
      check: 'memberships',
      memberships: { before: 20, lost: 6, share: 0.3 },
    });
    expect(p.guard.reason).toMatch(/take 6 of the 20 group memberships .*30%.*Staff \(12 -> 6\)/);
    expect(plan(read, { maxRemovalShare: 0.3 }, checkpoint).guard.refused).toBe(false);
    expect(plan(read, { removalGuardMinimum: 21 }, checkpoint).guard.refused).toBe(false);
  });

  it('does not judge groups the last sync did not record, nor an unchanged plan', () => {
    const read = snapshot([], [group('Staff')]);
    expect(plan(read).guard).toMatchObject({ refused: false, groupLosses: [] });
    const first = plan(read, {}, { groupMemberCounts: { 'gid-Staff': 12 } });
    expect(first.guard.refused).toBe(true);
    const again = plan(
      read,
      {},
      { groupMemberCounts: { 'gid-Staff': 12 }, lastSyncHash: first.fingerprint!.hash },
    );
    expect(again.unchanged).toBe(true);
    expect(again.guard.refused).toBe(false);
  });
});

describe('the guard with the organization read', () => {
  const users = (n: number) => Array.from({ length: n }, (_, i) => user(`u${i}`));
  const member = (i: number, extra: Partial<{ type: number; externalId: string | null }> = {}) => ({
    id: `m${i}`,
    email: `u${i}@example.com`,
    externalId: extra.externalId === undefined ? `id-u${i}` : extra.externalId,
    status: MemberStatus.Confirmed,
    type: extra.type ?? MemberType.User,
  });
  const org = (n: number): OrganizationState => ({
    members: [
      member(999, { externalId: null, type: MemberType.Owner }),
      member(998, { type: MemberType.Owner }),
      ...Array.from({ length: n }, (_, i) => member(i)),
    ],
    groups: [],
  });

  it('counts overwriteExisting against the organization: a fresh folder, 100 members, 1 user read', () => {
    const p = plan(snapshot(users(1), []), { overwriteExisting: true });
    // From the folder's own record nothing is lost: it never synced.
    expect(p.guard.refused).toBe(false);
    const reviewed = reviewWithOrganization(
      p,
      config({ overwriteExisting: true }),
      undefined,
      org(100),
      undefined,
    );
    expect(reviewed).toMatchObject({
      refused: true,
      forceable: true,
      check: 'overwrite',
      overwriteBase: 100,
    });
    expect(reviewed.removals).toHaveLength(99);
    expect(reviewed.removals.every((r) => r.reason === 'overwrite')).toBe(true);
    // The Owner with an externalId is never removed, so it is neither counted nor listed.
    expect(reviewed.removals.some((r) => r.externalId === 'id-u998')).toBe(false);
    expect(reviewed.reason).toMatch(
      /remove 99 of the organization's 100 members with an externalId \(99%/,
    );
  });

  it('lets overwriteExisting through when the organization holds only what the directory lists', () => {
    const p = plan(snapshot(users(20), []), { overwriteExisting: true });
    const reviewed = reviewWithOrganization(
      p,
      config({ overwriteExisting: true }),
      undefined,
      org(20),
      undefined,
    );
    expect(reviewed).toMatchObject({ refused: false, removals: [], overwriteBase: 20 });
  });

  it('refuses overwriteExisting, forceably, when the organization cannot be read', () => {
    const p = plan(snapshot(users(3), []), { overwriteExisting: true });
    const reviewed = reviewWithOrganization(
      p,
      config({ overwriteExisting: true }),
      undefined,
      undefined,
      'This Bitwarden server does not offer GET /public/members.',
    );
    expect(reviewed).toMatchObject({ refused: true, forceable: true, check: 'overwrite-unread' });
    expect(reviewed.reason).toMatch(
      /does not offer GET \/public\/members\)\. With it, the server removes every member/,
    );
    // Without overwriteExisting an unreadable organization changes nothing.
    const plain = plan(snapshot(users(3), []));
    expect(reviewWithOrganization(plain, config(), undefined, undefined, 'down').refused).toBe(
      false,
    );
  });

  it('compares a group the last sync did not record with its members in the organization', () => {
    const state: OrganizationState = {
      ...org(12),
      groups: [
        {
          id: 'g1',
          name: 'Staff',
          externalId: 'gid-Staff',
          memberIds: Array.from({ length: 12 }, (_, i) => `m${i}`),
        },
      ],
    };
    const p = plan(snapshot([], [group('Staff', [])]));
    const reviewed = reviewWithOrganization(p, config(), undefined, state, undefined);
    expect(reviewed).toMatchObject({ refused: true, check: 'no-users' });
    expect(reviewed.groupLosses).toEqual([
      {
        externalId: 'gid-Staff',
        name: 'Staff',
        before: 12,
        after: 0,
        lost: 12,
        source: 'organization',
      },
    ]);
  });
});

describe('SafetyLimitError', () => {
  it('lists the members and the groups, and says how to go ahead', () => {
    const error = new SafetyLimitError('Refusing to sync.', [], true, [
      { externalId: 'g', name: 'Staff', before: 12, after: 0, lost: 12, source: 'last-sync' },
    ]);
    expect(error.message).toBe(
      'Refusing to sync.\nIt would take members out of these groups (1):\n  Staff: 12 of 12 member(s) (left empty)\n' +
        'Nothing was sent. If this is intended, run `bwdc sync --force` to go ahead on purpose.',
    );
  });
});
