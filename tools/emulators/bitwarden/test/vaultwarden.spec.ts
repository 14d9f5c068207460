import { randomUUID } from 'node:crypto';
import { MemberStatus, MemberType } from '../src/index';
import {
  body,
  call,
  emails,
  get,
  group,
  importBody,
  member,
  start,
  stopAll,
  tokenRequest,
} from './helpers';

afterEach(stopAll);

const vwError = (message: string) => ({
  message,
  validationErrors: { '': [message] },
  errorModel: { message, object: 'error' },
  error: '',
  error_description: '',
  object: 'error',
});

describe('§4 Vaultwarden mode', () => {
  it('§4 routes: only the import exists; /public/members and /public/groups are 404', async () => {
    const e = await start({ mode: 'vaultwarden' });
    expect((await get(e, '/public/members')).status).toBe(404);
    expect((await get(e, '/public/groups')).status).toBe(404);
    expect((await importBody(e, body())).status).toBe(200);
  });

  it.each(['deviceIdentifier', 'deviceName', 'deviceType', 'scope', 'client_secret'])(
    '§4 token request: a missing %s gives 400 "… cannot be blank" in Vaultwarden’s error shape',
    async (field) => {
      const e = await start({ mode: 'vaultwarden' });
      const reply = await tokenRequest(e, { [field]: undefined });
      expect([reply.status, reply.json]).toEqual([400, vwError(`${field} cannot be blank`)]);
    },
  );

  it('§4 token request: the scope must be exactly api.organization', async () => {
    const e = await start({ mode: 'vaultwarden' });
    expect((await tokenRequest(e, { scope: 'api' })).status).toBe(400);
  });

  it('§4 token success: the same four fields, expires_in 3600, no refresh_token', async () => {
    const e = await start({ mode: 'vaultwarden' });
    const reply = await tokenRequest(e);
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.json as object).sort()).toEqual([
      'access_token',
      'expires_in',
      'scope',
      'token_type',
    ]);
  });

  it('§4 token errors: "Malformed client_id", "Invalid client_id", "Incorrect client_secret"', async () => {
    const e = await start({ mode: 'vaultwarden' });
    expect((await tokenRequest(e, { client_id: 'organization.zzz' })).json).toEqual(
      vwError('Malformed client_id'),
    );
    expect((await tokenRequest(e, { client_id: `organization.${randomUUID()}` })).json).toEqual(
      vwError('Invalid client_id'),
    );
    expect((await tokenRequest(e, { client_secret: 'nope' })).json).toEqual(
      vwError('Incorrect client_secret'),
    );
  });

  it('§4 login rate limit: a burst of 10, then 429 "Too many login requests"', async () => {
    const e = await start({ mode: 'vaultwarden', rateLimits: true });
    for (let i = 0; i < 10; i++) expect((await tokenRequest(e)).status).toBe(200);
    const reply = await tokenRequest(e);
    expect([reply.status, (reply.json as { message: string }).message]).toEqual([
      429,
      'Too many login requests',
    ]);
  });

  it('§4 strict body: missing fields are 422, bad JSON is 400', async () => {
    const e = await start({ mode: 'vaultwarden' });
    expect((await importBody(e, { groups: [], members: [] })).status).toBe(422); // overwriteExisting missing
    expect(
      (await importBody(e, body({ members: [{ externalId: 'x', deleted: true }] }))).status,
    ).toBe(422); // email missing
    expect(
      (await importBody(e, { Groups: [], Members: [], OverwriteExisting: false })).status,
    ).toBe(422); // names are exact
    expect(
      (
        await importBody(
          e,
          body({ members: [{ externalId: 1, email: 'a@x', deleted: false }] as never }),
        )
      ).status,
    ).toBe(422);
    expect((await importBody(e, '{"groups": [')).status).toBe(400);
  });

  it('§4 a deleted member under a placeholder .invalid email (an AD tombstone) is accepted and revokes no one', async () => {
    const e = await start({ mode: 'vaultwarden' });
    e.seed([{ email: 'user@example.com', externalId: 'tomb' }]);
    const reply = await importBody(
      e,
      body({
        members: [
          member('tomb', '0123456789abcdef0123456789abcdef@tombstone.invalid', true),
          member('a', 'a@example.com'),
        ],
      }),
    );
    expect(reply.status).toBe(200);
    expect(e.org.member('user@example.com')?.status).not.toBe(MemberStatus.Revoked);
    expect(e.org.member('0123456789abcdef0123456789abcdef@tombstone.invalid')).toBeUndefined();
  });

  it('§4 largeImport is ignored and there is no 2000 limit', async () => {
    const e = await start({ mode: 'vaultwarden' });
    const many = Array.from({ length: 2001 }, (_, i) => member(`u${i}`));
    expect((await importBody(e, body({ members: many, largeImport: false }))).status).toBe(200);
  });

  it('§4 members are matched by email and get the imported externalId', async () => {
    const e = await start({ mode: 'vaultwarden' });
    e.seed([{ email: 'known@example.com', externalId: 'old-id' }]);
    await importBody(e, body({ members: [member('new-id', 'KNOWN@example.com')] }));
    expect(e.org.member('known@example.com')?.externalId).toBe('new-id');
    expect(e.org.members()).toHaveLength(2);
  });

  it('§4 deleted=true revokes instead of removing; owners too, except the last confirmed owner', async () => {
    const e = await start({ mode: 'vaultwarden' });
    e.seed([
      { email: 'user@example.com', externalId: 'u' },
      { email: 'owner2@example.com', type: MemberType.Owner },
    ]);
    await importBody(
      e,
      body({
        members: [
          member('u2', 'user@example.com', true),
          member('o2', 'owner2@example.com', true),
          member('o1', 'owner@example.com', true),
        ],
      }),
    );
    expect(e.org.member('user@example.com')).toMatchObject({
      status: MemberStatus.Revoked,
      externalId: 'u2',
    });
    expect(e.org.member('owner2@example.com')?.status).toBe(MemberStatus.Revoked);
    expect(e.org.member('owner@example.com')?.status).toBe(MemberStatus.Confirmed);
  });

  it('§4 a revoked member listed as not deleted is restored', async () => {
    const e = await start({ mode: 'vaultwarden' });
    e.seed([{ email: 'back@example.com', externalId: 'b', status: MemberStatus.Revoked }]);
    await importBody(e, body({ members: [member('b', 'back@example.com')] }));
    expect(e.org.member('back@example.com')?.status).not.toBe(MemberStatus.Revoked);
  });

  it('§4 new members are invited with no seat, UseDirectory or UseGroups check and no events', async () => {
    const e = await start({ mode: 'vaultwarden', seats: 1, vaultwardenGroups: true });
    e.setOrganization({ useDirectory: false, useGroups: false });
    const reply = await importBody(
      e,
      body({ members: [member('a'), member('b')], groups: [group('g', 'G', ['a'])] }),
    );
    expect(reply.status).toBe(200);
    expect(e.org.member('a@example.com')?.status).toBe(MemberStatus.Invited);
    expect(e.invites).toEqual(['a@example.com', 'b@example.com']);
    expect(e.events).toEqual([]);
  });

  it('§4 groups are skipped silently unless ORG_GROUPS_ENABLED', async () => {
    const e = await start({ mode: 'vaultwarden' });
    expect((await importBody(e, body({ groups: [group('g', 'G', [])] }))).status).toBe(200);
    expect(e.org.groups()).toEqual([]);
  });

  it('§4 groups (enabled): found by externalId or created, name not updated, membership replaced', async () => {
    const e = await start({ mode: 'vaultwarden', vaultwardenGroups: true });
    e.seed([
      { email: 'm@example.com', externalId: 'm' },
      { email: 'x@example.com', externalId: 'x' },
    ]);
    e.seedGroups([{ name: 'Original', externalId: 'g', members: ['m@example.com'] }]);
    await importBody(
      e,
      body({ members: [member('x', 'x@example.com')], groups: [group('g', 'Renamed', ['x'])] }),
    );
    expect(e.org.groups().map((g) => [g.name, g.memberEmails])).toEqual([
      ['Original', ['x@example.com']],
    ]);
  });

  it('§4 overwriteExisting runs after groups, removes unlisted external members (owners too, except the last confirmed owner), with no master-password guard', async () => {
    const e = await start({ mode: 'vaultwarden' });
    e.seed([
      { email: 'listed-deleted@example.com', externalId: 'ld' },
      { email: 'unlisted@example.com', externalId: 'un', status: MemberStatus.Invited },
      { email: 'ext-owner@example.com', externalId: 'eo', type: MemberType.Owner },
      { email: 'manual@example.com' },
    ]);
    const reply = await importBody(
      e,
      body({
        members: [member('ld', 'listed-deleted@example.com', true)],
        overwriteExisting: true,
      }),
    );
    expect(reply.status).toBe(200);
    expect(emails(e)).toEqual([
      'listed-deleted@example.com',
      'manual@example.com',
      'owner@example.com',
    ]);
  });

  it('§4 meta endpoints: /alive, /api/alive, /api/now, /api/version, /api/config (server.name Vaultwarden)', async () => {
    const e = await start({ mode: 'vaultwarden' });
    for (const path of ['/alive', '/api/alive', '/api/now', '/api/version']) {
      expect((await call(`${e.url}${path}`)).status).toBe(200);
    }
    const config = await call(`${e.url}/api/config`);
    expect((config.json as { server: { name: string } }).server.name).toBe('Vaultwarden');
  });
});
