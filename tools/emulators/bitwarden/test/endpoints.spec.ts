import { randomUUID } from 'node:crypto';
import { MemberStatus, MemberType } from '../src/index';
import {
  accessToken,
  body,
  call,
  get,
  group,
  importBody,
  member,
  start,
  stopAll,
  tokenRequest,
} from './helpers';

afterEach(stopAll);

describe('§5 other official endpoints', () => {
  it('§5 GET /public/members: {"object":"list","data":[member]} with numeric enums', async () => {
    const e = await start();
    e.seed([
      {
        email: 'admin@example.com',
        externalId: 'a',
        type: MemberType.Admin,
        status: MemberStatus.Accepted,
      },
    ]);
    const reply = await get(e, '/public/members');
    expect(reply.status).toBe(200);
    const list = reply.json as { object: string; data: Record<string, unknown>[] };
    expect(list.object).toBe('list');
    const admin = list.data.find((m) => m.email === 'admin@example.com')!;
    expect(Object.keys(admin).sort()).toEqual(
      [
        'object',
        'id',
        'userId',
        'name',
        'email',
        'twoFactorEnabled',
        'status',
        'collections',
        'resetPasswordEnrolled',
        'ssoExternalId',
        'type',
        'externalId',
        'permissions',
      ].sort(),
    );
    expect(admin).toMatchObject({ object: 'member', status: 1, type: 1, externalId: 'a' });
  });

  it('§5 GET /public/members/{id} and {id}/group-ids; an unknown id is 404', async () => {
    const e = await start();
    await importBody(e, body({ members: [member('a')], groups: [group('g', 'G', ['a'])] }));
    const a = e.org.member('a@example.com')!;
    expect((await get(e, `/public/members/${a.id}`)).json).toMatchObject({
      email: 'a@example.com',
    });
    expect((await get(e, `/public/members/${a.id}/group-ids`)).json).toEqual([
      e.org.groups()[0]!.id,
    ]);
    expect((await get(e, `/public/members/${randomUUID()}`)).status).toBe(404);
  });

  it('§5 GET /public/groups, /public/groups/{id} and {id}/member-ids', async () => {
    const e = await start();
    await importBody(e, body({ members: [member('a')], groups: [group('g', 'G', ['a'])] }));
    const g = e.org.groups()[0]!;
    expect((await get(e, '/public/groups')).json).toEqual({
      object: 'list',
      data: [{ object: 'group', id: g.id, name: 'G', externalId: 'g', collections: [] }],
      continuationToken: null,
    });
    expect((await get(e, `/public/groups/${g.id}`)).json).toMatchObject({ name: 'G' });
    expect((await get(e, `/public/groups/${g.id}/member-ids`)).json).toEqual([
      e.org.member('a@example.com')!.id,
    ]);
  });

  it('§5 GET /alive on api and identity returns a JSON UTC date string', async () => {
    const e = await start();
    for (const url of [`${e.apiUrl}/alive`, `${e.identityUrl}/alive`, `${e.url}/alive`]) {
      const reply = await call(url);
      expect(reply.status).toBe(200);
      expect(Number.isNaN(Date.parse(reply.json as string))).toBe(false);
    }
  });

  it('§5 GET /config is anonymous and describes the environment', async () => {
    const e = await start();
    const reply = await call(`${e.apiUrl}/config`);
    expect(reply.json).toMatchObject({
      object: 'config',
      environment: { api: e.apiUrl, identity: e.identityUrl },
    });
  });
});

describe('§6 rate and size limits', () => {
  it('§6 cloud: post:/connect/token is limited to 10/min with 429, Retry-After and "Slow down!"', async () => {
    const e = await start({ rateLimits: true });
    for (let i = 0; i < 10; i++) expect((await tokenRequest(e)).status).toBe(200);
    const reply = await tokenRequest(e);
    expect(reply.status).toBe(429);
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((reply.json as { message: string }).message).toMatch(
      /^Slow down! Too many requests\. Try again in/,
    );
  });

  it('§6 self-hosted disables rate limiting', async () => {
    const e = await start({ mode: 'selfhosted', rateLimits: true });
    for (let i = 0; i < 11; i++) expect((await tokenRequest(e)).status).toBe(200);
  });

  it('§6 body size: over 30,000,000 bytes is refused (413)', async () => {
    const e = await start();
    const reply = await call(`${e.apiUrl}/public/organization/import`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await accessToken(e)}`,
        'content-type': 'application/json',
      },
      body: `{"pad":"${'x'.repeat(30_000_000)}"}`,
    });
    expect(reply.status).toBe(413);
  });
});
