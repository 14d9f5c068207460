import { DuplicateEmailError } from './errors';
import { plan, request, snapshot, user } from './__fixtures__/helpers';

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
