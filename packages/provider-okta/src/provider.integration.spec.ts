import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import {
  CancelledError,
  FilterSyntaxError,
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
import { startOktaEmulator, type OktaEmulator, type OktaUserStatus } from '@bwdc/emulator-okta';
import { OktaDirectoryProvider, type OktaProviderIo } from './provider';
import { OktaError } from './errors';

/** The contract kit's directory, loaded into an Okta emulator. */
const oktaContractFixture: ContractFixture = {
  users: [
    { email: 'alice@example.com' },
    { email: 'bob@example.com' },
    { email: 'carol@example.com', disabled: true },
    { email: 'dave@example.com', deleted: true },
    { email: 'erin@example.com' },
  ],
  groups: [
    { name: 'Engineering', memberEmails: ['alice@example.com', 'bob@example.com'] },
    { name: 'Sales', memberEmails: ['carol@example.com', 'erin@example.com'] },
    { name: 'Empty', memberEmails: [] },
  ],
};

function loadOktaFixture(
  emulator: OktaEmulator,
  fixture: ContractFixture = oktaContractFixture,
): void {
  for (const user of fixture.users) {
    const status: OktaUserStatus = user.deleted
      ? 'DEPROVISIONED'
      : user.disabled
        ? 'SUSPENDED'
        : 'ACTIVE';
    // Mixed case on purpose: the provider must hand over lower-cased emails.
    const email = user.email.replace(/^./, (c) => c.toUpperCase());
    emulator.directory.addUser({ email, status, firstName: user.email.split('@')[0] });
  }
  for (const group of fixture.groups) {
    const made = emulator.directory.addGroup({ name: group.name });
    for (const email of group.memberEmails)
      emulator.directory.addMember(made.id, emulator.directory.userByEmail(email)!.id);
  }
}

/** A sleep that takes no real time but moves the emulator's clock, so rate windows reset. */
function fastSleep(emulator: OktaEmulator, log: number[] = []): (ms: number) => Promise<void> {
  return async (ms) => {
    log.push(ms);
    emulator.clock.advance(ms);
  };
}

function syncConfig(
  overrides: Partial<Record<'userFilter' | 'groupFilter', string>> = {},
): SyncConfig {
  return parseConfig('sync', { users: true, groups: true, ...overrides });
}

function provider(
  emulator: OktaEmulator,
  options: { sync?: SyncConfig; io?: OktaProviderIo; token?: string; logger?: Logger } = {},
): OktaDirectoryProvider {
  return new OktaDirectoryProvider(
    parseConfig('okta', { orgUrl: emulator.orgUrl, token: options.token ?? emulator.token }),
    options.sync ?? syncConfig(),
    options.logger ?? silentLogger,
    { ca: emulator.caCert, sleep: fastSleep(emulator), ...options.io },
  );
}

describe('OktaDirectoryProvider against the Okta emulator (HTTPS, test CA)', () => {
  let emulator: OktaEmulator;
  beforeAll(async () => {
    emulator = await startOktaEmulator();
    loadOktaFixture(emulator);
  });
  afterAll(() => emulator.stop());

  describeProviderContract({
    name: 'okta (emulator, @okta/okta-sdk-nodejs)',
    runner: { describe, it, expect },
    fixture: oktaContractFixture,
    createProvider: (overrides) => provider(emulator, { sync: syncConfig(overrides) }),
    filterCases: [
      {
        userFilter: '|status eq "ACTIVE"',
        expectUserEmails: ['alice@example.com', 'bob@example.com', 'erin@example.com'],
      },
      {
        userFilter: 'exclude:nobody@example.com|profile.email sw "a" or profile.email sw "c"',
        expectUserEmails: ['alice@example.com', 'carol@example.com'],
      },
      { groupFilter: '|profile.name eq "Sales"', expectGroupNames: ['Sales'] },
      { groupFilter: '|type eq "OKTA_GROUP"', expectGroupNames: ['Empty', 'Engineering', 'Sales'] },
    ],
    incremental: {
      apply: async () => {
        const erin = emulator.directory.userByEmail('erin@example.com')!;
        emulator.directory.updateUser(erin.id, { profile: { lastName: 'Changed' } });
      },
      expectChangedEmails: ['erin@example.com'],
    },
  });

  it('rejects a wrong token with an error naming okta.token, never the token', async () => {
    const records: string[] = [];
    const logger: Logger = {
      debug: (m, f) => records.push(m + JSON.stringify(f)),
      info: (m, f) => records.push(m + JSON.stringify(f)),
      warn: (m, f) => records.push(m + JSON.stringify(f)),
      error: (m, f) => records.push(m + JSON.stringify(f)),
    };
    const wrong = 'wrong-token-0123456789';
    const error = await provider(emulator, { token: wrong, logger })
      .verify()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(OktaError);
    expect((error as OktaError).code).toBe('DIRECTORY_AUTH_FAILED');
    expect((error as OktaError).message).toContain('okta.token');
    expect((error as OktaError).message).not.toContain(wrong);
    expect(records.join('\n')).not.toContain(wrong);
    const last = emulator.requests[emulator.requests.length - 1]!;
    expect(last.status).toBe(401);
  });

  it('refuses a server whose certificate it cannot trust', async () => {
    const untrusting = provider(emulator, { io: { ca: undefined } });
    const error = await untrusting.verify().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OktaError);
    expect((error as OktaError).code).toBe('DIRECTORY_UNREACHABLE');
    expect((error as OktaError).message).toMatch(/certificate/);
  });

  it('sends the native part of each filter form to Okta and leaves include/exclude lists to the engine', async () => {
    const sent = (from: number): string[] =>
      emulator.requests
        .slice(from)
        .filter((r) => r.path === '/api/v1/users')
        .map((r) => r.query.filter ?? '(none)');

    let from = emulator.requests.length;
    let snapshot = await provider(emulator, {
      sync: syncConfig({ userFilter: 'include:alice@example.com' }),
    }).fetch({
      users: true,
      groups: false,
      mode: 'full',
    });
    expect(sent(from)).toEqual(['(none)', 'status eq "DEPROVISIONED"']);
    expect((snapshot.users ?? []).length).toBe(oktaContractFixture.users.length);

    from = emulator.requests.length;
    snapshot = await provider(emulator, {
      sync: syncConfig({
        userFilter: 'include:alice@example.com,bob@example.com|status eq "SUSPENDED"',
      }),
    }).fetch({ users: true, groups: false, mode: 'full' });
    expect(sent(from)).toEqual([
      'status eq "SUSPENDED"',
      '(status eq "SUSPENDED") and status eq "DEPROVISIONED"',
    ]);
    expect(Object.keys(viewOfSnapshot(snapshot).users)).toEqual(['carol@example.com']);

    from = emulator.requests.length;
    snapshot = await provider(emulator, {
      sync: syncConfig({ userFilter: '|status eq "DEPROVISIONED"' }),
    }).fetch({
      users: true,
      groups: false,
      mode: 'full',
    });
    expect(viewOfSnapshot(snapshot).users).toEqual({
      'dave@example.com': { disabled: false, deleted: true },
    });

    const groupsOnly = await provider(emulator, {
      sync: syncConfig({ groupFilter: 'exclude:Sales|profile.name sw "E"' }),
    }).fetch({ users: false, groups: true, mode: 'full' });
    expect((groupsOnly.groups ?? []).map((g) => g.name).sort()).toEqual(['Empty', 'Engineering']);
  });

  it('rejects a malformed filter before calling Okta, and names the setting when Okta rejects one', async () => {
    const from = emulator.requests.length;
    await expect(
      provider(emulator, {
        sync: syncConfig({ userFilter: 'include:a:b|status eq "ACTIVE"' }),
      }).fetch({
        users: true,
        groups: false,
        mode: 'full',
      }),
    ).rejects.toBeInstanceOf(FilterSyntaxError);
    expect(emulator.requests.length).toBe(from);

    const error = await provider(emulator, {
      sync: syncConfig({ groupFilter: '|profile.name equals Sales' }),
    })
      .fetch({ users: false, groups: true, mode: 'full' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(OktaError);
    expect((error as OktaError).message).toContain('sync.groupFilter');
  });

  it('refuses configurations it cannot use', async () => {
    const missingToken = new OktaDirectoryProvider(
      parseConfig('okta', { orgUrl: emulator.orgUrl }),
      syncConfig(),
      silentLogger,
    );
    await expect(missingToken.verify()).rejects.toMatchObject({ code: 'DIRECTORY_NOT_CONFIGURED' });
    const plainHttp = new OktaDirectoryProvider(
      { id: undefined, orgUrl: 'http://example.okta.com', token: 'x' },
      syncConfig(),
      silentLogger,
    );
    await expect(plainHttp.verify()).rejects.toMatchObject({ code: 'DIRECTORY_NOT_CONFIGURED' });
  });
});

describe('OktaDirectoryProvider at scale, over loopback http', () => {
  let emulator: OktaEmulator;
  beforeAll(async () => {
    emulator = await startOktaEmulator({ tls: false });
    emulator.directory.populate({ users: 1100, groups: 3, groupsPerUser: 1 });
    const everyone = emulator.directory.addGroup({ name: 'Everyone' });
    for (const user of emulator.directory.users())
      emulator.directory.addMember(everyone.id, user.id);
    const carol = emulator.directory.addUser({
      email: 'suspended@example.com',
      status: 'SUSPENDED',
    });
    const dave = emulator.directory.addUser({ email: 'gone@example.com', status: 'DEPROVISIONED' });
    emulator.directory.addMember(everyone.id, carol.id);
    void dave;
  });
  afterAll(() => emulator.stop());

  it('pages over 1000 users with limit=200 and a 1100-member group by Link rel="next"', async () => {
    const from = emulator.requests.length;
    const snapshot = await provider(emulator).fetch({ users: true, groups: true, mode: 'full' });
    const calls = emulator.requests.slice(from);
    const userCalls = calls.filter((r) => r.path === '/api/v1/users');
    expect(userCalls.every((r) => r.query.limit === '200')).toBe(true);
    // 1101 listed users: 6 pages; then one page of DEPROVISIONED users.
    expect(userCalls.length).toBe(7);
    expect(userCalls.filter((r) => r.query.after !== undefined).length).toBe(5);
    expect(snapshot.users!.length).toBe(1102);
    const view = viewOfSnapshot(snapshot);
    expect(view.users['suspended@example.com']).toEqual({ disabled: true, deleted: false });
    expect(view.users['gone@example.com']).toEqual({ disabled: false, deleted: true });
    const everyone = snapshot.groups!.find((g) => g.name === 'Everyone')!;
    expect(everyone.userMemberExternalIds.length).toBe(1101);
    expect(calls.filter((r) => r.bucket === '/api/v1/groups/{id}/users').length).toBe(3 + 2);
  });

  it('works through an injected fetch instead of the SDK transport', async () => {
    const snapshot = await provider(emulator, { io: { fetch: globalThis.fetch } }).fetch({
      users: true,
      groups: false,
      mode: 'full',
    });
    expect(snapshot.users!.length).toBe(1102);
  });

  it('reads only what changed since the cursor, and says the read is incomplete', async () => {
    // The cursor keeps a second of overlap; let the fixture be older than that.
    emulator.clock.advance(5000);
    const full = await provider(emulator).fetch({ users: true, groups: true, mode: 'full' });
    expect(full.complete).toBe(true);
    expect(Number.isFinite(Date.parse(full.cursor!))).toBe(true);
    // Let emulated time pass, so earlier entries are plainly older than the cursor.
    emulator.clock.advance(5000);
    const user = emulator.directory.userByEmail('user7@example.com')!;
    emulator.directory.updateUser(user.id, { status: 'SUSPENDED' });
    const group0 = emulator.directory.groupByName('group0')!;
    const newcomer = emulator.directory.addUser({ email: 'new@example.com' });
    emulator.directory.addMember(group0.id, newcomer.id);

    const from = emulator.requests.length;
    const delta = await provider(emulator).fetch({
      users: true,
      groups: true,
      mode: 'incremental',
      cursor: full.cursor,
    });
    expect(delta.complete).toBe(false);
    expect(viewOfSnapshot(delta).users).toEqual({
      'user7@example.com': { disabled: true, deleted: false },
      'new@example.com': { disabled: false, deleted: false },
    });
    expect(delta.groups!.map((g) => g.name)).toEqual(['group0']);
    expect(delta.groups![0]!.userMemberExternalIds).toContain(newcomer.id);
    const filters = emulator.requests.slice(from).map((r) => r.query.filter ?? '');
    expect(filters).toContain(`lastUpdated gt "${full.cursor}"`);
    expect(Date.parse(delta.cursor!)).toBeGreaterThan(Date.parse(full.cursor!));
  });

  it('slows down before the rate limit: waits for the window instead of using more than its share', async () => {
    emulator.faults.setRateLimit({ limit: 10, windowSeconds: 60 });
    try {
      const sleeps: number[] = [];
      const from = emulator.requests.length;
      const snapshot = await provider(emulator, {
        io: { sleep: fastSleep(emulator, sleeps), rateLimitShare: 0.5 },
      }).fetch({
        users: true,
        groups: false,
        mode: 'full',
      });
      expect(snapshot.users!.length).toBeGreaterThan(1100);
      const calls = emulator.requests.slice(from);
      expect(calls.filter((r) => r.status === 429)).toEqual([]);
      // 7 calls with 5 allowed per window: at least one wait for the window to reset.
      expect(sleeps.length).toBeGreaterThanOrEqual(1);
      expect(sleeps.every((ms) => ms > 0 && ms <= 61_000)).toBe(true);
      // Never more than half the limit within one window.
      const perWindow = new Map<number, number>();
      for (const call of calls)
        perWindow.set(call.windowStart, (perWindow.get(call.windowStart) ?? 0) + 1);
      expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(5);
      expect(calls.length).toBe(7);
    } finally {
      emulator.faults.setRateLimit({ limit: 10000, windowSeconds: 60 });
    }
  });

  it('retries a 429 after the reset time Okta gives, then gives up after its retries', async () => {
    const sleeps: number[] = [];
    emulator.faults.rateLimitNext(2);
    const from = emulator.requests.length;
    const snapshot = await provider(emulator, { io: { sleep: fastSleep(emulator, sleeps) } }).fetch(
      {
        users: false,
        groups: true,
        mode: 'full',
      },
    );
    expect(snapshot.groups!.length).toBe(4);
    expect(emulator.requests.slice(from, from + 3).map((r) => r.status)).toEqual([429, 429, 200]);
    expect(sleeps.length).toBe(2);
    expect(sleeps.every((ms) => ms > 0)).toBe(true);

    emulator.faults.rateLimitNext(10);
    const error = await provider(emulator, { io: { retry: { attempts: 3 } } })
      .fetch({ users: false, groups: true, mode: 'full' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(OktaError);
    expect((error as OktaError).message).toMatch(/rate limit/);
    emulator.faults.clear();
  });

  it('returns at once when cancelled during a 429 wait, long before the window resets', async () => {
    // A fresh one-minute window: the 429 below asks to wait about a minute.
    emulator.faults.setRateLimit({ limit: 10000, windowSeconds: 60 });
    // Cancels as soon as the provider starts waiting on the real timer.
    const { logger, signal, waits } = cancelAtFirstRetry();
    emulator.faults.rateLimitNext(1);
    const started = Date.now();
    try {
      const read = provider(emulator, { io: { sleep: undefined }, logger }).fetch({
        users: false,
        groups: true,
        mode: 'full',
        signal,
      });
      await expect(read).rejects.toBeInstanceOf(CancelledError);
    } finally {
      emulator.faults.clear();
    }
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(10_000);
    expect(Date.now() - started).toBeLessThan(waits[0]! / 2);
  });

  it('returns at once when cancelled while pacing itself to the rate limit', async () => {
    // Two calls a minute at a share of 0.5: the second page waits for the next window.
    emulator.faults.setRateLimit({ limit: 2, windowSeconds: 60 });
    const controller = new AbortController();
    const from = emulator.requests.length;
    const started = Date.now();
    try {
      const read = provider(emulator, { io: { sleep: undefined, rateLimitShare: 0.5 } }).fetch({
        users: true,
        groups: false,
        mode: 'full',
        signal: controller.signal,
        onProgress: () => setTimeout(() => controller.abort(), 100),
      });
      await expect(read).rejects.toBeInstanceOf(CancelledError);
    } finally {
      emulator.faults.setRateLimit({ limit: 10000, windowSeconds: 60 });
    }
    // No second page went out before the window reset, and the read did not wait for it.
    expect(emulator.requests.length - from).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('leaves out, with a warning, a group deleted between the list and its members', async () => {
    emulator.faults.failNext(1, 404, 'Not found: Resource not found', /\/users$/);
    const snapshot = await provider(emulator).fetch({ users: false, groups: true, mode: 'full' });
    expect(snapshot.groups!.length).toBe(3);
    expect(snapshot.warnings.length).toBe(1);
    expect(snapshot.warnings[0]).toMatch(/disappeared/);
  });

  it('retries a transient server error and reports a lasting one', async () => {
    emulator.faults.failNext(1, 503, 'Service Unavailable');
    const snapshot = await provider(emulator).fetch({ users: false, groups: true, mode: 'full' });
    expect(snapshot.groups!.length).toBe(4);

    emulator.faults.failNext(1, 404, 'Not found');
    const error = await provider(emulator)
      .fetch({ users: false, groups: true, mode: 'full' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(OktaError);
    expect((error as OktaError).code).toBe('DIRECTORY_READ_FAILED');
    expect((error as OktaError).message).toContain('404');
  });

  it('times out a hung request and retries it, through the SDK transport', async () => {
    const reasons: string[] = [];
    const logger: Logger = {
      ...silentLogger,
      warn: (_message, fields) => void reasons.push(String(fields?.reason)),
    };
    emulator.faults.delayNext(1, 3000);
    const snapshot = await provider(emulator, {
      io: { retry: { timeoutMs: 300 } },
      logger,
    }).fetch({ users: false, groups: true, mode: 'full' });
    expect(snapshot.groups!.length).toBe(4);
    expect(reasons).toEqual(['timed out after 300 ms']);
  });
});
