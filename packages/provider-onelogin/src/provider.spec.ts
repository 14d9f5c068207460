import { describe, expect, it } from '@jest/globals';
import { CancelledError, parseConfig, silentLogger } from '@bwdc/core';
import { OneLoginDirectoryProvider } from './provider';
import { OneLoginError } from './errors';

const API = 'https://api.us.onelogin.com';

/** A scripted OneLogin: the token endpoint always succeeds; list URLs answer from `pages`. */
function fakeOneLogin(
  pages: Record<string, { status?: number; body: unknown; headers?: Record<string, string> }[]>,
): {
  fetch: typeof fetch;
  calls: string[];
} {
  const calls: string[] = [];
  const fetchImpl = (async (input: string | URL | Request) => {
    const url = String(input);
    calls.push(url);
    if (url.endsWith('/auth/oauth2/v2/token')) {
      return new Response(
        JSON.stringify({ access_token: 'tok', expires_in: 36000, token_type: 'bearer' }),
        { status: 200 },
      );
    }
    const queue = pages[url];
    const next = queue?.shift();
    if (!next)
      return new Response(JSON.stringify({ status: { message: `unexpected ${url}` } }), {
        status: 404,
      });
    return new Response(JSON.stringify(next.body), {
      status: next.status ?? 200,
      headers: next.headers,
    });
  }) as typeof fetch;
  return { fetch: fetchImpl, calls };
}

const page = (data: unknown[], next: string | null = null): { body: unknown } => ({
  body: { status: { error: false, code: 200 }, pagination: { next_link: next }, data },
});

function provider(
  fetchImpl: typeof fetch,
  sync: Record<string, unknown> = {},
  sleeps: number[] = [],
): OneLoginDirectoryProvider {
  return new OneLoginDirectoryProvider(
    parseConfig('onelogin', { clientId: 'id', clientSecret: 'secret' }),
    parseConfig('sync', { users: true, groups: false, ...sync }),
    silentLogger,
    { fetch: fetchImpl, sleep: async (ms) => void sleeps.push(ms) },
  );
}

describe('OneLoginDirectoryProvider (scripted API)', () => {
  it('maps users by the official email rules and status 2 as disabled', async () => {
    const { fetch } = fakeOneLogin({
      [`${API}/api/1/users`]: [
        page([
          { id: 1, email: 'A@Example.com', username: 'a', status: 1 },
          { id: 2, email: '', username: 'b@example.com', status: 2 },
          { id: 3, email: 'nope', username: 'c', status: 1 },
          { id: 4, email: null, username: null, status: 1 },
        ]),
      ],
    });
    const snapshot = await provider(fetch, {
      useEmailPrefixSuffix: true,
      emailSuffix: '@corp.example',
    }).fetch({
      users: true,
      groups: false,
      mode: 'full',
    });
    expect(snapshot.users).toEqual([
      {
        externalId: '1',
        referenceId: '1',
        email: 'a@example.com',
        disabled: false,
        deleted: false,
      },
      { externalId: '2', referenceId: '2', email: 'b@example.com', disabled: true, deleted: false },
      {
        externalId: '3',
        referenceId: '3',
        email: 'c@corp.example',
        disabled: false,
        deleted: false,
      },
      { externalId: '4', referenceId: '4', email: undefined, disabled: false, deleted: false },
    ]);
    expect(snapshot.complete).toBe(true);
  });

  it('follows next_link on its own origin only', async () => {
    const { fetch } = fakeOneLogin({
      [`${API}/api/1/users`]: [
        page(
          [{ id: 1, email: 'a@example.com' }],
          'https://evil.example/api/1/users?after_cursor=x',
        ),
      ],
    });
    const error = await provider(fetch)
      .fetch({ users: true, groups: false, mode: 'full' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(OneLoginError);
    expect((error as OneLoginError).message).toContain('https://evil.example');
  });

  it('waits as long as X-RateLimit-Reset says before retrying a 429', async () => {
    const sleeps: number[] = [];
    const { fetch } = fakeOneLogin({
      [`${API}/api/1/users?status=1`]: [
        {
          status: 429,
          body: { status: { message: 'Rate Limit Exceeded' } },
          headers: { 'X-RateLimit-Reset': '7' },
        },
        page([{ id: 1, email: 'a@example.com' }]),
      ],
    });
    const snapshot = await provider(fetch, { userFilter: '|status=1' }, sleeps).fetch({
      users: true,
      groups: false,
      mode: 'full',
    });
    expect(snapshot.users!.length).toBe(1);
    expect(sleeps).toEqual([7250]);
  });

  it('stops with a CancelledError between pages', async () => {
    const controller = new AbortController();
    const { fetch, calls } = fakeOneLogin({
      [`${API}/api/1/users`]: [
        page([{ id: 1, email: 'a@example.com' }], `${API}/api/1/users?after_cursor=2`),
      ],
      [`${API}/api/1/users?after_cursor=2`]: [page([{ id: 2, email: 'b@example.com' }])],
    });
    const read = provider(fetch).fetch({
      users: true,
      groups: false,
      mode: 'full',
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(read).rejects.toBeInstanceOf(CancelledError);
    expect(calls.filter((c) => c.includes('after_cursor'))).toEqual([]);
  });

  it('reports an unreachable server as DIRECTORY_UNREACHABLE', async () => {
    const failing = (async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
    }) as typeof fetch;
    await expect(provider(failing).verify()).rejects.toMatchObject({
      code: 'DIRECTORY_UNREACHABLE',
    });
  });
});
