import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DIRECTORY_READONLY_SCOPES, startGoogleEmulator, type GoogleEmulator } from './index';

function assertion(claims: Record<string, unknown>, privateKey: string): string {
  const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

describe('Google emulator', () => {
  let emu: GoogleEmulator;
  let token: string;

  const claims = (over: Record<string, unknown> = {}): Record<string, unknown> => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: emu.serviceAccount.clientEmail,
      sub: emu.adminUser,
      scope: DIRECTORY_READONLY_SCOPES.join(' '),
      aud: emu.tokenUri,
      iat: now,
      exp: now + 3600,
      ...over,
    };
  };

  const exchange = async (
    jwt: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(emu.tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: jwt,
      }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const api = async (
    path: string,
    params: Record<string, string> = {},
    bearer = token,
  ): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> => {
    const url = new URL(`admin/directory/v1/${path}`, emu.rootUrl);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const res = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
      headers: res.headers,
    };
  };

  const reasonOf = (body: Record<string, unknown>): unknown =>
    (body['error'] as { errors: { reason: string }[] }).errors[0]!.reason;

  beforeAll(async () => {
    emu = await startGoogleEmulator({ secondaryDomains: ['example.org'] });
    const d = emu.directory;
    d.addUser({
      primaryEmail: 'alice@example.com',
      givenName: 'Alice',
      familyName: 'Smith',
      orgUnitPath: '/Sales/East',
    });
    d.addUser({
      primaryEmail: 'bob@example.com',
      givenName: 'Bob',
      familyName: 'Jones',
      suspended: true,
    });
    d.addUser({
      primaryEmail: 'carol@example.org',
      givenName: 'Carol',
      familyName: 'Smith',
      archived: true,
    });
    d.addUser({ primaryEmail: 'dave@example.com', givenName: 'Dave', familyName: 'Gone' });
    d.deleteUser('dave@example.com');
    const eng = d.addGroup({ email: 'eng@example.com', name: 'Engineering' });
    const all = d.addGroup({ email: 'all@example.com', name: 'Everyone' });
    d.addGroup({ email: 'ops@example.org', name: 'Ops' });
    d.addMember(eng.id, { user: 'alice@example.com' });
    d.addMember(eng.id, { user: 'bob@example.com', role: 'OWNER' });
    d.addMember(all.id, { group: 'eng@example.com' });
    d.addMember(all.id, { customer: true });
    const issued = await exchange(assertion(claims(), emu.serviceAccount.privateKey));
    expect(issued.status).toBe(200);
    token = issued.body['access_token'] as string;
  });

  afterAll(async () => {
    await emu.stop();
  });

  describe('token endpoint (JWT-bearer grant)', () => {
    it('issues a bearer token for a correctly signed, delegated assertion', async () => {
      const res = await exchange(assertion(claims(), emu.serviceAccount.privateKey));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    });

    it('refuses a signature made with another key', async () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      });
      const res = await exchange(assertion(claims(), other.toString()));
      expect(res).toEqual({
        status: 400,
        body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
      });
    });

    it('refuses an unknown service account, a wrong audience and a long-lived assertion', async () => {
      const key = emu.serviceAccount.privateKey;
      expect(
        (await exchange(assertion(claims({ iss: 'nobody@x.iam.gserviceaccount.com' }), key))).body[
          'error_description'
        ],
      ).toBe('Invalid grant: account not found');
      expect(
        (await exchange(assertion(claims({ aud: 'https://oauth2.googleapis.com/token' }), key)))
          .body['error_description'],
      ).toMatch(/audience/);
      const now = Math.floor(Date.now() / 1000);
      expect(
        (await exchange(assertion(claims({ iat: now, exp: now + 7200 }), key))).body[
          'error_description'
        ],
      ).toMatch(/short-lived/);
    });

    it('refuses a subject that is not a user, and scopes not delegated', async () => {
      const key = emu.serviceAccount.privateKey;
      expect((await exchange(assertion(claims({ sub: 'ghost@example.com' }), key))).body).toEqual({
        error: 'invalid_grant',
        error_description: 'Invalid email or User ID',
      });
      const res = await exchange(
        assertion(claims({ scope: 'https://www.googleapis.com/auth/admin.directory.user' }), key),
      );
      expect(res.status).toBe(401);
      expect(res.body['error']).toBe('unauthorized_client');
    });

    it('refuses every scope for a service account without domain-wide delegation', async () => {
      const bare = await emu.addServiceAccount({ delegatedScopes: [] });
      const res = await exchange(assertion(claims({ iss: bare.clientEmail }), bare.privateKey));
      expect(res.status).toBe(401);
      expect(res.body['error']).toBe('unauthorized_client');
    });
  });

  describe('users.list', () => {
    it('pages with maxResults and pageToken, and refuses more than 500 per page', async () => {
      const first = await api('users', { customer: 'my_customer', maxResults: '2' });
      expect((first.body['users'] as unknown[]).length).toBe(2);
      const second = await api('users', {
        customer: 'my_customer',
        maxResults: '2',
        pageToken: first.body['nextPageToken'] as string,
      });
      expect(
        (second.body['users'] as { primaryEmail: string }[]).map((u) => u.primaryEmail),
      ).toEqual(['bob@example.com', 'carol@example.org']);
      expect(second.body['nextPageToken']).toBe(undefined);
      expect((await api('users', { customer: 'my_customer', maxResults: '501' })).status).toBe(400);
      const foreign = await api('users', {
        customer: 'my_customer',
        query: 'email:a*',
        pageToken: first.body['nextPageToken'] as string,
      });
      expect(foreign.status).toBe(400);
    });

    it('returns only deleted users with showDeleted=true', async () => {
      const res = await api('users', { customer: 'my_customer', showDeleted: 'true' });
      expect(
        (res.body['users'] as { primaryEmail: string; deletionTime: string }[]).map(
          (u) => u.primaryEmail,
        ),
      ).toEqual(['dave@example.com']);
    });

    it('applies a field mask and refuses unknown fields', async () => {
      const res = await api('users', {
        customer: 'my_customer',
        fields: 'nextPageToken,users(id,primaryEmail,name/givenName)',
        maxResults: '1',
      });
      const user = (res.body['users'] as Record<string, unknown>[])[0]!;
      expect(Object.keys(user).sort()).toEqual(['id', 'name', 'primaryEmail']);
      expect(user['name']).toEqual({ givenName: 'Admin' });
      expect(Object.keys(res.body).sort()).toEqual(['nextPageToken', 'users']);
      const bad = await api('users', { customer: 'my_customer', fields: 'users(id,primaryEmial)' });
      expect(bad.status).toBe(400);
      expect(reasonOf(bad.body)).toBe('invalidParameter');
    });

    it('searches with the query syntax', async () => {
      const emails = async (query: string): Promise<string[]> => {
        const res = await api('users', { customer: 'my_customer', query });
        expect(res.status).toBe(200);
        return ((res.body['users'] ?? []) as { primaryEmail: string }[]).map((u) => u.primaryEmail);
      };
      expect(await emails('email:alice*')).toEqual(['alice@example.com']);
      expect(await emails('familyName:Smith')).toEqual(['alice@example.com', 'carol@example.org']);
      expect(await emails("name:'Alice Smith'")).toEqual(['alice@example.com']);
      expect(await emails('isSuspended=true')).toEqual(['bob@example.com']);
      expect(await emails('orgUnitPath=/Sales')).toEqual(['alice@example.com']);
      expect(await emails('familyName:Smith isArchived=false')).toEqual(['alice@example.com']);
      expect(await emails('givenName:{Bob Carol}')).toEqual([
        'bob@example.com',
        'carol@example.org',
      ]);
      expect((await api('users', { customer: 'my_customer', query: 'shoeSize:42' })).status).toBe(
        400,
      );
    });

    it('with a domain returns only that domain even when a customer is given (the cause of upstream #1193)', async () => {
      const both = await api('users', { customer: 'my_customer', domain: 'example.com' });
      expect(
        (both.body['users'] as { primaryEmail: string }[]).some((u) =>
          u.primaryEmail.endsWith('.org'),
        ),
      ).toBe(false);
      const customerOnly = await api('users', { customer: emu.customer });
      expect(
        (customerOnly.body['users'] as { primaryEmail: string }[]).some((u) =>
          u.primaryEmail.endsWith('.org'),
        ),
      ).toBe(true);
    });

    it('refuses a request without customer or domain, a foreign customer and an unknown domain', async () => {
      expect((await api('users')).status).toBe(400);
      expect((await api('users', { customer: 'C999' })).status).toBe(400);
      const res = await api('users', { domain: 'nope.test' });
      expect(res.status).toBe(404);
      expect(reasonOf(res.body)).toBe('notFound');
    });
  });

  describe('groups.list and members.list', () => {
    it('lists groups by customer, domain and query', async () => {
      const names = async (params: Record<string, string>): Promise<string[]> =>
        ((await api('groups', params)).body['groups'] as { name: string }[]).map((g) => g.name);
      expect(await names({ customer: 'my_customer' })).toEqual(['Engineering', 'Everyone', 'Ops']);
      expect(await names({ domain: 'example.org' })).toEqual(['Ops']);
      expect(await names({ customer: 'my_customer', query: 'name:Eng*' })).toEqual(['Engineering']);
      expect(
        await names({ customer: 'my_customer', query: 'memberKey=alice@example.com' }),
      ).toEqual(['Engineering']);
    });

    it('lists USER members with their status, GROUP members and the CUSTOMER member', async () => {
      const eng = await api('groups/eng%40example.com/members');
      expect(
        (eng.body['members'] as Record<string, unknown>[]).map((m) => [
          m['email'],
          m['type'],
          m['status'],
          m['role'],
        ]),
      ).toEqual([
        ['alice@example.com', 'USER', 'ACTIVE', 'MEMBER'],
        ['bob@example.com', 'USER', 'SUSPENDED', 'OWNER'],
      ]);
      const all = await api(`groups/${emu.directory.findGroup('all@example.com')!.id}/members`);
      expect(
        (all.body['members'] as Record<string, unknown>[]).map((m) => [m['type'], m['id']]),
      ).toEqual([
        ['GROUP', emu.directory.findGroup('eng@example.com')!.id],
        ['CUSTOMER', emu.customer],
      ]);
      expect((await api('groups/none@example.com/members')).status).toBe(404);
    });
  });

  describe('authorization', () => {
    it('refuses a missing or unknown token', async () => {
      expect((await api('users', { customer: 'my_customer' }, 'ya29.bogus')).status).toBe(401);
    });

    it('answers 403 Not Authorized when the subject is not an administrator', async () => {
      emu.directory.addUser({ primaryEmail: 'plain@example.com' });
      const res = await exchange(
        assertion(claims({ sub: 'plain@example.com' }), emu.serviceAccount.privateKey),
      );
      const plainToken = res.body['access_token'] as string;
      const denied = await api('users', { customer: 'my_customer' }, plainToken);
      expect(denied.status).toBe(403);
      expect(reasonOf(denied.body)).toBe('forbidden');
      emu.directory.deleteUser('plain@example.com');
    });

    it('answers 403 accessNotConfigured while the API is disabled', async () => {
      emu.settings.apiEnabled = false;
      try {
        const res = await api('users', { customer: 'my_customer' });
        expect(res.status).toBe(403);
        expect(reasonOf(res.body)).toBe('accessNotConfigured');
      } finally {
        emu.settings.apiEnabled = true;
      }
    });

    it('answers 403 insufficientPermissions for a call outside the token scopes', async () => {
      const res = await exchange(
        assertion(claims({ scope: DIRECTORY_READONLY_SCOPES[0] }), emu.serviceAccount.privateKey),
      );
      const denied = await api(
        'groups',
        { customer: 'my_customer' },
        res.body['access_token'] as string,
      );
      expect(denied.status).toBe(403);
      expect(reasonOf(denied.body)).toBe('insufficientPermissions');
    });
  });

  describe('faults', () => {
    it('injects rate-limit errors with Google bodies, then recovers', async () => {
      emu.faults.inject({ route: 'users.list', kind: 'userRateLimitExceeded', count: 2 });
      emu.faults.inject({ route: 'groups.list', kind: 'serviceUnavailable', retryAfterSeconds: 3 });
      emu.faults.inject({ route: 'api', kind: 'tooManyRequests' });
      const a = await api('users', { customer: 'my_customer' });
      const b = await api('users', { customer: 'my_customer' });
      expect([a.status, reasonOf(a.body), b.status]).toEqual([403, 'userRateLimitExceeded', 403]);
      expect((a.body['error'] as { errors: { domain: string }[] }).errors[0]!.domain).toBe(
        'usageLimits',
      );
      const c = await api('groups', { customer: 'my_customer' });
      expect([c.status, c.headers.get('retry-after')]).toEqual([503, '3']);
      expect((await api('users', { customer: 'my_customer' })).status).toBe(429);
      expect(emu.faults.pending()).toBe(0);
      expect((await api('users', { customer: 'my_customer' })).status).toBe(200);
      expect(emu.requests.filter((r) => r.faulted)).toHaveLength(4);
    });

    it('answers quotaExceeded above the concurrency limit', async () => {
      emu.settings.maxConcurrentRequests = 2;
      emu.settings.latencyMs = 30;
      emu.stats.reset();
      try {
        const results = await Promise.all(
          Array.from({ length: 6 }, () => api('users', { customer: 'my_customer' })),
        );
        const limited = results.filter((r) => r.status === 403);
        expect(limited.length).toBeGreaterThan(0);
        expect(limited.every((r) => reasonOf(r.body) === 'quotaExceeded')).toBe(true);
        expect(emu.stats.peakInFlight).toBe(6);
      } finally {
        emu.settings.maxConcurrentRequests = undefined;
        emu.settings.latencyMs = 0;
      }
    });
  });

  it('writes a service account key file in Google’s format', () => {
    const key = JSON.parse(emu.keyFileJson()) as Record<string, string>;
    expect(key).toMatchObject({
      type: 'service_account',
      client_email: emu.serviceAccount.clientEmail,
      private_key: emu.serviceAccount.privateKey,
      token_uri: emu.tokenUri,
    });
  });
});
