import fc from 'fast-check';
import { isAcceptableEmail } from './admit';
import { DuplicateEmailError } from './errors';
import { toTestResponse } from './test-response';
import { tombstoneEmail } from './leavers';
import { emails, group, managed, plan, request, snapshot, user } from './__fixtures__/helpers';

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
    // Each entry's warning names it (the read summary first, about the empty group read, does not).
    expect(p.warnings.slice(p.summaryWarnings).every((w) => w.includes('uid='))).toBe(true);
    expect(p.summaryWarnings).toBe(1);
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

  // Changed on purpose (issue 15): such an entry used to be left out, so a member the official
  // connector had added kept access after the directory deleted them.
  it('sends a deleted entry without an email (an AD tombstone) as deleted by its externalId', () => {
    const p = plan(
      snapshot(
        [
          user('a', { deleted: true, email: undefined }),
          user('c', { deleted: true, email: 'not-an-email' }),
          user('b'),
        ],
        [group('G', ['a', 'b'])],
      ),
    );
    expect(request(p).members).toEqual([
      { email: tombstoneEmail('id-a'), externalId: 'id-a', deleted: true },
      { email: 'b@example.com', externalId: 'id-b', deleted: false },
      { email: tombstoneEmail('id-c'), externalId: 'id-c', deleted: true },
    ]);
    // A placeholder no server can match to a person (Vaultwarden needs some email), the same
    // every run so the fingerprint stays stable, and distinct per member.
    expect(tombstoneEmail('id-a')).toMatch(/^[0-9a-f]{32}@tombstone\.invalid$/);
    expect(tombstoneEmail('id-a')).toBe(tombstoneEmail('id-a'));
    expect(tombstoneEmail('id-a')).not.toBe(tombstoneEmail('id-c'));
    expect(isAcceptableEmail(tombstoneEmail('id-a'))).toBe(true);
    expect(request(p).groups[0]!.memberExternalIds).toEqual(['id-b']);
    expect(p.leftOut).toEqual([]);
    expect(p.warnings).toEqual([]);
    expect(p.users[0]).toMatchObject({ externalId: 'id-a', email: undefined, status: 'deleted' });
    expect(p.removed[0]).toMatchObject({ externalId: 'id-a', reason: 'deleted-in-directory' });
    expect(toTestResponse(p).deletedUsers).toEqual([
      { externalId: 'id-a', displayName: 'uid=a,ou=people,dc=example,dc=com' },
      { externalId: 'id-c', displayName: 'uid=c,ou=people,dc=example,dc=com' },
    ]);
  });

  it('never sends a user without an email unless the directory reports them deleted', () => {
    const p = plan(
      snapshot(
        [
          user('a', { email: undefined }),
          user('b', { disabled: true, email: undefined }),
          user('c', { disabled: true, email: 'bad' }),
        ],
        [],
      ),
      { removeDisabled: true },
    );
    expect(p.requests).toEqual([]);
    expect(p.leftOut.map((l) => [l.externalId, l.reason])).toEqual([
      ['id-a', 'no-email'],
      ['id-b', 'no-email'],
      ['id-c', 'email-invalid'],
    ]);
  });

  it('keeps an include filter from matching a deleted entry without an email', () => {
    const p = plan(snapshot([user('a', { deleted: true, email: undefined })], []), {
      userFilter: 'include:a@example.com',
    });
    expect(p.requests).toEqual([]);
    expect(p.leftOut).toEqual([
      expect.objectContaining({ externalId: 'id-a', reason: 'user-filter' }),
    ]);
  });

  it('does not remember a deleted entry without an email, nor let it clash with others', () => {
    const p = plan(
      snapshot(
        [
          user('a', { deleted: true, email: undefined }),
          user('b', { deleted: true, email: undefined }),
          user('a2', { externalId: 'id-a', email: 'a@example.com' }),
        ],
        [],
      ),
    );
    // The active entry with the same externalId wins; the other tombstone is sent on its own.
    expect(request(p).members).toEqual([
      { email: 'a@example.com', externalId: 'id-a', deleted: false },
      { email: tombstoneEmail('id-b'), externalId: 'id-b', deleted: true },
    ]);
    expect(p.nextManagedMembers).toEqual([{ externalId: 'id-a', email: 'a@example.com' }]);
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

describe('the email rule, whatever the directory holds', () => {
  it('sends every active member with a valid email, and without one only users the directory deleted', () => {
    const arbUser = fc.record({
      n: fc.integer({ min: 0, max: 20 }),
      disabled: fc.boolean(),
      deleted: fc.boolean(),
      email: fc.constantFrom(undefined, '', 'bad', 'a@b@c', ' Ok@Example.com', 'x@y'),
    });
    fc.assert(
      fc.property(
        fc.array(arbUser, { maxLength: 25 }),
        fc.boolean(),
        fc.boolean(),
        (entries, removeDisabled, remember) => {
          const users = entries.map((e) =>
            user(`p${e.n}`, {
              disabled: e.disabled,
              deleted: e.deleted,
              email: e.email === undefined ? undefined : e.email.replace('@', `${e.n}@`),
            }),
          );
          const deletedIds = new Set(users.filter((u) => u.deleted).map((u) => u.externalId));
          let p;
          try {
            p = plan(
              snapshot(users, []),
              { removeDisabled },
              remember ? { managedMembers: managed('p1', 'p2') } : {},
            );
          } catch (error) {
            if (error instanceof DuplicateEmailError) return;
            throw error;
          }
          for (const r of p.requests) {
            for (const m of r.members) {
              if (!m.deleted) expect(isAcceptableEmail(m.email ?? '')).toBe(true);
              if (m.email === undefined) {
                expect(m.deleted).toBe(true);
                expect(deletedIds.has(m.externalId)).toBe(true);
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
