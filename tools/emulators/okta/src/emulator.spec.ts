import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startOktaEmulator, type OktaEmulator } from './emulator';

describe('Okta emulator (plain HTTP)', () => {
  let emulator: OktaEmulator;
  beforeAll(async () => {
    emulator = await startOktaEmulator({ tls: false });
    emulator.directory.addUser({ email: 'a@example.com' });
    emulator.directory.addUser({ email: 'b@example.com', status: 'DEPROVISIONED' });
    emulator.directory.addUser({ email: 'c@example.com', status: 'SUSPENDED' });
  });
  afterAll(() => emulator.stop());

  const get = (path: string, auth = `SSWS ${emulator.token}`) =>
    fetch(`${emulator.orgUrl}${path}`, { headers: { Authorization: auth } });
  const emails = async (response: Response) =>
    ((await response.json()) as { profile: { email: string } }[]).map((u) => u.profile.email);

  it('wants SSWS <token>', async () => {
    const response = await get('/api/v1/users', `Bearer ${emulator.token}`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errorCode: string }).errorCode).toBe('E0000011');
  });

  it('leaves DEPROVISIONED users out unless a filter asks', async () => {
    expect(await emails(await get('/api/v1/users'))).toEqual(['a@example.com', 'c@example.com']);
    expect(
      await emails(
        await get(`/api/v1/users?filter=${encodeURIComponent('status eq "DEPROVISIONED"')}`),
      ),
    ).toEqual(['b@example.com']);
  });

  it('pages with Link rel="next" and sends rate-limit headers', async () => {
    const first = await get('/api/v1/users?limit=1');
    expect(await emails(first)).toEqual(['a@example.com']);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')![1]!;
    expect(await emails(await get(new URL(next).pathname + new URL(next).search))).toEqual([
      'c@example.com',
    ]);
    expect(Number(first.headers.get('x-rate-limit-limit'))).toBeGreaterThan(0);
    expect(Number(first.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
  });

  it('rejects filters it cannot parse with E0000031', async () => {
    const response = await get(`/api/v1/users?filter=${encodeURIComponent('status is ACTIVE')}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errorCode: string }).errorCode).toBe('E0000031');
  });
});
