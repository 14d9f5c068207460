import { EventType, MemberStatus, MemberType } from '../src/index';
import { body, emails, group, importBody, member, start, stopAll } from './helpers';

afterEach(stopAll);

const bad = (message: string) => ({ object: 'error', message, errors: null });
const eventTypes = (e: { events: readonly { type: number }[] }) => e.events.map((x) => x.type);

describe('§3.0 preconditions and matching', () => {
  it('§3.0 an organization without UseDirectory: 400 "Organization cannot use directory syncing."', async () => {
    const e = await start();
    e.setOrganization({ useDirectory: false });
    const reply = await importBody(e, body({ members: [member('u1')] }));
    expect([reply.status, reply.json]).toEqual([
      400,
      bad('Organization cannot use directory syncing.'),
    ]);
  });

  it('§3.0 revoked and staged members are loaded and matched by externalId (not re-invited)', async () => {
    const e = await start();
    e.seed([
      { email: 'rev@example.com', externalId: 'u-rev', status: MemberStatus.Revoked },
      { email: 'stg@example.com', externalId: 'u-stg', status: MemberStatus.Staged },
    ]);
    await importBody(
      e,
      body({ members: [member('u-rev', 'rev@example.com'), member('u-stg', 'stg@example.com')] }),
    );
    expect(e.org.members()).toHaveLength(3);
    expect(e.invites).toEqual([]);
  });

  it('§3.0 externalId matching is ordinal and case-sensitive; imported emails are lower-cased', async () => {
    const e = await start();
    e.seed([{ email: 'old@example.com', externalId: 'U-1' }]);
    await importBody(
      e,
      body({ members: [member('u-1', 'Old@Example.com'), member('u-2', 'New@Example.COM')] }),
    );
    // "u-1" is not "U-1"; the email is already known, so nothing is linked or invited for it.
    expect(e.org.member('old@example.com')?.externalId).toBe('U-1');
    expect(e.org.member('new@example.com')).toMatchObject({
      email: 'new@example.com',
      externalId: 'u-2',
    });
    expect(e.org.members()).toHaveLength(3);
  });
});

describe('§3 one import in several requests', () => {
  it('§3 each request matches against the organization as the requests before it left it', async () => {
    const e = await start();
    e.seed([{ email: 'a@example.com', externalId: 'a' }, { email: 'b@example.com' }]);
    await importBody(e, body({ members: [member('a'), member('c')] }));
    // b is linked by email, c found by the externalId the request before gave it.
    await importBody(
      e,
      body({ members: [member('b')], groups: [group('g', 'G', ['a', 'b', 'c'])] }),
    );
    expect([...e.org.groups()[0]!.memberEmails].sort()).toEqual([
      'a@example.com',
      'b@example.com',
      'c@example.com',
    ]);
    await importBody(e, body({ members: [member('a', undefined, true)] }));
    await importBody(e, body({ groups: [group('g', 'G', ['a', 'b', 'c'])] }));
    expect([...e.org.groups()[0]!.memberEmails].sort()).toEqual(['b@example.com', 'c@example.com']);
    expect(e.invites).toEqual(['c@example.com']);
    // A member given an ExternalId another member has (by hand) fails every import from then on.
    e.seed([{ email: 'twin@example.com', externalId: 'c' }]);
    expect((await importBody(e, body({ members: [member('d')] }))).status).toBe(500);
    expect((await importBody(e, body({ members: [member('e')] }))).status).toBe(500);
  });
});

describe('§3.1 deleted=true', () => {
  it('§3.1 hard-deletes matched Admin, Custom and User members in any status, with event 1503; Owners stay', async () => {
    const e = await start();
    e.seed([
      { email: 'admin@example.com', externalId: 'a', type: MemberType.Admin },
      {
        email: 'custom@example.com',
        externalId: 'c',
        type: MemberType.Custom,
        status: MemberStatus.Revoked,
      },
      { email: 'user@example.com', externalId: 'u', status: MemberStatus.Invited },
      { email: 'boss@example.com', externalId: 'o', type: MemberType.Owner },
    ]);
    const reply = await importBody(
      e,
      body({
        members: ['a', 'c', 'u', 'o'].map((id) => ({
          externalId: id,
          email: 'ignored@x',
          deleted: true,
        })),
      }),
    );
    expect(reply.status).toBe(200);
    expect(emails(e)).toEqual(['boss@example.com', 'owner@example.com']);
    expect(eventTypes(e)).toEqual([
      EventType.OrganizationUserRemoved,
      EventType.OrganizationUserRemoved,
      EventType.OrganizationUserRemoved,
    ]);
  });

  it('§3.1 an externalId also present as a non-deleted member is not deleted', async () => {
    const e = await start();
    e.seed([{ email: 'u@example.com', externalId: 'u' }]);
    await importBody(
      e,
      body({ members: [member('u', 'u@example.com'), member('u', 'u@example.com', true)] }),
    );
    expect(e.org.member('u@example.com')).toBeDefined();
  });

  it('§3.1 a deleted member sent without an email (no email key, null, or a placeholder) is removed by externalId', async () => {
    const e = await start();
    e.seed([
      { email: 'gone@example.com', externalId: 'tomb-1' },
      { email: 'also@example.com', externalId: 'tomb-2' },
      { email: 'third@example.com', externalId: 'tomb-3' },
    ]);
    const reply = await importBody(
      e,
      body({
        members: [
          { externalId: 'tomb-1', deleted: true },
          { externalId: 'tomb-2', email: null, deleted: true },
          { externalId: 'tomb-3', email: '0123456789abcdef@tombstone.invalid', deleted: true },
        ],
      }),
    );
    expect(reply.status).toBe(200);
    expect(emails(e)).toEqual(['owner@example.com']);
    expect(eventTypes(e)).toEqual([
      EventType.OrganizationUserRemoved,
      EventType.OrganizationUserRemoved,
      EventType.OrganizationUserRemoved,
    ]);
  });

  it('§3.1 an unknown deleted externalId is ignored', async () => {
    const e = await start();
    expect(
      (await importBody(e, body({ members: [member('nobody', undefined, true)] }))).status,
    ).toBe(200);
    expect(e.org.members()).toHaveLength(1);
  });
});

describe('§3.2 overwriteExisting', () => {
  it('§3.2 removes external non-Owners missing from the import; members without externalId and Owners stay', async () => {
    const e = await start();
    e.seed([
      { email: 'keep@example.com', externalId: 'keep' },
      { email: 'gone@example.com', externalId: 'gone' },
      { email: 'manual@example.com' },
      { email: 'extowner@example.com', externalId: 'eo', type: MemberType.Owner },
    ]);
    const reply = await importBody(
      e,
      body({ members: [member('keep', 'keep@example.com')], overwriteExisting: true }),
    );
    expect(reply.status).toBe(200);
    expect(emails(e)).toEqual([
      'extowner@example.com',
      'keep@example.com',
      'manual@example.com',
      'owner@example.com',
    ]);
    expect(eventTypes(e)).toEqual([EventType.OrganizationUserRemoved]);
  });

  it('§3.2 master-password guard: a target without a master password (e.g. still Invited) fails the request, step-1 removals stay', async () => {
    const e = await start();
    e.seed([
      { email: 'invited@example.com', externalId: 'inv', status: MemberStatus.Invited },
      { email: 'leaver@example.com', externalId: 'leaver' },
      { email: 'other@example.com', externalId: 'other' },
    ]);
    const reply = await importBody(
      e,
      body({ members: [member('leaver', undefined, true)], overwriteExisting: true }),
    );
    expect([reply.status, reply.json]).toEqual([
      400,
      bad(
        "Sync failed. To proceed, disable the 'Remove and re-add users during next sync' setting and try again.",
      ),
    ]);
    expect(emails(e)).toEqual(['invited@example.com', 'other@example.com', 'owner@example.com']);
  });
});

describe('§3.3 link by email', () => {
  it('§3.3 a member without externalId whose email matches gets the externalId: no invite, no event', async () => {
    const e = await start();
    e.seed([{ email: 'manual@example.com' }]);
    await importBody(e, body({ members: [member('m-1', 'MANUAL@example.com')] }));
    expect(e.org.member('manual@example.com')).toMatchObject({
      externalId: 'm-1',
      status: MemberStatus.Confirmed,
    });
    expect(e.invites).toEqual([]);
    expect(e.events).toEqual([]);
  });

  it('§3.3 external members are matched only by externalId: email and status never change, revoked stay revoked', async () => {
    const e = await start();
    e.seed([{ email: 'before@example.com', externalId: 'x', status: MemberStatus.Revoked }]);
    await importBody(e, body({ members: [member('x', 'after@example.com')] }));
    expect(e.org.member('before@example.com')).toMatchObject({
      externalId: 'x',
      status: MemberStatus.Revoked,
    });
    expect(e.org.member('after@example.com')).toBeUndefined();
  });
});

describe('§3.4 new users', () => {
  it('§3.4 new members are Invited Users with the lower-cased email, an invite mail and event 1500', async () => {
    const e = await start();
    await importBody(e, body({ members: [member('n1', 'New.One@Example.com')] }));
    expect(e.org.member('new.one@example.com')).toMatchObject({
      email: 'new.one@example.com',
      externalId: 'n1',
      status: MemberStatus.Invited,
      type: MemberType.User,
      userId: null,
    });
    expect(e.invites).toEqual(['new.one@example.com']);
    expect(eventTypes(e)).toEqual([EventType.OrganizationUserInvited]);
  });

  it('§3.4 with the staged-status flag and inviteUsersAfterProvisioning=false, members are Staged: no seat check, no mail, event 1523', async () => {
    const e = await start({ stagedStatus: true, seats: 1 });
    expect((await importBody(e, body({ members: [member('s1'), member('s2')] }))).status).toBe(200);
    expect(e.org.members().filter((m) => m.status === MemberStatus.Staged)).toHaveLength(2);
    expect(e.invites).toEqual([]);
    expect(eventTypes(e)).toEqual([
      EventType.OrganizationUserStaged,
      EventType.OrganizationUserStaged,
    ]);
  });

  it('§3.4 an email already in the organization is skipped silently: no mapping and no group membership', async () => {
    const e = await start();
    e.seed([{ email: 'taken@example.com', externalId: 'other-id' }]);
    const reply = await importBody(
      e,
      body({ members: [member('t1', 'taken@example.com')], groups: [group('g', 'G', ['t1'])] }),
    );
    expect(reply.status).toBe(200);
    expect(e.org.member('taken@example.com')).toMatchObject({ externalId: 'other-id', groups: [] });
    expect(e.org.groups()[0]!.memberEmails).toEqual([]);
  });

  it('§3.4 seats (cloud): beyond the autoscale cap, 400 "Seat limit has been reached."', async () => {
    const e = await start({ seats: 2 });
    const reply = await importBody(e, body({ members: [member('a'), member('b')] }));
    expect([reply.status, reply.json]).toEqual([400, bad('Seat limit has been reached.')]);
    expect(e.org.members()).toHaveLength(1);
  });

  it('§3.4 seats (cloud): without a cap seats autoscale', async () => {
    const e = await start({ seats: 2 });
    e.setMaxAutoscaleSeats(null);
    expect(
      (await importBody(e, body({ members: [member('a'), member('b'), member('c')] }))).status,
    ).toBe(200);
    expect(e.org.seats()).toBe(4);
  });

  it('§3.4 seats (self-hosted): 400 "Cannot autoscale on self-hosted instance."', async () => {
    const e = await start({ mode: 'selfhosted', seats: 2 });
    const reply = await importBody(e, body({ members: [member('a'), member('b')] }));
    expect([reply.status, reply.json]).toEqual([
      400,
      bad('Cannot autoscale on self-hosted instance.'),
    ]);
  });

  it('§3.4 seats: occupied seats count Invited, Accepted and Confirmed, not Revoked or Staged', async () => {
    const e = await start({ seats: 3 });
    e.seed([
      { email: 'r@example.com', externalId: 'r', status: MemberStatus.Revoked },
      { email: 's@example.com', externalId: 's', status: MemberStatus.Staged },
      { email: 'i@example.com', externalId: 'i', status: MemberStatus.Invited },
    ]);
    expect((await importBody(e, body({ members: [member('new')] }))).status).toBe(200);
    expect((await importBody(e, body({ members: [member('new2')] }))).status).toBe(400);
  });

  it('§3.4 invites need a confirmed owner: 400 "Organization must have at least one confirmed owner."', async () => {
    const e = await start({ withOwner: false });
    const reply = await importBody(e, body({ members: [member('a')] }));
    expect([reply.status, reply.json]).toEqual([
      400,
      bad('Organization must have at least one confirmed owner.'),
    ]);
  });
});

describe('§3.5 groups', () => {
  it('§3.5 without UseGroups: 400 "Organization cannot use groups." after the user changes were applied', async () => {
    const e = await start();
    e.setOrganization({ useGroups: false });
    const reply = await importBody(
      e,
      body({ members: [member('a')], groups: [group('g', 'G', ['a'])] }),
    );
    expect([reply.status, reply.json]).toEqual([400, bad('Organization cannot use groups.')]);
    expect(e.org.member('a@example.com')).toBeDefined();
  });

  it('§3.5 an unknown group externalId creates the group, with event 1400', async () => {
    const e = await start();
    await importBody(e, body({ members: [member('a')], groups: [group('g', 'Group', ['a'])] }));
    expect(e.org.groups()).toEqual([
      expect.objectContaining({ name: 'Group', externalId: 'g', memberEmails: ['a@example.com'] }),
    ]);
    expect(eventTypes(e)).toContain(EventType.GroupCreated);
  });

  it('§3.5 a matched group is renamed, and event 1401 is logged for every matched group even when unchanged', async () => {
    const e = await start();
    e.seedGroups([
      { name: 'Old name', externalId: 'g1' },
      { name: 'Same', externalId: 'g2' },
    ]);
    await importBody(e, body({ groups: [group('g1', 'New name', []), group('g2', 'Same', [])] }));
    expect(e.org.groups().map((g) => g.name)).toEqual(['New name', 'Same']);
    expect(eventTypes(e)).toEqual([EventType.GroupUpdated, EventType.GroupUpdated]);
  });

  it('§3.5 membership becomes exactly the mapped externalIds: unknown ids dropped, hand-added members removed', async () => {
    const e = await start();
    e.seed([{ email: 'manual@example.com' }, { email: 'x@example.com', externalId: 'x' }]);
    e.seedGroups([{ name: 'G', externalId: 'g', members: ['manual@example.com'] }]);
    await importBody(
      e,
      body({ members: [member('x', 'x@example.com')], groups: [group('g', 'G', ['x', 'ghost'])] }),
    );
    expect(e.org.groups()[0]!.memberEmails).toEqual(['x@example.com']);
  });

  it('§3.5 groups missing from the import, or without externalId, are never deleted or changed, even with overwrite', async () => {
    const e = await start();
    e.seed([{ email: 'm@example.com', externalId: 'm' }]);
    e.seedGroups([
      { name: 'Not imported', externalId: 'old', members: ['m@example.com'] },
      { name: 'Manual', members: ['m@example.com'] },
    ]);
    await importBody(
      e,
      body({
        members: [member('m', 'm@example.com')],
        groups: [group('new', 'New', [])],
        overwriteExisting: true,
      }),
    );
    expect(e.org.groups().map((g) => [g.name, g.memberEmails])).toEqual([
      ['Not imported', ['m@example.com']],
      ['Manual', ['m@example.com']],
      ['New', []],
    ]);
  });
});

describe('§3.6 events and transactions', () => {
  it('§3.6 every event is logged as system user PublicApi (3)', async () => {
    const e = await start();
    await importBody(e, body({ members: [member('a')], groups: [group('g', 'G', ['a'])] }));
    expect(e.events.length).toBeGreaterThan(0);
    expect(e.events.every((x) => x.systemUser === 3)).toBe(true);
  });

  it('§3 steps are not transactional: deletions persist when a later step throws', async () => {
    const e = await start();
    e.seed([{ email: 'leaver@example.com', externalId: 'leaver' }]);
    const reply = await importBody(
      e,
      body({
        members: [
          member('leaver', undefined, true),
          member('d1', 'dup@example.com'),
          member('d2', 'dup@example.com'),
        ],
      }),
    );
    expect(reply.status).toBe(500);
    expect(e.org.member('leaver@example.com')).toBeUndefined();
  });
});
