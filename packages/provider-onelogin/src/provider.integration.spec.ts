import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import {
  CancelledError,
  parseConfig,
  silentLogger,
  type Logger,
  type SyncConfig,
} from '@bwdc/core';
import {
  cancelAtFirstRetry,
  describeProviderContract,
  viewOfSnapshot,
  type ContractFixture,
} from '@bwdc/directory-provider';
import { startOneLoginEmulator, type OneLoginEmulator } from '@bwdc/emulator-onelogin';
import { OneLoginError } from './errors';
import { OneLoginDirectoryProvider, type OneLoginProviderIo } from './provider';

const fixture: ContractFixture = {
  users: [
    { email: 'alice@example.com' },
    { email: 'bob@example.com' },
    { email: 'carol@example.com', disabled: true },
    { email: 'erin@example.com' },
  ],
  groups: [
    { name: 'Engineering', memberEmails: ['alice@example.com', 'bob@example.com'] },
    { name: 'Sales', memberEmails: ['carol@example.com', 'erin@example.com'] },
    { name: 'Empty', memberEmails: [] },
  ],
};

/** The fixture the way OneLogin holds it: each user exercises one of the email rules. */
function loadFixture(emulator: OneLoginEmulator): void {
  const d = emulator.directory;
  const engineering = d.addRole('Engineering').id;
  const sales = d.addRole('Sales').id;
  d.addRole('Empty');
  d.addUser({ email: ' Alice@Example.COM', username: 'alice', roleIds: [engineering] });
  d.addUser({ email: null, username: 'Bob@example.com', roleIds: [engineering] });
  d.addUser({ email: 'carol@example.com', username: 'carol', status: 2, roleIds: [sales] });
  d.addUser({ email: 'not-an-email', username: 'erin', roleIds: [sales] });
}

function fastSleep(emulator: OneLoginEmulator, log: number[] = []): (ms: number) => Promise<void> {
  return async (ms) => {
    log.push(ms);
    emulator.clock.advance(ms);
  };
}

function syncConfig(overrides: Record<string, unknown> = {}): SyncConfig {
  return parseConfig('sync', {
    users: true,
    groups: true,
    useEmailPrefixSuffix: true,
    emailSuffix: '@example.com',
    ...overrides,
  });
}

function provider(
  emulator: OneLoginEmulator,
  options: {
    sync?: SyncConfig;
    io?: OneLoginProviderIo;
    clientSecret?: string;
    logger?: Logger;
  } = {},
): OneLoginDirectoryProvider {
  return new OneLoginDirectoryProvider(
    parseConfig('onelogin', {
      clientId: emulator.clientId,
      clientSecret: options.clientSecret ?? emulator.clientSecret,
      apiUrl: emulator.apiUrl,
    }),
    options.sync ?? syncConfig(),
    options.logger ?? silentLogger,
    { sleep: fastSleep(emulator), ...options.io },
  );
}

describe('OneLoginDirectoryProvider against the OneLogin emulator', () => {
  let emulator: OneLoginEmulator;
  beforeAll(async () => {
    emulator = await startOneLoginEmulator();
    loadFixture(emulator);
  });
  afterAll(() => emulator.stop());

  describeProviderContract({
    name: 'onelogin (emulator, REST)',
    runner: { describe, it, expect },
    fixture,
    createProvider: (overrides) => provider(emulator, { sync: syncConfig(overrides) }),
    filterCases: [
      {
        userFilter: '|status=1',
        expectUserEmails: ['alice@example.com', 'bob@example.com', 'erin@example.com'],
      },
      {
        userFilter: 'exclude:nobody@example.com|email=*@example.com',
        expectUserEmails: ['alice@example.com', 'carol@example.com'],
      },
      { userFilter: '|username=*o*', expectUserEmails: ['bob@example.com', 'carol@example.com'] },
      { groupFilter: '|name=Sales', expectGroupNames: ['Sales'] },
      { groupFilter: 'include:Sales|name=E*', expectGroupNames: ['Empty', 'Engineering'] },
    ],
  });

  it('applies the email rules: email, else an email-like username, else username + suffix only when asked', async () => {
    const withSuffix = await provider(emulator).fetch({ users: true, groups: false, mode: 'full' });
    expect(withSuffix.users!.map((u) => u.email).sort()).toEqual([
      'alice@example.com',
      'bob@example.com',
      'carol@example.com',
      'erin@example.com',
    ]);
    const without = await provider(emulator, {
      sync: syncConfig({ useEmailPrefixSuffix: false }),
    }).fetch({
      users: true,
      groups: false,
      mode: 'full',
    });
    const erin = emulator.directory.users().find((u) => u.username === 'erin')!;
    expect(without.users!.find((u) => u.externalId === String(erin.id))!.email).toBe(undefined);
    const bareSuffix = await provider(emulator, {
      sync: syncConfig({ emailSuffix: 'corp.example' }),
    }).fetch({
      users: true,
      groups: false,
      mode: 'full',
    });
    expect(bareSuffix.users!.find((u) => u.externalId === String(erin.id))!.email).toBe(
      'erin@corp.example',
    );
  });

  it('maps only status 2 (suspended) to disabled and never marks users deleted', async () => {
    const locked = emulator.directory.addUser({ email: 'locked@example.com', status: 3 });
    try {
      const snapshot = await provider(emulator).fetch({ users: true, groups: false, mode: 'full' });
      const view = viewOfSnapshot(snapshot);
      expect(view.users['locked@example.com']).toEqual({ disabled: false, deleted: false });
      expect(view.users['carol@example.com']).toEqual({ disabled: true, deleted: false });
      expect(snapshot.users!.some((u) => u.deleted)).toBe(false);
    } finally {
      emulator.directory.removeUser(locked.id);
    }
  });

  it('gets one token by client credentials with Basic auth and calls the API with bearer:<token>', async () => {
    const from = emulator.requests.length;
    const issued = emulator.tokensIssued();
    await provider(emulator).fetch({ users: true, groups: true, mode: 'full' });
    const calls = emulator.requests.slice(from);
    expect(emulator.tokensIssued() - issued).toBe(1);
    const tokenCall = calls.find((c) => c.path === '/auth/oauth2/v2/token')!;
    expect(tokenCall.method).toBe('POST');
    expect(tokenCall.authorization).toBe(
      `Basic ${Buffer.from(`${emulator.clientId}:${emulator.clientSecret}`).toString('base64')}`,
    );
    expect(
      calls
        .filter((c) => c.path.startsWith('/api/1/'))
        .every((c) => /^bearer:\S+$/.test(c.authorization ?? '')),
    ).toBe(true);
  });

  it('renews an expired token once and carries on', async () => {
    const p = provider(emulator);
    await p.verify();
    emulator.faults.expireTokens();
    const issued = emulator.tokensIssued();
    const snapshot = await p.fetch({ users: true, groups: false, mode: 'full' });
    expect(snapshot.users!.length).toBe(4);
    expect(emulator.tokensIssued() - issued).toBe(1);
  });

  it('rejects a wrong client secret with an error naming the settings, never the secret', async () => {
    const lines: string[] = [];
    const capture = (m: string, f?: Readonly<Record<string, unknown>>): void =>
      void lines.push(m + JSON.stringify(f));
    const wrong = 'definitely-wrong-secret-123';
    const error = await provider(emulator, {
      clientSecret: wrong,
      logger: { debug: capture, info: capture, warn: capture, error: capture },
    })
      .verify()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(OneLoginError);
    expect((error as OneLoginError).code).toBe('DIRECTORY_AUTH_FAILED');
    expect((error as OneLoginError).message).toContain('onelogin.clientSecret');
    expect((error as OneLoginError).message).not.toContain(wrong);
    expect(lines.join('\n')).not.toContain(wrong);
  });

  it('names the filter setting when OneLogin rejects the query', async () => {
    const error = await provider(emulator, {
      sync: syncConfig({ userFilter: '|favourite_colour=blue' }),
    })
      .fetch({ users: true, groups: false, mode: 'full' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(OneLoginError);
    expect((error as OneLoginError).message).toContain('sync.userFilter');
  });

  it('retries 429s and transient errors, and reports lasting failures', async () => {
    // A one-minute window, so each 429's X-RateLimit-Reset is within the wait the policy allows.
    emulator.faults.setRateLimit({ limit: 5000, windowSeconds: 60 });
    const sleeps: number[] = [];
    emulator.faults.rateLimitNext(2);
    emulator.faults.failNext(1, 503);
    const snapshot = await provider(emulator, { io: { sleep: fastSleep(emulator, sleeps) } }).fetch(
      {
        users: true,
        groups: false,
        mode: 'full',
      },
    );
    expect(snapshot.users!.length).toBe(4);
    expect(sleeps.length).toBe(3);
    expect(sleeps.every((ms) => ms > 0)).toBe(true);

    emulator.faults.rateLimitNext(10);
    const error = await provider(emulator, { io: { retry: { attempts: 2 } } })
      .fetch({ users: true, groups: false, mode: 'full' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    emulator.faults.clear();
    emulator.faults.setRateLimit({ limit: 5000, windowSeconds: 3600 });
    expect(error).toBeInstanceOf(OneLoginError);
    expect((error as OneLoginError).message).toMatch(/rate limit/);
  });

  it('does not wait out a window reset past its cap: it fails at once and says how long is left', async () => {
    // OneLogin's own window is an hour; a 429 in it asks to wait for the rest of the hour.
    const sleeps: number[] = [];
    emulator.faults.rateLimitNext(1);
    const error = await provider(emulator, { io: { sleep: fastSleep(emulator, sleeps) } })
      .fetch({ users: true, groups: false, mode: 'full' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    emulator.faults.clear();
    expect(error).toBeInstanceOf(OneLoginError);
    expect((error as OneLoginError).code).toBe('DIRECTORY_READ_FAILED');
    expect((error as OneLoginError).message).toMatch(/rate limit .*wait (\d+) s more/);
    const seconds = Number(/wait (\d+) s more/.exec((error as OneLoginError).message)![1]);
    expect(seconds).toBeGreaterThan(120);
    expect(sleeps).toEqual([]);
  });

  it('returns at once when cancelled during a rate-limit wait, long before the window resets', async () => {
    emulator.faults.setRateLimit({ limit: 5000, windowSeconds: 60 });
    // Cancels as soon as the provider starts waiting: the real timer is asked to wait a minute.
    const { logger, signal, waits } = cancelAtFirstRetry();
    emulator.faults.rateLimitNext(1);
    const started = Date.now();
    try {
      const read = provider(emulator, { io: { sleep: undefined }, logger }).fetch({
        users: true,
        groups: false,
        mode: 'full',
        signal,
      });
      await expect(read).rejects.toBeInstanceOf(CancelledError);
    } finally {
      emulator.faults.clear();
      emulator.faults.setRateLimit({ limit: 5000, windowSeconds: 3600 });
    }
    const elapsed = Date.now() - started;
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(10_000);
    expect(elapsed).toBeLessThan(waits[0]! / 2);
  });

  it('times out a hung request and retries it', async () => {
    const sent: string[] = [];
    const counting: typeof fetch = (input, init) => {
      sent.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };
    emulator.faults.delayNext(1, 3000);
    const snapshot = await provider(emulator, {
      io: { fetch: counting, retry: { timeoutMs: 300 } },
    }).fetch({ users: true, groups: false, mode: 'full' });
    expect(snapshot.users!.length).toBe(4);
    // The token call hung, was aborted after 300 ms and sent again.
    expect(sent.filter((p) => p === '/auth/oauth2/v2/token')).toHaveLength(2);
  });

  it('refuses configurations it cannot use', async () => {
    const missing = new OneLoginDirectoryProvider(
      parseConfig('onelogin', { clientId: 'id', apiUrl: emulator.apiUrl }),
      syncConfig(),
      silentLogger,
    );
    await expect(missing.verify()).rejects.toMatchObject({ code: 'DIRECTORY_NOT_CONFIGURED' });
    const plain = new OneLoginDirectoryProvider(
      {
        id: undefined,
        clientId: 'a',
        clientSecret: 'b',
        region: 'us',
        apiUrl: 'http://api.us.onelogin.com',
      },
      syncConfig(),
      silentLogger,
    );
    await expect(plain.verify()).rejects.toMatchObject({ code: 'DIRECTORY_NOT_CONFIGURED' });
  });
});

describe('OneLoginDirectoryProvider at scale', () => {
  let emulator: OneLoginEmulator;
  beforeAll(async () => {
    emulator = await startOneLoginEmulator();
    emulator.directory.populate({ users: 1100, roles: 4, rolesPerUser: 2 });
  });
  afterAll(() => emulator.stop());

  it('pages over 1000 users and fills role membership by pagination.next_link', async () => {
    const from = emulator.requests.length;
    const snapshot = await provider(emulator).fetch({ users: true, groups: true, mode: 'full' });
    expect(snapshot.users!.length).toBe(1100);
    const userCalls = emulator.requests.slice(from).filter((r) => r.path === '/api/1/users');
    expect(userCalls.length).toBe(22);
    expect(userCalls.filter((r) => r.query.after_cursor !== undefined).length).toBe(21);
    expect(snapshot.groups!.map((g) => g.userMemberExternalIds.length)).toEqual([
      550, 550, 550, 550,
    ]);
  });

  it('fills role membership when users are not synced', async () => {
    const snapshot = await provider(emulator, { sync: syncConfig({ users: false }) }).fetch({
      users: false,
      groups: true,
      mode: 'full',
    });
    expect(snapshot.users).toBe(undefined);
    expect(snapshot.groups!.map((g) => g.userMemberExternalIds.length)).toEqual([
      550, 550, 550, 550,
    ]);
  });

  it('waits out a rate-limit window it runs into, for as long as OneLogin says', async () => {
    emulator.faults.setRateLimit({ limit: 10, windowSeconds: 60 });
    try {
      const sleeps: number[] = [];
      const snapshot = await provider(emulator, {
        io: { sleep: fastSleep(emulator, sleeps) },
      }).fetch({
        users: true,
        groups: false,
        mode: 'full',
      });
      expect(snapshot.users!.length).toBe(1100);
      // 23 calls at 10 per window: at least two waits, each for the rest of a window.
      expect(sleeps.length).toBeGreaterThanOrEqual(2);
      expect(sleeps.every((ms) => ms > 0 && ms <= 61_000)).toBe(true);
    } finally {
      emulator.faults.setRateLimit({ limit: 5000, windowSeconds: 3600 });
    }
  });
});

describe('OneLoginDirectoryProvider endpoints', () => {
  it('uses https://api.<region>.onelogin.com unless onelogin.apiUrl overrides it', async () => {
    const seen: string[] = [];
    const fakeFetch = (async (input: string | URL | Request) => {
      seen.push(String(input));
      return new Response(JSON.stringify({ message: 'Authentication Failure' }), { status: 401 });
    }) as typeof fetch;
    const eu = new OneLoginDirectoryProvider(
      parseConfig('onelogin', { clientId: 'id', clientSecret: 'secret', region: 'eu' }),
      syncConfig(),
      silentLogger,
      { fetch: fakeFetch },
    );
    await expect(eu.verify()).rejects.toMatchObject({ code: 'DIRECTORY_AUTH_FAILED' });
    expect(seen).toEqual(['https://api.eu.onelogin.com/auth/oauth2/v2/token']);
  });
});
