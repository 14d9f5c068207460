import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startOneLoginEmulator, type OneLoginEmulator } from './emulator';

describe('OneLogin emulator', () => {
  let emulator: OneLoginEmulator;
  let token: string;
  beforeAll(async () => {
    emulator = await startOneLoginEmulator({ pageSize: 2 });
    const role = emulator.directory.addRole('Admins');
    emulator.directory.addUser({ email: 'a@example.com', roleIds: [role.id] });
    emulator.directory.addUser({ email: 'b@example.com' });
    emulator.directory.addUser({ email: 'c@other.example', status: 2 });
  });
  afterAll(() => emulator.stop());

  const tokenCall = (authorization: string, body = { grant_type: 'client_credentials' }) =>
    fetch(`${emulator.apiUrl}/auth/oauth2/v2/token`, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('issues tokens for Basic or OneLogin-style client credentials only', async () => {
    const basic = `Basic ${Buffer.from(`${emulator.clientId}:${emulator.clientSecret}`).toString('base64')}`;
    const ok = await tokenCall(basic);
    expect(ok.status).toBe(200);
    token = ((await ok.json()) as { access_token: string }).access_token;
    expect(
      (await tokenCall(`client_id:${emulator.clientId}, client_secret:${emulator.clientSecret}`))
        .status,
    ).toBe(200);
    expect(
      (await tokenCall(`Basic ${Buffer.from(`${emulator.clientId}:nope`).toString('base64')}`))
        .status,
    ).toBe(401);
    expect((await tokenCall(basic, { grant_type: 'password' })).status).toBe(400);
  });

  it('wants bearer:<token> and pages by next_link', async () => {
    const get = (url: string, auth = `bearer:${token}`) =>
      fetch(url, { headers: { Authorization: auth } });
    expect((await get(`${emulator.apiUrl}/api/1/users`, `Bearer ${token}`)).status).toBe(401);
    const first = (await (await get(`${emulator.apiUrl}/api/1/users`)).json()) as {
      data: { email: string }[];
      pagination: { next_link: string | null };
    };
    expect(first.data.map((u) => u.email)).toEqual(['a@example.com', 'b@example.com']);
    const second = (await (await get(first.pagination.next_link!)).json()) as typeof first;
    expect(second.data.map((u) => u.email)).toEqual(['c@other.example']);
    expect(second.pagination.next_link).toBe(null);
  });

  it('filters with wildcards and rejects unknown parameters', async () => {
    const get = (query: string) =>
      fetch(`${emulator.apiUrl}/api/1/users?${query}`, {
        headers: { Authorization: `bearer:${token}` },
      });
    const byEmail = (await (await get('email=*@EXAMPLE.com')).json()) as {
      data: { email: string }[];
    };
    expect(byEmail.data.map((u) => u.email)).toEqual(['a@example.com', 'b@example.com']);
    const role = emulator.directory.roleByName('Admins')!;
    const byRole = (await (await get(`role_id=${role.id}`)).json()) as {
      data: { email: string }[];
    };
    expect(byRole.data.map((u) => u.email)).toEqual(['a@example.com']);
    expect((await get('shoe_size=9')).status).toBe(400);
  });

  it('answers 429 with X-RateLimit headers past the window, until the clock moves on', async () => {
    emulator.faults.setRateLimit({ limit: 1, windowSeconds: 60 });
    try {
      const call = () =>
        fetch(`${emulator.apiUrl}/api/1/roles`, { headers: { Authorization: `bearer:${token}` } });
      expect((await call()).status).toBe(200);
      const limited = await call();
      expect(limited.status).toBe(429);
      const reset = Number(limited.headers.get('x-ratelimit-reset'));
      expect(reset).toBeGreaterThan(0);
      emulator.clock.advance(reset * 1000);
      expect((await call()).status).toBe(200);
    } finally {
      emulator.faults.setRateLimit({ limit: 5000, windowSeconds: 3600 });
    }
  });
});
