import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBitwardenEmulator } from '../src/index';
import { runCli } from '../src/run-cli';
import { body, call, get, importBody, member, start, stopAll, tokenRequest } from './helpers';

afterEach(stopAll);

describe('fault injection', () => {
  it('answers a chosen call of a path with a status and Retry-After, then behaves normally', async () => {
    const e = await start();
    e.faults.add({ path: '/public/members', call: 2, status: 429, retryAfterSeconds: 7 });
    expect((await get(e, '/public/members')).status).toBe(200);
    const faulted = await get(e, '/public/members');
    expect([faulted.status, faulted.headers.get('retry-after')]).toEqual([429, '7']);
    expect((await get(e, '/public/members')).status).toBe(200);
  });

  it('applies a fault to `times` consecutive calls, and matches paths with or without their prefix', async () => {
    const e = await start();
    e.faults.add({ path: '/api/public/organization/import', status: 500, times: 2 });
    expect((await importBody(e, body())).status).toBe(500);
    expect((await importBody(e, body())).status).toBe(500);
    expect((await importBody(e, body())).status).toBe(200);
  });

  it('drops the connection without an answer', async () => {
    const e = await start();
    e.faults.add({ path: '/connect/token', drop: true });
    await expect(tokenRequest(e)).rejects.toThrow();
    expect((await tokenRequest(e)).status).toBe(200);
  });

  it('clear() removes pending faults', async () => {
    const e = await start();
    e.faults.add({ path: '/alive', status: 500, times: 5 });
    e.faults.clear();
    expect((await call(`${e.url}/alive`)).status).toBe(200);
  });

  it('records every request with method, path and parsed body', async () => {
    const e = await start();
    await importBody(e, body({ members: [member('a')] }));
    expect(e.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/identity/connect/token'],
      ['POST', '/api/public/organization/import'],
    ]);
    expect(e.requests[1]!.body).toEqual(body({ members: [member('a')] }));
  });
});

describe('state file', () => {
  it('keeps the organization, its key and its members between runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-emu-'));
    try {
      const stateFile = join(dir, 'org.json');
      const first = await startBitwardenEmulator({ stateFile });
      await importBody(first, body({ members: [member('a')] }));
      const { organizationId, clientSecret } = first;
      await first.stop();

      const second = await start({ stateFile });
      expect([second.organizationId, second.clientSecret]).toEqual([organizationId, clientSecret]);
      expect(second.org.member('a@example.com')?.externalId).toBe('a');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CLI', () => {
  it('prints one JSON line with the URLs and API key, and serves on loopback', async () => {
    const lines: string[] = [];
    const e = await runCli(['--port', '0', '--seats', '5', '--mode', 'selfhosted'], (l) =>
      lines.push(l),
    );
    try {
      expect(lines).toHaveLength(1);
      const info = JSON.parse(lines[0]!) as Record<string, string>;
      expect(info).toMatchObject({
        mode: 'selfhosted',
        url: e.url,
        clientId: `organization.${info.organizationId}`,
      });
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.clientSecret).toMatch(/^[A-Za-z0-9]{30}$/);
      expect(e.org.seats()).toBe(5);
      expect((await call(`${info.url}/alive`)).status).toBe(200);
    } finally {
      await e.stop();
    }
  });

  it('refuses an unknown mode', async () => {
    await expect(runCli(['--mode', 'azure'], () => undefined)).rejects.toThrow(
      '--mode must be cloud, selfhosted or vaultwarden',
    );
  });
});
