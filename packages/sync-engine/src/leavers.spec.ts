import type { SyncCheckpoint } from '@bwdc/core';
import { group, managed, plan, request, snapshot, user } from './__fixtures__/helpers';

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
