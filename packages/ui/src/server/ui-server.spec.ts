import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBridgeBackend } from '../backend/backend';
import { dispatch } from '../backend/dispatch';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';
import { createFakeConnector } from '../testing/fake-connector';
import { filesInFolder } from './renderer-files';
import { startUiServer, type UiServer } from './ui-server';

let dir: string;
let server: UiServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bwdc-ui-'));
  mkdirSync(join(dir, 'site', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'site', 'index.html'), '<!doctype html><title>bwdc</title>');
  writeFileSync(join(dir, 'site', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the site');
  const backend = createBridgeBackend({
    connector: createFakeConnector().connector,
    mode: 'browser',
    version: '9.9.9',
  });
  server = await startUiServer({
    handle: (m, a) => dispatch(backend, m, a),
    files: filesInFolder(join(dir, 'site')),
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw request, so tests control the Host and Origin headers a browser would send. */
function call(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const url = new URL(server.origin);
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: url.host, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const bridge = (method: string, args: unknown[], headers: Record<string, string> = {}) =>
  call(`/bridge/${method}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${server.token}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify({ args }),
  });

describe('the browser-mode UI server', () => {
  it('listens on 127.0.0.1 and puts a fresh random token in the address fragment', async () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toBe(`${server.origin}/#token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const other = await startUiServer({
      handle: async () => ({ ok: true, value: null }),
      files: filesInFolder(dir),
    });
    expect(other.token).not.toBe(server.token);
    await other.close();
  });

  it('serves the renderer with the strict CSP and no token', async () => {
    const res = await call('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>bwdc</title>');
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await call('/assets/app.js')).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
  });

  it('serves nothing outside its folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await call(path);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('outside the site');
    }
  });

  it('answers bridge calls that carry the token', async () => {
    const res = await bridge('appInfo', []);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      ok: true,
      value: {
        version: '9.9.9',
        mode: 'browser',
        dataFile: '/tmp/bwdc-fake/data.json',
        canPickFiles: false,
      },
    });
    expect(JSON.parse((await bridge('login', ['organization.o', 'wrong'])).body)).toMatchObject({
      ok: false,
      error: { code: 'BITWARDEN_AUTH_FAILED' },
    });
  });

  it('refuses bridge calls without the right token', async () => {
    const none = await call('/bridge/appInfo', { method: 'POST', body: '{"args":[]}' });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.code).toBe('BRIDGE_UNAUTHORIZED');
    const wrong = await bridge('appInfo', [], {
      authorization: `Bearer ${server.token.slice(1)}x`,
    });
    expect(wrong.status).toBe(401);
    expect((await call('/bridge/appInfo')).status).toBe(405);
  });

  it('refuses another Host (DNS rebinding) and a foreign Origin', async () => {
    expect((await bridge('appInfo', [], { host: 'evil.example:80' })).status).toBe(421);
    expect((await call('/', { headers: { host: 'evil.example' } })).status).toBe(421);
    expect((await bridge('appInfo', [], { origin: 'http://evil.example' })).status).toBe(403);
    expect((await bridge('appInfo', [], { origin: server.origin })).status).toBe(200);
    const port = new URL(server.origin).port;
    expect((await bridge('appInfo', [], { host: `localhost:${port}` })).status).toBe(200);
  });

  it('refuses bodies that are not JSON or too large', async () => {
    const bad = await call('/bridge/appInfo', {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}` },
      body: '{',
    });
    expect(bad.status).toBe(400);
    const huge = await call('/bridge/importGoogleKey', {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ args: ['x'.repeat(1_100_000)] }),
    }).catch((e: NodeJS.ErrnoException) => ({
      status: e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 400 : 0,
      headers: {},
      body: '',
    }));
    expect(huge.status).toBe(400);
  });

  it('refuses a non-loopback address unless asked explicitly', async () => {
    const handle = async () => ({ ok: true as const, value: null });
    await expect(
      startUiServer({ handle, files: filesInFolder(dir), host: '0.0.0.0' }),
    ).rejects.toThrow(/Refusing to serve the bwdc UI on 0\.0\.0\.0/);
    await expect(
      startUiServer({ handle, files: filesInFolder(dir), host: '192.0.2.1' }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    // With the explicit opt-in the guard lets it through; the bind itself then fails because this
    // documentation-only address is not on the machine, so the test opens nothing to the network.
    await expect(
      startUiServer({ handle, files: filesInFolder(dir), host: '192.0.2.1', allowRemote: true }),
    ).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
  });
});
