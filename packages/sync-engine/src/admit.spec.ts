import { isAcceptableEmail } from './admit';
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
