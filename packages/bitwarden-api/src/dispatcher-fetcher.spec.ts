import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { dispatcherFetcher } from './dispatcher-fetcher';

let server: Server;
let base: string;
const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/elsewhere' });
        return res.end();
      }
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(200, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('dispatcherFetcher', () => {
  const agent = new Agent();
  afterAll(() => agent.close());
  const fetcher = dispatcherFetcher(agent);

  it('sends method, path with query, headers and body, and reads status, headers and text', async () => {
    const res = await fetcher(`${base}/public/members?continuationToken=a%20b`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: '{"x":1}',
      signal: AbortSignal.timeout(5000),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Retry-After')).toBe('7');
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(res.headers.get('x-missing')).toBeNull();
    expect(await res.text()).toBe('{"ok":true}');
    expect(seen.at(-1)).toEqual({
      method: 'POST',
      url: '/public/members?continuationToken=a%20b',
      auth: 'Bearer t',
      body: '{"x":1}',
    });
  });

  it('does not follow a redirect, so the bearer token goes nowhere else', async () => {
    const before = seen.length;
    const res = await fetcher(`${base}/moved`, {
      method: 'GET',
      headers: { authorization: 'Bearer t' },
      signal: AbortSignal.timeout(5000),
    });
    expect(res.status).toBe(302);
    expect(seen.slice(before).map((s) => s.url)).toEqual(['/moved']);
  });

  it('gives up when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      fetcher(`${base}/x`, { method: 'GET', headers: {}, signal: controller.signal }),
    ).rejects.toThrow();
  });
});
