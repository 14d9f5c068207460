import { FilterSyntaxError } from '@bwdc/core';
import { emails, group, plan, snapshot, user } from './__fixtures__/helpers';

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
