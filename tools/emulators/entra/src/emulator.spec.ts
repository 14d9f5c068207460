import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as https from 'node:https';
import { startEntraEmulator, type EntraEmulator } from './index';

/**
 * The emulator against Microsoft's documented behaviour, each test naming the rule it checks
 * (learn.microsoft.com: "Microsoft identity platform and the OAuth 2.0 client credentials flow",
 * "Paging Microsoft Graph data", "Use delta query to track changes", "user: delta", "group: delta",
 * "Microsoft Graph throttling guidance", "Microsoft Graph error responses").
 */

let emu: EntraEmulator;
let token: string;
let alice: string;
let bob: string;
let team: string;
let inner: string;

async function getToken(
  target: EntraEmulator,
  form: Record<string, string> = {},
  tenant = target.tenant,
): Promise<Response> {
  return fetch(`${target.authorityUrl}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: target.clientId,
      client_secret: target.clientSecret,
      grant_type: 'client_credentials',
      scope: `${target.graphUrl}/.default`,
      ...form,
    }).toString(),
  });
}

async function graph(
  path: string,
  bearer: string | undefined = token,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const url = path.startsWith('http') ? path : `${emu.graphUrl}/v1.0${path}`;
  const response = await fetch(url, {
    headers: bearer ? { Authorization: `Bearer ${bearer}` } : {},
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

type Item = Record<string, unknown>;

async function readAll(
  path: string,
): Promise<{ items: Item[]; pages: number; deltaLink?: string }> {
  const items: Item[] = [];
  let next: string | undefined = path;
  let pages = 0;
  let deltaLink: string | undefined;
  while (next) {
    const { status, body } = await graph(next);
    expect(status).toBe(200);
    pages++;
    items.push(...(body.value as Item[]));
    next = body['@odata.nextLink'] as string | undefined;
    deltaLink = body['@odata.deltaLink'] as string | undefined;
  }
  return { items, pages, deltaLink };
}

beforeAll(async () => {
  emu = await startEntraEmulator({
    https: false,
    deltaPageSize: 2,
    tenantDomain: 'contoso.onmicrosoft.com',
  });
  alice = emu.directory.addUser({
    mail: 'alice@example.com',
    userPrincipalName: 'alice@contoso.onmicrosoft.com',
  });
  bob = emu.directory.addUser({ userPrincipalName: 'bob@example.com', accountEnabled: false });
  for (let i = 0; i < 5; i++) emu.directory.addUser({ userPrincipalName: `u${i}@example.com` });
  inner = emu.directory.addGroup({ displayName: 'Inner', members: [bob] });
  team = emu.directory.addGroup({ displayName: 'Team', members: [alice, inner] });
  // A cycle: transitive expansion must still end.
  emu.directory.addMember(inner, team);
  token = ((await (await getToken(emu)).json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await emu?.stop();
});

describe('token endpoint (client credentials with a shared secret)', () => {
  it('issues a bearer token with expires_in for the {resource}/.default scope', async () => {
    const response = await getToken(emu);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3599,
      access_token: expect.any(String),
    });
  });

  it('accepts a verified domain in place of the tenant id', async () => {
    expect((await getToken(emu, {}, 'contoso.onmicrosoft.com')).status).toBe(200);
  });

  it.each([
    [
      'a wrong secret: 401 invalid_client AADSTS7000215',
      { client_secret: 'wrong' },
      401,
      'invalid_client',
      7000215,
    ],
    [
      'an unknown client id: 400 unauthorized_client AADSTS700016',
      { client_id: 'nope' },
      400,
      'unauthorized_client',
      700016,
    ],
    [
      'a scope without /.default: 400 invalid_scope AADSTS1002012',
      { scope: 'User.Read.All' },
      400,
      'invalid_scope',
      1002012,
    ],
    [
      'another grant type: 400 unsupported_grant_type AADSTS70003',
      { grant_type: 'password' },
      400,
      'unsupported_grant_type',
      70003,
    ],
  ])('rejects %s', async (_name, form, status, error, code) => {
    const response = await getToken(emu, form as Record<string, string>);
    expect(response.status).toBe(status);
    const body = (await response.json()) as {
      error: string;
      error_codes: number[];
      error_description: string;
    };
    expect(body.error).toBe(error);
    expect(body.error_codes).toEqual([code]);
    expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
  });

  it('rejects an unknown tenant: 400 AADSTS90002', async () => {
    const response = await getToken(emu, {}, 'nowhere.example');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error_codes: number[] }).error_codes).toEqual([90002]);
  });
});

describe('Graph authentication and authorization', () => {
  it('answers 401 InvalidAuthenticationToken without a token or with an expired one', async () => {
    const none = await graph('/users', '');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });

    const other = await startEntraEmulator({ https: false });
    try {
      const otherToken = ((await (await getToken(other)).json()) as { access_token: string })
        .access_token;
      other.faults.expireTokens();
      const response = await fetch(`${other.graphUrl}/v1.0/users`, {
        headers: { Authorization: `Bearer ${otherToken}` },
      });
      expect(response.status).toBe(401);
    } finally {
      await other.stop();
    }
  });

  it('answers 403 Authorization_RequestDenied when the app lacks the permission', async () => {
    const other = await startEntraEmulator({ https: false, permissions: ['User.Read.All'] });
    try {
      const otherToken = ((await (await getToken(other)).json()) as { access_token: string })
        .access_token;
      const users = await fetch(`${other.graphUrl}/v1.0/users`, {
        headers: { Authorization: `Bearer ${otherToken}` },
      });
      expect(users.status).toBe(200);
      const groups = await fetch(`${other.graphUrl}/v1.0/groups`, {
        headers: { Authorization: `Bearer ${otherToken}` },
      });
      expect(groups.status).toBe(403);
      expect(await groups.json()).toMatchObject({
        error: {
          code: 'Authorization_RequestDenied',
          message: 'Insufficient privileges to complete the operation.',
        },
      });
    } finally {
      await other.stop();
    }
  });
});

describe('collections, $select and paging', () => {
  it('returns the default property set without $select (no accountEnabled)', async () => {
    const { body } = await graph('/users?$top=1');
    expect(Object.keys((body.value as Item[])[0]!).sort()).toEqual([
      'displayName',
      'id',
      'mail',
      'userPrincipalName',
    ]);
  });

  it('returns only the $selected properties, plus id', async () => {
    const { body } = await graph('/users?$select=accountEnabled&$top=1');
    expect(Object.keys((body.value as Item[])[0]!).sort()).toEqual(['accountEnabled', 'id']);
  });

  it('rejects an unknown property in $select with 400', async () => {
    expect((await graph('/users?$select=id,shoeSize')).status).toBe(400);
  });

  it('rejects $top outside 1..999 with 400', async () => {
    expect((await graph('/users?$top=1000')).status).toBe(400);
    expect((await graph('/users?$top=0')).status).toBe(400);
  });

  it('pages with @odata.nextLink, keeping the query, until every item was served once', async () => {
    const { items, pages } = await readAll('/users?$select=id,mail&$top=3');
    expect(pages).toBe(3);
    expect(items.length).toBe(7);
    expect(new Set(items.map((i) => i.id)).size).toBe(7);
    expect(Object.keys(items[6]!).sort()).toEqual(['id', 'mail']);
  });

  it('lists direct members with @odata.type, and transitive members flattened once each', async () => {
    const direct = await readAll(`/groups/${team}/members?$select=id`);
    expect(direct.items).toEqual(
      expect.arrayContaining([
        { '@odata.type': '#microsoft.graph.user', id: alice },
        { '@odata.type': '#microsoft.graph.group', id: inner },
      ]),
    );
    expect(direct.items.length).toBe(2);
    const transitive = await readAll(`/groups/${team}/transitiveMembers?$select=id`);
    expect(transitive.items.map((i) => i.id).sort()).toEqual([alice, bob, inner].sort());
  });

  it('answers 404 Request_ResourceNotFound for an unknown group', async () => {
    const { status, body } = await graph('/groups/00000000-0000-0000-0000-000000000000/members');
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: { code: 'Request_ResourceNotFound' } });
  });
});

describe('delta query', () => {
  it('pages the initial round and ends it with a deltaLink that carries the $select', async () => {
    const round = await readAll('/users/delta?$select=mail,accountEnabled');
    expect(round.items.length).toBe(7);
    expect(round.pages).toBe(4);
    expect(round.items.every((i) => !('userPrincipalName' in i) && 'accountEnabled' in i)).toBe(
      true,
    );
    expect(round.deltaLink).toMatch(/\/v1\.0\/users\/delta\?\$deltatoken=/);
  });

  it('reports changed objects with their selected properties and deleted ones as @removed', async () => {
    const first = await readAll('/users/delta?$select=mail,accountEnabled');
    const gone = emu.directory.addUser({ userPrincipalName: 'temp@example.com' });
    const purged = emu.directory.addUser({ userPrincipalName: 'purged@example.com' });
    const { deltaLink: afterAdd } = await readAll(first.deltaLink!);
    emu.directory.updateUser(bob, { accountEnabled: true });
    emu.directory.deleteObject(gone);
    emu.directory.deleteObject(purged, { soft: false });
    const changes = await readAll(afterAdd!);
    expect(changes.items).toEqual(
      expect.arrayContaining([
        { id: bob, mail: null, accountEnabled: true },
        { id: gone, '@removed': { reason: 'changed' } },
        { id: purged, '@removed': { reason: 'deleted' } },
      ]),
    );
    expect(changes.items.length).toBe(3);
    // Nothing changed since: an empty round with a fresh link.
    const quiet = await readAll(changes.deltaLink!);
    expect(quiet.items).toEqual([]);
    expect(quiet.deltaLink).toBeDefined();
  });

  it('tracks membership in members@delta: all members first, then additions and removals', async () => {
    const first = await readAll('/groups/delta?$select=displayName,members');
    expect(first.items.find((g) => g.id === team)).toEqual({
      id: team,
      displayName: 'Team',
      'members@delta': expect.arrayContaining([
        { '@odata.type': '#microsoft.graph.user', id: alice },
        { '@odata.type': '#microsoft.graph.group', id: inner },
      ]),
    });
    emu.directory.removeMember(team, alice);
    emu.directory.addMember(team, bob);
    const changes = await readAll(first.deltaLink!);
    expect(changes.items).toEqual([
      {
        id: team,
        displayName: 'Team',
        'members@delta': expect.arrayContaining([
          { '@odata.type': '#microsoft.graph.user', id: alice, '@removed': { reason: 'deleted' } },
          { '@odata.type': '#microsoft.graph.user', id: bob },
        ]),
      },
    ]);
  });

  it('spreads a large membership over pages, repeating the group with the rest of members@delta', async () => {
    const other = await startEntraEmulator({ https: false, deltaMembersPerPage: 4 });
    try {
      const users = Array.from({ length: 10 }, (_, i) =>
        other.directory.addUser({ userPrincipalName: `m${i}@example.com` }),
      );
      const group = other.directory.addGroup({ displayName: 'Large', members: users });
      const otherToken = ((await (await getToken(other)).json()) as { access_token: string })
        .access_token;
      const seen: string[] = [];
      let appearances = 0;
      let next: string | undefined =
        `${other.graphUrl}/v1.0/groups/delta?$select=displayName,members`;
      while (next) {
        const body = (await (
          await fetch(next, { headers: { Authorization: `Bearer ${otherToken}` } })
        ).json()) as Record<string, unknown>;
        for (const item of body.value as Item[]) {
          expect(item.id).toBe(group);
          appearances++;
          seen.push(...(item['members@delta'] as Item[]).map((m) => m.id as string));
        }
        next = body['@odata.nextLink'] as string | undefined;
      }
      expect(appearances).toBe(3);
      expect(seen.sort()).toEqual([...users].sort());
    } finally {
      await other.stop();
    }
  });

  it('$deltatoken=latest returns no objects and a link for changes from now on', async () => {
    const latest = await graph('/users/delta?$select=mail&$deltatoken=latest');
    expect(latest.body.value).toEqual([]);
    const added = emu.directory.addUser({
      mail: 'new@example.com',
      userPrincipalName: 'new@example.com',
    });
    const changes = await readAll(latest.body['@odata.deltaLink'] as string);
    expect(changes.items).toEqual([{ id: added, mail: 'new@example.com' }]);
  });

  it('answers 410 Gone for a delta token it no longer keeps', async () => {
    const round = await readAll('/groups/delta?$select=displayName');
    emu.faults.expireDeltaTokens();
    expect((await graph(round.deltaLink!)).status).toBe(410);
  });
});

describe('throttling and fault injection', () => {
  it('answers 429 with a Retry-After header, then serves again', async () => {
    emu.faults.throttle(1, { retryAfterSeconds: 7 });
    const throttled = await graph('/users?$top=1');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(throttled.body).toMatchObject({ error: { code: 'TooManyRequests' } });
    expect((await graph('/users?$top=1')).status).toBe(200);
  });

  it('fails only the requests whose path matches', async () => {
    emu.faults.fail(1, { status: 500, code: 'generalException', path: /\/groups$/ });
    expect((await graph('/users?$top=1')).status).toBe(200);
    expect((await graph('/groups')).status).toBe(500);
    expect((await graph('/groups')).status).toBe(200);
  });

  it('records every request with its status', () => {
    expect(emu.requests.some((r) => r.path === '/v1.0/groups' && r.status === 500)).toBe(true);
  });
});

describe('https', () => {
  let secure: EntraEmulator;
  beforeAll(async () => {
    secure = await startEntraEmulator();
  });
  afterAll(async () => {
    await secure?.stop();
  });

  function get(url: string, ca?: string): Promise<number> {
    return new Promise((resolve, reject) => {
      https
        .get(url, { ca, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
  }

  it('serves over TLS with a certificate trusted only when given as ca', async () => {
    expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await get(`${secure.graphUrl}/v1.0/users`, secure.caCert)).toBe(401);
    await expect(get(`${secure.graphUrl}/v1.0/users`)).rejects.toThrow(
      /unable to verify the first certificate/,
    );
  });
});
