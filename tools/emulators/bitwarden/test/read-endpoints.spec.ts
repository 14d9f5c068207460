import { randomUUID } from 'node:crypto';
import type { BitwardenEmulator } from '../src/index';
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
  type Reply,
} from './helpers';

afterEach(stopAll);

interface Page {
  object: string;
  data: { id: string; email?: string; name?: string }[];
  continuationToken: string | null;
}

/** GET with a token of the organization whose key is given (default: the emulator's own). */
async function getAs(
  e: BitwardenEmulator,
  path: string,
  key: { clientId: string; clientSecret: string } = e,
): Promise<Reply> {
  const token = await tokenRequest(e, { client_id: key.clientId, client_secret: key.clientSecret });
  const accessToken = (token.json as { access_token: string }).access_token;
  return call(`${e.apiUrl}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
}

async function seedCompany(e: BitwardenEmulator, users: number, groups: number): Promise<void> {
  const members = Array.from({ length: users }, (_, i) => member(`u${i}`));
  const list = Array.from({ length: groups }, (_, i) =>
    group(`g${i}`, `Group ${i}`, [`u${i % users}`]),
  );
  expect((await importBody(e, body({ members, groups: list, largeImport: true }))).status).toBe(
    200,
  );
}

describe('§5 GET /public/members and /public/groups: lists', () => {
  it('§5 every entry in one page with "continuationToken": null, however many there are', async () => {
    const e = await start({ mode: 'selfhosted' });
    await seedCompany(e, 2500, 2100);
    const members = (await get(e, '/public/members')).json as Page;
    expect(members.object).toBe('list');
    expect(members.data).toHaveLength(2501); // and the Owner
    expect(members.continuationToken).toBeNull();
    const groups = (await get(e, '/public/groups')).json as Page;
    expect(groups.data).toHaveLength(2100);
    expect(groups.continuationToken).toBeNull();
  });

  it('emulator paging: pages linked by continuationToken hold every entry once', async () => {
    const e = await start({ pageSize: 4 });
    await seedCompany(e, 9, 5);
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const query: string = token ? `?continuationToken=${encodeURIComponent(token)}` : '';
      const page = (await get(e, `/public/members${query}`)).json as Page;
      expect(page.data.length).toBeLessThanOrEqual(4);
      seen.push(...page.data.map((m) => m.id));
      token = page.continuationToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(10);
    expect(seen.sort()).toEqual(
      e.org
        .members()
        .map((m) => m.id)
        .sort(),
    );
  });

  it('emulator paging: a token that was not issued for this list is a 400 with the error body', async () => {
    const e = await start({ pageSize: 2 });
    await seedCompany(e, 3, 3);
    const first = (await get(e, '/public/members')).json as Page;
    expect(first.continuationToken).not.toBeNull();
    const wrongList = await get(
      e,
      `/public/groups?continuationToken=${encodeURIComponent(first.continuationToken!)}`,
    );
    expect(wrongList.status).toBe(400);
    expect(wrongList.json).toMatchObject({ object: 'error' });
    expect((await get(e, '/public/members?continuationToken=garbage')).status).toBe(400);
  });

  it("§5 tenancy: a token lists only its own organization's members and groups", async () => {
    const e = await start();
    await seedCompany(e, 2, 1);
    const other = e.addOrganization();
    other.seed([{ email: 'someone@other.example', externalId: 'x1', groups: ['Other team'] }]);
    const theirs = (await getAs(e, '/public/members', other)).json as Page;
    expect(theirs.data.map((m) => m.email).sort()).toEqual([
      'owner@example.com',
      'someone@other.example',
    ]);
    const theirGroups = (await getAs(e, '/public/groups', other)).json as Page;
    expect(theirGroups.data.map((g) => g.name)).toEqual(['Other team']);
    const ours = (await get(e, '/public/members')).json as Page;
    expect(ours.data.map((m) => m.email)).not.toContain('someone@other.example');
  });

  it('§2 the read routes need a token: 401 with an empty body without one', async () => {
    const e = await start();
    for (const path of ['/public/members', '/public/groups', `/public/groups/${randomUUID()}`]) {
      const reply = await call(`${e.apiUrl}${path}`);
      expect([reply.status, reply.text]).toEqual([401, '']);
    }
  });

  it('§4 Vaultwarden has no member or group routes: 404', async () => {
    const e = await start({ mode: 'vaultwarden' });
    for (const path of ['/public/members', '/public/groups']) {
      const reply = await call(`${e.apiUrl}${path}`, {
        headers: { authorization: `Bearer ${await accessToken(e)}` },
      });
      expect(reply.status).toBe(404);
    }
  });
});

describe('§5 GET /public/members/{id}[/group-ids] and /public/groups/{id}[/member-ids]', () => {
  async function company(e: BitwardenEmulator) {
    await importBody(
      e,
      body({
        members: [member('a'), member('b')],
        groups: [group('g1', 'Engineering', ['a', 'b']), group('g2', 'Sales', ['a'])],
      }),
    );
    const a = e.org.member('a@example.com')!;
    const groups = Object.fromEntries(e.org.groups().map((g) => [g.name, g.id]));
    return { a, groups };
  }

  it('§5 a member by id, and the ids of its groups as a bare array', async () => {
    const e = await start();
    const { a, groups } = await company(e);
    expect((await get(e, `/public/members/${a.id}`)).json).toMatchObject({
      object: 'member',
      id: a.id,
      email: 'a@example.com',
      externalId: 'a',
      status: 0,
      type: 2,
    });
    const ids = (await get(e, `/public/members/${a.id}/group-ids`)).json as string[];
    expect(ids.sort()).toEqual([groups.Engineering, groups.Sales].sort());
  });

  it('§5 a group by id, and the ids of its members as a bare array', async () => {
    const e = await start();
    const { a, groups } = await company(e);
    expect((await get(e, `/public/groups/${groups.Sales}`)).json).toEqual({
      object: 'group',
      id: groups.Sales,
      name: 'Sales',
      externalId: 'g2',
      collections: [],
    });
    expect((await get(e, `/public/groups/${groups.Sales}/member-ids`)).json).toEqual([a.id]);
  });

  it('§5 a removed member leaves the member-ids of its groups', async () => {
    const e = await start();
    const { a, groups } = await company(e);
    await importBody(e, body({ members: [member('b', undefined, true)] }));
    expect((await get(e, `/public/groups/${groups.Engineering}/member-ids`)).json).toEqual([a.id]);
  });

  it('§5 ids are GUIDs in any case', async () => {
    const e = await start();
    const { a } = await company(e);
    expect((await get(e, `/public/members/${a.id.toUpperCase()}`)).status).toBe(200);
  });

  it('§5 an unknown id is a 404 with an empty body (NotFoundResult)', async () => {
    const e = await start();
    await company(e);
    for (const path of [
      `/public/members/${randomUUID()}`,
      `/public/members/${randomUUID()}/group-ids`,
      `/public/groups/${randomUUID()}`,
      `/public/groups/${randomUUID()}/member-ids`,
    ]) {
      const reply = await get(e, path);
      expect([path, reply.status, reply.text]).toEqual([path, 404, '']);
    }
  });

  it("§5 another organization's member or group is a 404, as if it did not exist", async () => {
    const e = await start();
    const { a, groups } = await company(e);
    const other = e.addOrganization();
    for (const path of [
      `/public/members/${a.id}`,
      `/public/members/${a.id}/group-ids`,
      `/public/groups/${groups.Sales}`,
      `/public/groups/${groups.Sales}/member-ids`,
    ]) {
      expect([path, (await getAs(e, path, other)).status]).toEqual([path, 404]);
      expect([path, (await get(e, path)).status]).toEqual([path, 200]);
    }
  });

  it('§5 an id that is not a GUID fails model binding: 400 naming "id"', async () => {
    const e = await start();
    const reply = await get(e, '/public/groups/not-a-guid/member-ids');
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({
      object: 'error',
      message: "The request's model state is invalid.",
      errors: { id: ["The value 'not-a-guid' is not valid for id."] },
    });
  });
});

describe('§6 rate limits and faults on the read routes', () => {
  it('§6 cloud: API gets are limited to 200/min with 429 and Retry-After', async () => {
    const e = await start({ rateLimits: true });
    const token = await accessToken(e);
    const read = () =>
      call(`${e.apiUrl}/public/groups`, { headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 200; i++) expect((await read()).status).toBe(200);
    const limited = await read();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a fault path with a * segment matches every group id, counting calls across them', async () => {
    const e = await start();
    await importBody(
      e,
      body({ members: [member('a')], groups: [group('g1', 'A', ['a']), group('g2', 'B', [])] }),
    );
    const groups = e.org.groups().map((g) => g.id);
    e.faults.add({
      path: '/api/public/groups/*/member-ids',
      call: 2,
      status: 429,
      retryAfterSeconds: 3,
    });
    expect((await get(e, `/public/groups/${groups[0]}/member-ids`)).status).toBe(200);
    const limited = await get(e, `/public/groups/${groups[1]}/member-ids`);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    expect((await get(e, `/public/groups/${groups[1]}/member-ids`)).status).toBe(200);
    // Other routes are not affected.
    expect((await get(e, `/public/groups/${groups[1]}`)).status).toBe(200);
  });
});
