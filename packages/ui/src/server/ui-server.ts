import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { BwdcError, isLoopbackHost } from '@bwdc/core';
import type { BridgeReply } from '../shared/bridge';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';
import type { StaticFiles } from './renderer-files';

export interface UiServerOptions {
  /** Runs one bridge call (usually `dispatch` over a BridgeBackend). */
  readonly handle: (method: string, args: unknown[]) => Promise<BridgeReply>;
  /** The built renderer (`builtRenderer()`, or `filesInFolder(dir)` for another build). */
  readonly files: StaticFiles;
  /** Default 127.0.0.1. Anything but a loopback address needs `allowRemote`. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Serve on a non-loopback address. The UI can change every setting, so this is opt-in. */
  readonly allowRemote?: boolean;
  /** Default: 32 random bytes, new on every run. */
  readonly token?: string;
}

export interface UiServer {
  /** The address to open, with the token in the fragment (never sent to the server or in a Referer). */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * Browser mode: serves the built renderer and the bridge (`POST /bridge/<method>`, JSON
 * `{"args": [...]}`, header `Authorization: Bearer <token>`) for hosts without a desktop.
 * Every bridge call needs the per-run token; requests naming another Host are refused so a
 * web page cannot reach the server through DNS rebinding.
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !options.allowRemote) {
    throw new BwdcError(
      'CONFIG_INVALID',
      `Refusing to serve the bwdc UI on ${host}: anyone who can reach it could change the connector. ` +
        'Serve it on 127.0.0.1 and use an SSH tunnel, or pass --allow-remote if you really mean it.',
    );
  }
  const token = options.token ?? randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  let allowedHosts = new Set<string>();

  const server: Server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, {
          ok: false,
          error: { code: 'INTERNAL', message: (error as Error).message },
        });
      else res.destroy();
    });
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      return sendJson(res, 421, {
        ok: false,
        error: { code: 'BRIDGE_FORBIDDEN', message: 'Unexpected Host header.' },
      });
    }
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (url.pathname.startsWith('/bridge/'))
      return handleBridge(req, res, decodeURIComponent(url.pathname.slice('/bridge/'.length)));
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, {
        ok: false,
        error: { code: 'BRIDGE_BAD_REQUEST', message: 'Method not allowed.' },
      });
    return serveStatic(res, url.pathname, req.method === 'HEAD');
  }

  async function handleBridge(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
  ): Promise<void> {
    if (req.method !== 'POST')
      return sendJson(res, 405, {
        ok: false,
        error: { code: 'BRIDGE_BAD_REQUEST', message: 'Use POST.' },
      });
    const given = Buffer.from(String(req.headers.authorization ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      req.resume();
      return sendJson(res, 401, {
        ok: false,
        error: {
          code: 'BRIDGE_UNAUTHORIZED',
          message:
            'This page has no valid access token. Open the address bwdc printed when it started.',
        },
      });
    }
    const origin = req.headers.origin;
    if (
      origin !== undefined &&
      !allowedHosts.has(origin.replace(/^https?:\/\//, '').toLowerCase())
    ) {
      req.resume();
      return sendJson(res, 403, {
        ok: false,
        error: { code: 'BRIDGE_FORBIDDEN', message: 'Cross-origin bridge calls are refused.' },
      });
    }
    let body: { args?: unknown };
    try {
      body = JSON.parse(await readBody(req)) as { args?: unknown };
    } catch (error) {
      return sendJson(res, 400, {
        ok: false,
        error: { code: 'BRIDGE_BAD_REQUEST', message: (error as Error).message },
      });
    }
    const args = Array.isArray(body?.args) ? (body.args as unknown[]) : [];
    sendJson(res, 200, await options.handle(method, args));
  }

  async function serveStatic(
    res: ServerResponse,
    pathname: string,
    headOnly: boolean,
  ): Promise<void> {
    const relative =
      pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const body = await options.files.read(relative);
    if (!body)
      return sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'Not found.' } });
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': TYPES[extname(relative)] ?? 'application/octet-stream',
      'content-length': body.byteLength,
      'cache-control': relative === 'index.html' ? 'no-store' : 'public, max-age=3600',
    });
    res.end(headOnly ? undefined : body);
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  allowedHosts = new Set([`${hostForUrl}:${port}`.toLowerCase()]);
  if (isLoopbackHost(host)) {
    for (const name of ['localhost', '127.0.0.1', '[::1]']) allowedHosts.add(`${name}:${port}`);
  }
  const origin = `http://${hostForUrl}:${port}`;
  return {
    origin,
    url: `${origin}/#token=${token}`,
    token,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('The request is too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8') || '{}'));
    req.on('error', reject);
  });
}
