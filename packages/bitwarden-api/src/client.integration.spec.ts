import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { CancelledError, MemberStatus, type ImportRequest, type LogRecord } from '@bwdc/core';
import type { BitwardenEmulator } from '@bwdc/emulator-bitwarden';
import { clientFor, closeAll, emulator } from './__fixtures__/emulated-client';
import {
  BitwardenApiClient,
  BitwardenApiError,
  BitwardenAuthError,
  resolveEnvironmentUrls,
  type BitwardenApiOptions,
} from './index';

/** Records log lines so tests can prove what was (and was not) logged. */
function recordingLogger(): { logger: BitwardenApiOptions['logger']; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const at =
    (level: LogRecord['level']) =>
    (message: string, fields?: Readonly<Record<string, unknown>>): void => {
      records.push({ level, message, fields: fields ?? {}, time: new Date() });
    };
  return {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    records,
  };
}

const request = (overrides: Partial<ImportRequest> = {}): ImportRequest => ({
  groups: [{ name: 'Engineering', externalId: 'g-eng', memberExternalIds: ['u-alice', 'u-bob'] }],
  members: [
    { email: 'alice@example.com', externalId: 'u-alice', deleted: false },
    { email: 'bob@example.com', externalId: 'u-bob', deleted: false },
  ],
  overwriteExisting: false,
  largeImport: false,
  inviteUsersAfterProvisioning: false,
  ...overrides,
});

const tokenCalls = (e: BitwardenEmulator): number =>
  e.requests.filter((r) => r.path.endsWith('/connect/token')).length;
const importCalls = (e: BitwardenEmulator): number =>
  e.requests.filter((r) => r.path.endsWith('/public/organization/import')).length;

afterEach(closeAll);

describe('login', () => {
  it('sends the official connector token request: form fields, device fields and headers', async () => {
    const e = await emulator();
    await clientFor(e).login();
    const token = e.requests.find((r) => r.path === '/identity/connect/token')!;
    expect(token.method).toBe('POST');
    expect(token.body).toEqual({
      grant_type: 'client_credentials',
      scope: 'api.organization',
      client_id: e.clientId,
      client_secret: e.clientSecret,
      deviceType: '8',
      deviceIdentifier: '4a6d1cde-0000-4000-8000-00000000a11d',
      deviceName: 'linux',
    });
    expect(token.headers['user-agent']).toBe('Bitwarden_DC/1.2.3 (LINUX)');
    expect(token.headers['bitwarden-client-name']).toBe('connector');
    expect(token.headers['bitwarden-client-version']).toBe('1.2.3');
    expect(token.headers['device-type']).toBe('8');
  });

  it('derives the organization id from the client id', async () => {
    const e = await emulator();
    expect(clientFor(e).organizationId).toBe(e.organizationId);
  });

  it('refuses a client id that is not an organization API key before any request', () => {
    expect(
      () =>
        new BitwardenApiClient({
          urls: resolveEnvironmentUrls(),
          clientId: 'user.1234',
          clientSecret: 'x',
          deviceIdentifier: 'd',
          version: '1',
        }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('clientId'),
      }),
    );
  });

  it('says the key was rejected, without echoing the secret, when the secret is wrong', async () => {
    const e = await emulator();
    const error = await clientFor(e, { clientSecret: 'wrong-secret-value' })
      .login()
      .catch((x: unknown) => x);
    expect(error).toBeInstanceOf(BitwardenAuthError);
    expect(error).toMatchObject({
      code: 'BITWARDEN_AUTH_FAILED',
      status: 400,
      serverMessage: 'invalid_client',
    });
    expect((error as Error).message).toContain(`rejected the organization API key ${e.clientId}`);
    expect((error as Error).message).not.toContain('wrong-secret-value');
  });

  it('carries Vaultwarden’s own message for a rejected key', async () => {
    const e = await emulator({ mode: 'vaultwarden' });
    const error = await clientFor(e, { clientSecret: 'nope' })
      .login()
      .catch((x: unknown) => x);
    expect(error).toBeInstanceOf(BitwardenAuthError);
    expect((error as BitwardenAuthError).serverMessage).toBe('Incorrect client_secret');
  });

  it('logs no token, secret or email at the default (info) level', async () => {
    const e = await emulator();
    const { logger, records } = recordingLogger();
    const client = clientFor(e, { logger });
    await client.importOrganization(request());
    await client.listMembers();
    const text = JSON.stringify(records.filter((r) => r.level !== 'debug'));
    expect(text).not.toContain(e.clientSecret);
    expect(text).not.toContain('example.com');
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]+\./); // a JWT
    expect(records.some((r) => r.message === 'Logged in to Bitwarden')).toBe(true);
  });
});

describe('token renewal', () => {
  it('reuses one token for many calls', async () => {
    const e = await emulator();
    const client = clientFor(e);
    await client.importOrganization(request());
    await client.listMembers();
    await client.listGroups();
    expect(tokenCalls(e)).toBe(1);
  });

  it('concurrent calls share one login', async () => {
    const e = await emulator();
    const client = clientFor(e);
    await Promise.all([client.listMembers(), client.listGroups(), client.listMembers()]);
    expect(tokenCalls(e)).toBe(1);
  });

  it('logs in again and retries once when the server no longer accepts the token (401)', async () => {
    const e = await emulator();
    const client = clientFor(e);
    await client.listMembers();
    e.expireTokens();
    await expect(client.listMembers()).resolves.toHaveLength(1);
    expect(tokenCalls(e)).toBe(2);
  });

  it('renews before expiry when fewer than five minutes remain, so no call meets a 401', async () => {
    const e = await emulator({ tokenLifetimeSeconds: 240 });
    const client = clientFor(e);
    await client.listMembers();
    await client.listGroups();
    expect(tokenCalls(e)).toBe(2);
  });

  it('reports a refused token as an auth failure when a fresh login is refused too', async () => {
    const e = await emulator();
    const client = clientFor(e);
    await client.login();
    e.expireTokens();
    e.rotateClientSecret();
    await expect(client.listMembers()).rejects.toMatchObject({ code: 'BITWARDEN_AUTH_FAILED' });
  });
});

describe('import, members and groups', () => {
  it('imports members and groups and reads them back', async () => {
    const e = await emulator();
    const client = clientFor(e);
    await client.importOrganization(request());

    const members = await client.listMembers();
    expect(members.map((m) => [m.email, m.externalId, m.status]).sort()).toEqual([
      ['alice@example.com', 'u-alice', MemberStatus.Invited],
      ['bob@example.com', 'u-bob', MemberStatus.Invited],
      ['owner@example.com', null, MemberStatus.Confirmed],
    ]);
    const groups = await client.listGroups();
    expect(groups).toEqual([{ id: expect.any(String), name: 'Engineering', externalId: 'g-eng' }]);
    const ids = await client.listGroupMemberIds(groups[0]!.id);
    expect(ids.sort()).toEqual(
      members
        .filter((m) => m.externalId)
        .map((m) => m.id)
        .sort(),
    );
    expect(e.requests.find((r) => r.path === '/api/public/organization/import')!.body).toEqual(
      request(),
    );
  });

  it('works with split api/identity URLs (no /api or /identity prefix)', async () => {
    const e = await emulator();
    const client = clientFor(e, { urls: resolveEnvironmentUrls({ api: e.url, identity: e.url }) });
    await client.importOrganization(request());
    expect(e.requests.map((r) => r.path)).toEqual([
      '/connect/token',
      '/public/organization/import',
    ]);
  });

  it('imports into Vaultwarden', async () => {
    const e = await emulator({ mode: 'vaultwarden' });
    await clientFor(e).importOrganization(request());
    expect(e.org.member('alice@example.com')).toMatchObject({
      externalId: 'u-alice',
      status: MemberStatus.Invited,
    });
  });
});

describe('server errors', () => {
  it('a seat limit is a BitwardenApiError carrying the server message and what to do', async () => {
    const e = await emulator({ seats: 2 });
    const error = (await clientFor(e)
      .importOrganization(request())
      .catch((x: unknown) => x)) as BitwardenApiError;
    expect(error).toBeInstanceOf(BitwardenApiError);
    expect(error).toMatchObject({
      code: 'BITWARDEN_REQUEST_FAILED',
      status: 400,
      serverMessage: 'Seat limit has been reached.',
    });
    expect(error.message).toContain('Seat limit has been reached.');
    expect(error.message).toContain('/public/organization/import');
    expect(error.actions.join(' ')).toMatch(/seats/i);
  });

  it('a validation error names the fields', async () => {
    const e = await emulator();
    const bad = request({ members: [{ email: 'not-an-email', externalId: '', deleted: false }] });
    const error = (await clientFor(e)
      .importOrganization(bad)
      .catch((x: unknown) => x)) as BitwardenApiError;
    expect(error).toBeInstanceOf(BitwardenApiError);
    expect(error.serverMessage).toBe("The request's model state is invalid.");
    expect(error.validationErrors).toEqual({
      'Members[0].Email': ['The Email field is not a valid e-mail address.'],
      'Members[0].ExternalId': ['The ExternalId field is required.'],
    });
    expect(error.message).toContain('Members[0].ExternalId: The ExternalId field is required.');
  });

  it('directory sync not enabled carries the server message', async () => {
    const e = await emulator();
    e.setOrganization({ useDirectory: false });
    await expect(clientFor(e).importOrganization(request())).rejects.toMatchObject({
      status: 400,
      serverMessage: 'Organization cannot use directory syncing.',
    });
  });

  it('Vaultwarden has no members endpoint: a 404 error, not a crash', async () => {
    const e = await emulator({ mode: 'vaultwarden' });
    await expect(clientFor(e).listMembers()).rejects.toMatchObject({
      code: 'BITWARDEN_REQUEST_FAILED',
      status: 404,
    });
  });
});

describe('retries', () => {
  it('retries a 429 and waits at least the Retry-After the server asked for', async () => {
    const e = await emulator();
    e.faults.add({ path: '/public/organization/import', status: 429, retryAfterSeconds: 1 });
    const { logger, records } = recordingLogger();
    await clientFor(e, { logger }).importOrganization(request());
    expect(importCalls(e)).toBe(2);
    const retry = records.find((r) => r.message.includes('retrying'))!;
    // The log vocabulary every network caller shares: attempt, delayMs, reason.
    expect(retry.fields).toMatchObject({ reason: 'HTTP 429', attempt: 1 });
    expect(retry.fields.delayMs as number).toBeGreaterThanOrEqual(1000);
    expect(e.org.member('alice@example.com')).toBeDefined();
  });

  it('retries 500s with backoff, then succeeds', async () => {
    const e = await emulator();
    e.faults.add({ path: '/public/organization/import', status: 500, times: 2 });
    await clientFor(e).importOrganization(request());
    expect(importCalls(e)).toBe(3);
  });

  it('gives up after the last attempt and reports the last status', async () => {
    const e = await emulator();
    e.faults.add({ path: '/public/organization/import', status: 503, times: 10 });
    await expect(
      clientFor(e, { retry: { attempts: 3 } }).importOrganization(request()),
    ).rejects.toMatchObject({
      code: 'BITWARDEN_REQUEST_FAILED',
      status: 503,
    });
    expect(importCalls(e)).toBe(3);
  });

  it('does not wait out a Retry-After longer than the policy allows', async () => {
    const e = await emulator();
    e.faults.add({ path: '/public/organization/import', status: 429, retryAfterSeconds: 3600 });
    await expect(
      clientFor(e, { retry: { maxWaitMs: 1000 } }).importOrganization(request()),
    ).rejects.toMatchObject({ status: 429 });
    expect(importCalls(e)).toBe(1);
  });

  it('retries the token request too', async () => {
    const e = await emulator();
    e.faults.add({ path: '/connect/token', status: 500 });
    await clientFor(e).login();
    expect(tokenCalls(e)).toBe(2);
  });

  it('retries a dropped connection', async () => {
    const e = await emulator();
    e.faults.add({ path: '/public/members', drop: true });
    await expect(clientFor(e).listMembers()).resolves.toHaveLength(1);
  });

  it('times out a hung request and retries it', async () => {
    const e = await emulator();
    e.faults.add({ path: '/public/members', delayMs: 3000 });
    await expect(clientFor(e, { retry: { timeoutMs: 300 } }).listMembers()).resolves.toHaveLength(
      1,
    );
    expect(e.requests.filter((r) => r.path.endsWith('/public/members'))).toHaveLength(2);
  });

  it('reports an unreachable server with the URL after the retries', async () => {
    const e = await emulator();
    const url = e.url;
    await e.stop();
    const error = (await clientFor(e, {
      urls: resolveEnvironmentUrls({ base: url }),
      retry: { attempts: 2 },
    })
      .login()
      .catch((x: unknown) => x)) as BitwardenApiError;
    expect(error).toBeInstanceOf(BitwardenApiError);
    expect(error.status).toBe(0);
    expect(error.message).toContain(`${url}/identity/connect/token`);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('stops waiting when the caller cancels', async () => {
    const e = await emulator();
    e.faults.add({ path: '/public/organization/import', status: 429, retryAfterSeconds: 60 });
    const controller = new AbortController();
    const pending = clientFor(e).importOrganization(request(), controller.signal);
    setTimeout(() => controller.abort(), 200);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });
});

/** A loopback HTTP proxy that tunnels CONNECT and forwards absolute-form requests, and records both. */
async function startProxy(): Promise<{ url: string; seen: string[]; stop(): Promise<void> }> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url!);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = req.url!.split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [upstream, client]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('proxy', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of [
      'HTTP_PROXY',
      'http_proxy',
      'HTTPS_PROXY',
      'https_proxy',
      'NO_PROXY',
      'no_proxy',
    ]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('sends every request through HTTP_PROXY from the environment', async () => {
    const e = await emulator();
    const proxy = await startProxy();
    try {
      process.env.HTTP_PROXY = proxy.url;
      const client = clientFor(e);
      await client.importOrganization(request());
      await client.close();
      const host = new URL(e.url).host;
      expect(proxy.seen.length).toBeGreaterThan(0);
      expect(proxy.seen.every((s) => s === `CONNECT ${host}`)).toBe(true);
      expect(importCalls(e)).toBe(1);
    } finally {
      await proxy.stop();
    }
  });

  it('bypasses the proxy for hosts in NO_PROXY', async () => {
    const e = await emulator();
    const proxy = await startProxy();
    try {
      process.env.HTTP_PROXY = proxy.url;
      process.env.NO_PROXY = '127.0.0.1';
      await clientFor(e).importOrganization(request());
      expect(proxy.seen).toEqual([]);
      expect(importCalls(e)).toBe(1);
    } finally {
      await proxy.stop();
    }
  });

  it('takes explicit proxy settings over the environment', async () => {
    const e = await emulator();
    const proxy = await startProxy();
    try {
      const client = clientFor(e, { proxy: { httpProxy: proxy.url } });
      await client.login();
      await client.close();
      expect(proxy.seen).toEqual([`CONNECT ${new URL(e.url).host}`]);
    } finally {
      await proxy.stop();
    }
  });
});

describe('token expiry per call', () => {
  it('a 401 on one call (token refused mid-run) is answered with one fresh login and a retry', async () => {
    const e = await emulator();
    const client = clientFor(e);
    await client.listGroups();
    e.faults.add({ path: '/public/organization/import', status: 401 });
    await client.importOrganization(request());
    expect(tokenCalls(e)).toBe(2);
    expect(importCalls(e)).toBe(2);
  });
});
