import { group, managed, plan, snapshot, user } from './__fixtures__/helpers';

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
