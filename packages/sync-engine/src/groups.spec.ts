import { group, plan, request, snapshot, user } from './__fixtures__/helpers';

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
