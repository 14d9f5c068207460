import { FilterSyntaxError } from '@bwdc/core';
import { OFFICIAL_FILTER_SYNTAX, type FilterSyntax } from '@bwdc/directory-provider';
import { NATIVE_SYNTAX, emails, group, plan, snapshot, user } from './__fixtures__/helpers';

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

  it('leaves directory-specific clauses to the provider, by the keywords it declares', () => {
    const entraLike: FilterSyntax = {
      ...OFFICIAL_FILTER_SYNTAX,
      userKeywords: ['include', 'exclude', 'includeGroup'],
    };
    const filter = { userFilter: 'includeGroup:123|exclude:x@example.com' };
    expect(emails(plan(snapshot([user('a')], []), filter, {}, 'full', entraLike))).toEqual([
      'a@example.com',
    ]);
    // A directory that does not know the keyword refuses it.
    expect(() => plan(snapshot([user('a')], []), filter)).toThrow('unknown keyword "includeGroup"');
  });

  it('leaves an LDAP filter to the provider whole, OR filters included', () => {
    const p = plan(
      snapshot([user('a'), user('b')], [group('Ops', ['a'])]),
      {
        userFilter: '(|(memberOf=cn=a,dc=x)(memberOf=cn=b,dc=x))',
        groupFilter: '(&(objectClass=group)(cn=*Ops*))',
      },
      {},
      'full',
      NATIVE_SYNTAX,
    );
    expect(emails(p)).toEqual(['a@example.com', 'b@example.com']);
    expect(p.groups.map((g) => g.name)).toEqual(['Ops']);
    expect(p.leftOut).toEqual([]);
  });

  it('applies an include/exclude clause at the start of an LDAP filter', () => {
    const p = plan(
      snapshot([user('a'), user('b')], []),
      { userFilter: 'exclude:b@example.com|(|(cn=a)(cn=b))' },
      {},
      'full',
      NATIVE_SYNTAX,
    );
    expect(emails(p)).toEqual(['a@example.com']);
  });

  it('rejects a malformed filter by name', () => {
    expect(() => plan(snapshot([user('a')], []), { userFilter: 'inclde:a@example.com' })).toThrow(
      FilterSyntaxError,
    );
  });
});
