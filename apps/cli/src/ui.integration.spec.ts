import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startBitwardenEmulator, type BitwardenEmulator } from '@bwdc/emulator-bitwarden';
import { assertBuilt, runBwdc, spawnBwdc, tempDataDir, type BwdcResult } from './testing/run-bwdc';

// `bwdc ui` as an admin runs it on a server: the real bwdc serving the built renderer and the
// bridge over the real connector, with its token and Host checks, against the Bitwarden emulator.

let emulator: BitwardenEmulator;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  assertBuilt();
  emulator = await startBitwardenEmulator({ seats: null });
  dataDir = tempDataDir('bwdc-ui-');
  env = {
    BITWARDENCLI_CONNECTOR_APPDATA_DIR: dataDir,
    BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true',
  };
});

afterAll(async () => {
  await emulator.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A raw request, so the test controls the Host header and the token. */
function call(
  origin: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: url.host, 'content-type': 'application/json', ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

async function waitFor(output: () => BwdcResult, pattern: RegExp): Promise<RegExpMatchArray> {
  for (;;) {
    const { stdout, stderr, code } = output();
    const match = stdout.match(pattern);
    if (match) return match;
    if (code !== null) throw new Error(`bwdc ui exited with ${code}: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('bwdc ui', () => {
  it('serves the UI and the bridge with its token, on the same data folder as the CLI', async () => {
    const { child, output, result } = spawnBwdc(['ui', '--port', '0'], env);
    child.stdin.end();
    const [, origin, token] = await waitFor(
      output,
      /(http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)/,
    );
    const bridge = (method: string, args: unknown[] = [], headers: Record<string, string> = {}) =>
      call(origin!, `/bridge/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, ...headers },
        body: { args },
      });

    const page = await call(origin!, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('<div id="root"></div>');
    const script = page.body.match(/src="\.\/(assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const bundle = await call(origin!, `/${script}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toBe('text/javascript; charset=utf-8');

    // Without the token, from another Host, or to a path outside the site: refused.
    expect((await bridge('appInfo', [], { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await bridge('appInfo', [], { host: 'evil.example:80' })).status).toBe(421);
    expect((await call(origin!, '/%2e%2e/%2e%2e/package.json')).status).toBe(404);

    const info = JSON.parse((await bridge('appInfo')).body);
    expect(info).toEqual({
      ok: true,
      value: expect.objectContaining({
        mode: 'browser',
        version: JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version,
        dataFile: join(dataDir, 'data.json'),
      }),
    });
    expect(JSON.parse((await bridge('setServer', [emulator.url])).body)).toEqual({
      ok: true,
      value: null,
    });
    expect(
      JSON.parse((await bridge('login', [emulator.clientId, emulator.clientSecret])).body),
    ).toEqual({ ok: true, value: { organizationId: emulator.organizationId } });

    child.kill('SIGTERM');
    expect((await result).code).toBe(0);

    // What the UI saved is what the CLI reads: the same data folder.
    expect(await runBwdc(['config', 'list'], env)).toMatchObject({ code: 0 });
    expect(readFileSync(join(dataDir, 'data.json'), 'utf8')).toContain(emulator.organizationId);
  });

  it('refuses a non-loopback address unless --allow-remote is given', async () => {
    const refused = await runBwdc(['ui', '--host', '0.0.0.0', '--port', '0'], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).not.toContain('token=');
    expect(refused.stderr).toContain('Refusing to serve the bwdc UI on 0.0.0.0');
  });
});
