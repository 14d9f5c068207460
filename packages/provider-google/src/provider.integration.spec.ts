import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CancelledError,
  DirectoryError,
  gsuiteConfigSchema,
  syncConfigSchema,
  type GSuiteConfig,
  type LogLevel,
  type Logger,
} from '@bwdc/core';
import {
  describeProviderContract,
  viewOfSnapshot,
  type ContractFixture,
} from '@bwdc/directory-provider';
import { startGoogleEmulator, type GoogleEmulator } from '@bwdc/emulator-google';
import {
  FIELD_MASKS,
  GoogleDirectoryProvider,
  GoogleError,
  readServiceAccountKeyFile,
  type GoogleErrorKind,
  type GoogleProviderIo,
} from './index';

/** Records every log line, to check what is said and that no secret is. */
function recordingLogger(): Logger & {
  lines: { level: LogLevel; message: string; fields: unknown }[];
} {
  const lines: { level: LogLevel; message: string; fields: unknown }[] = [];
  const at =
    (level: LogLevel) =>
    (message: string, fields?: Readonly<Record<string, unknown>>): void => {
      lines.push({ level, message, fields });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A sleep that returns at once and remembers what it was asked to wait. */
function fastSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

const FIXTURE: ContractFixture = {
  users: [
    { email: 'admin@example.com' },
    { email: 'alice@example.com' },
    { email: 'erin.upper@example.com' },
    { email: 'bob@example.com', disabled: true },
    { email: 'carol@example.org', disabled: true },
    { email: 'dave@example.com', deleted: true },
  ],
  groups: [
    { name: 'Engineering', memberEmails: ['alice@example.com'] },
    { name: 'Ops', memberEmails: ['erin.upper@example.com'] },
    {
      name: 'Everyone',
      memberEmails: ['admin@example.com', 'alice@example.com', 'erin.upper@example.com'],
      childGroups: ['Engineering'],
    },
    { name: 'Leaders', memberEmails: ['alice@example.com'], childGroups: ['Everyone'] },
  ],
};

/** Loads FIXTURE: suspended and archived members, a secondary domain, nesting and a CUSTOMER member. */
function loadFixture(emu: GoogleEmulator): void {
  const d = emu.directory;
  d.addUser({
    primaryEmail: 'alice@example.com',
    givenName: 'Alice',
    familyName: 'Smith',
    orgUnitPath: '/Engineering',
  });
  d.addUser({ primaryEmail: 'Erin.Upper@Example.com', givenName: 'Erin', familyName: 'Upper' });
  d.addUser({
    primaryEmail: 'bob@example.com',
    givenName: 'Bob',
    familyName: 'Jones',
    suspended: true,
  });
  d.addUser({
    primaryEmail: 'carol@example.org',
    givenName: 'Carol',
    familyName: 'Smith',
    archived: true,
  });
  d.addUser({ primaryEmail: 'dave@example.com', givenName: 'Dave', familyName: 'Left' });
  d.addGroup({ email: 'engineering@example.com', name: 'Engineering' });
  d.addGroup({ email: 'ops@example.org', name: 'Ops' });
  d.addGroup({ email: 'everyone@example.com', name: 'Everyone' });
  d.addGroup({ email: 'leaders@example.com', name: 'Leaders' });
  d.addMember('engineering@example.com', { user: 'alice@example.com' });
  d.addMember('engineering@example.com', { user: 'bob@example.com' });
  d.addMember('engineering@example.com', { user: 'dave@example.com' });
  d.addMember('ops@example.org', { user: 'carol@example.org' });
  d.addMember('ops@example.org', { user: 'erin.upper@example.com', role: 'OWNER' });
  d.addMember('everyone@example.com', { group: 'engineering@example.com' });
  d.addMember('everyone@example.com', { customer: true });
  d.addMember('leaders@example.com', { group: 'everyone@example.com' });
  d.addMember('leaders@example.com', { user: 'alice@example.com', role: 'MANAGER' });
  d.deleteUser('dave@example.com');
}

let emu: GoogleEmulator;

function gsuite(
  overrides: Partial<Record<keyof GSuiteConfig, string | undefined>> = {},
): GSuiteConfig {
  return gsuiteConfigSchema.parse({
    clientEmail: emu.serviceAccount.clientEmail,
    privateKey: emu.serviceAccount.privateKey,
    adminUser: emu.adminUser,
    domain: emu.domain,
    customer: emu.customer,
    tokenUri: emu.tokenUri,
    rootUrl: emu.rootUrl,
    ...overrides,
  });
}

function provider(
  config: GSuiteConfig = gsuite(),
  filters: { userFilter?: string; groupFilter?: string } = {},
  io: GoogleProviderIo = {},
  logger: Logger = recordingLogger(),
): GoogleDirectoryProvider {
  const sync = syncConfigSchema.parse({ users: true, groups: true, ...filters });
  return new GoogleDirectoryProvider(config, sync, logger, { sleep: fastSleep().sleep, ...io });
}

async function failure(promise: Promise<unknown>): Promise<GoogleError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GoogleError) return error;
    throw error;
  }
  throw new Error('expected a GoogleError');
}

beforeAll(async () => {
  emu = await startGoogleEmulator({ secondaryDomains: ['example.org'] });
  loadFixture(emu);
});

afterAll(async () => {
  await emu?.stop();
});

describeProviderContract({
  name: 'google (emulator, domain and customer both set)',
  runner: { describe, it, expect },
  fixture: FIXTURE,
  createProvider: (overrides) => provider(gsuite(), overrides ?? {}),
  filterCases: [
    { userFilter: '|email:alice*', expectUserEmails: ['alice@example.com'] },
    {
      userFilter: '|isSuspended=false isArchived=false',
      expectUserEmails: [
        'admin@example.com',
        'alice@example.com',
        'erin.upper@example.com',
        'dave@example.com',
      ],
    },
    { userFilter: "|name:'Carol Smith'", expectUserEmails: ['carol@example.org'] },
    { groupFilter: '|name:Eng*', expectGroupNames: ['Engineering'] },
    { groupFilter: '|email:ops*', expectGroupNames: ['Ops'] },
    { groupFilter: '|memberKey=alice@example.com', expectGroupNames: ['Engineering', 'Leaders'] },
    // The include/exclude clause is the engine's to apply; the provider sends only the native query.
    { userFilter: 'exclude:bob@example.com|email:bob*', expectUserEmails: ['bob@example.com'] },
    {
      groupFilter: 'include:Ops',
      expectGroupNames: ['Engineering', 'Ops', 'Everyone', 'Leaders'],
    },
  ],
});

describe('GoogleDirectoryProvider against the emulator', () => {
  describe('requests', () => {
    it('asks for 500 users a page with a field mask, then the deleted users, then groups and members', async () => {
      emu.requests.length = 0;
      await provider().fetch({ users: true, groups: true, mode: 'full' });
      const users = emu.requests.filter((r) => r.route === 'users.list');
      expect(users.map((r) => r.query)).toEqual([
        { customer: emu.customer, maxResults: '500', fields: FIELD_MASKS.users },
        {
          customer: emu.customer,
          maxResults: '500',
          showDeleted: 'true',
          fields: FIELD_MASKS.users,
        },
      ]);
      expect(emu.requests.filter((r) => r.route === 'groups.list').map((r) => r.query)).toEqual([
        { customer: emu.customer, maxResults: '200', fields: FIELD_MASKS.groups },
      ]);
      const members = emu.requests.filter((r) => r.route === 'members.list');
      expect(members).toHaveLength(4);
      expect(
        members.every(
          (r) => r.query['fields'] === FIELD_MASKS.members && r.query['maxResults'] === '200',
        ),
      ).toBe(true);
      expect(emu.requests.filter((r) => r.route === 'token')).toHaveLength(1);
      expect(
        new Set(emu.requests.filter((r) => r.route !== 'token').map((r) => r.subject)),
      ).toEqual(new Set([emu.adminUser]));
    });

    it('sends the domain when no customer is set: only that domain is read', async () => {
      emu.requests.length = 0;
      const snapshot = await provider(gsuite({ customer: undefined })).fetch({
        users: true,
        groups: true,
        mode: 'full',
      });
      expect(emu.requests.find((r) => r.route === 'users.list')!.query['domain']).toBe(emu.domain);
      const view = viewOfSnapshot(snapshot);
      expect(Object.keys(view.users)).not.toContain('carol@example.org');
      expect(Object.keys(view.groups)).not.toContain('Ops');
    });

    it('reads everything with only a customer set', async () => {
      const snapshot = await provider(gsuite({ domain: undefined, customer: 'my_customer' })).fetch(
        {
          users: true,
          groups: false,
          mode: 'full',
        },
      );
      expect(Object.keys(viewOfSnapshot(snapshot).users)).toContain('carol@example.org');
    });

    it('does a full read for an incremental request and says it is complete', async () => {
      const snapshot = await provider().fetch({
        users: true,
        groups: true,
        mode: 'incremental',
        cursor: 'anything',
      });
      expect(snapshot.complete).toBe(true);
      expect(snapshot.cursor).toBe(undefined);
      expect(snapshot.users).toHaveLength(FIXTURE.users.length);
    });

    it('expands CUSTOMER members even when users are not synced', async () => {
      const snapshot = await provider().fetch({ users: false, groups: true, mode: 'full' });
      expect(snapshot.users).toBe(undefined);
      const everyone = snapshot.groups!.find((g) => g.name === 'Everyone')!;
      expect(everyone.userMemberExternalIds).toHaveLength(3);
    });

    it('sends every request, token included, through an injected fetch', async () => {
      const urls: string[] = [];
      const counting: typeof fetch = (input, init) => {
        urls.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      };
      await provider(gsuite(), {}, { fetch: counting }).fetch({
        users: true,
        groups: false,
        mode: 'full',
      });
      expect(urls.some((u) => u === emu.tokenUri)).toBe(true);
      expect(urls.filter((u) => u.includes('/admin/directory/v1/users')).length).toBe(2);
    });

    it('gets a fresh token once when Google answers 401 to a revoked one', async () => {
      const p = provider();
      await p.verify();
      emu.revokeTokens();
      emu.requests.length = 0;
      await p.fetch({ users: true, groups: false, mode: 'full' });
      expect(emu.requests.map((r) => [r.route, r.status])).toEqual([
        ['users.list', 401],
        ['token', 200],
        ['users.list', 200],
        ['users.list', 200],
      ]);
    });

    it('works from a JSON key file and from a key with literal \\n sequences', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'bwdc-google-'));
      try {
        const path = join(dir, 'key.json');
        await writeFile(path, emu.keyFileJson(), { mode: 0o600 });
        const key = await readServiceAccountKeyFile(path);
        expect(key.clientEmail).toBe(emu.serviceAccount.clientEmail);
        await provider(gsuite(key)).verify();
        await provider(gsuite({ privateKey: key.privateKey.replace(/\n/g, '\\n') })).verify();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('scale', () => {
    let big: GoogleEmulator;
    beforeAll(async () => {
      big = await startGoogleEmulator({ domain: 'big.test' });
      for (let i = 0; i < 1200; i += 1)
        big.directory.addUser({ primaryEmail: `user${i}@big.test` });
      big.directory.addGroup({ email: 'crowd@big.test', name: 'Crowd' });
      for (let i = 0; i < 600; i += 1)
        big.directory.addMember('crowd@big.test', { user: `user${i}@big.test` });
      for (let g = 0; g < 30; g += 1) {
        big.directory.addGroup({ email: `team${g}@big.test`, name: `Team ${g}` });
        big.directory.addMember(`team${g}@big.test`, { user: `user${g}@big.test` });
      }
    });
    afterAll(async () => {
      await big.stop();
    });
    const bigConfig = (): GSuiteConfig =>
      gsuiteConfigSchema.parse({
        clientEmail: big.serviceAccount.clientEmail,
        privateKey: big.serviceAccount.privateKey,
        adminUser: big.adminUser,
        domain: big.domain,
        tokenUri: big.tokenUri,
        rootUrl: big.rootUrl,
      });

    it('pages over 1200 users and a 600-member group', async () => {
      big.requests.length = 0;
      const snapshot = await provider(bigConfig()).fetch({
        users: true,
        groups: true,
        mode: 'full',
      });
      expect(snapshot.users).toHaveLength(1201);
      expect(new Set(snapshot.users!.map((u) => u.externalId)).size).toBe(1201);
      expect(snapshot.groups!.find((g) => g.name === 'Crowd')!.userMemberExternalIds).toHaveLength(
        600,
      );
      const crowdId = big.directory.findGroup('crowd@big.test')!.id;
      expect(
        big.requests.filter((r) => r.route === 'users.list' && !r.query['showDeleted']),
      ).toHaveLength(3);
      expect(big.requests.filter((r) => r.path.includes(crowdId))).toHaveLength(3);
    });

    it('keeps member lists within the concurrency bound', async () => {
      big.settings.latencyMs = 10;
      big.stats.reset();
      try {
        await provider(bigConfig(), {}, { memberConcurrency: 3 }).fetch({
          users: false,
          groups: true,
          mode: 'full',
        });
        expect(big.stats.peakInFlight).toBeLessThanOrEqual(3);
        expect(big.stats.peakInFlight).toBeGreaterThan(1);
      } finally {
        big.settings.latencyMs = 0;
      }
    });

    it('rides out a rate-limit storm with exponential backoff and jitter', async () => {
      const { sleep, waits } = fastSleep();
      const logger = recordingLogger();
      big.faults.inject({ route: 'members.list', kind: 'userRateLimitExceeded', count: 4 });
      big.faults.inject({ route: 'users.list', kind: 'quotaExceeded', count: 1 });
      big.faults.inject({ route: 'groups.list', kind: 'tooManyRequests', count: 1 });
      big.faults.inject({ route: 'token', kind: 'serviceUnavailable', count: 1 });
      big.faults.inject({ route: 'api', kind: 'serviceUnavailable', count: 2 });
      const snapshot = await provider(bigConfig(), {}, { sleep, random: () => 0.5 }, logger).fetch({
        users: true,
        groups: true,
        mode: 'full',
      });
      expect(big.faults.pending()).toBe(0);
      expect(snapshot.users).toHaveLength(1201);
      expect(snapshot.groups).toHaveLength(31);
      // One wait per injected failure: 4 + 1 + 1 + 1 + 2.
      expect(waits).toHaveLength(9);
      expect(
        logger.lines.filter((l) => l.level === 'warn' && /userRateLimitExceeded/.test(l.message))
          .length,
      ).toBe(4);
    });

    it('backs off exponentially on one call and gives up after the last attempt', async () => {
      const { sleep, waits } = fastSleep();
      big.faults.inject({ route: 'users.list', kind: 'userRateLimitExceeded', count: 5 });
      const error = await failure(
        provider(
          bigConfig(),
          {},
          {
            sleep,
            random: () => 0.5,
            retry: { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 },
          },
        ).fetch({
          users: true,
          groups: false,
          mode: 'full',
        }),
      );
      expect(error.kind).toBe('rate-limited');
      expect(error.reason).toBe('userRateLimitExceeded');
      expect(error.message).toMatch(/403 userRateLimitExceeded.*5 attempts/);
      // 2^n times the base, each with jitter between half and all of it (here 3/4), capped at maxDelayMs.
      expect(waits).toEqual([75, 150, 300, 600]);
      expect(big.faults.pending()).toBe(0);
    });

    it('honours Retry-After', async () => {
      const { sleep, waits } = fastSleep();
      big.faults.inject({ route: 'users.list', kind: 'serviceUnavailable', retryAfterSeconds: 7 });
      await provider(bigConfig(), {}, { sleep, random: () => 0 }).fetch({
        users: true,
        groups: false,
        mode: 'full',
      });
      expect(waits).toEqual([7000]);
    });
  });

  describe('errors that say what is wrong', () => {
    const kindOf = async (p: GoogleDirectoryProvider): Promise<GoogleError> => failure(p.verify());

    it('a service account without domain-wide delegation', async () => {
      const bare = await emu.addServiceAccount({ delegatedScopes: [] });
      const error = await kindOf(
        provider(gsuite({ clientEmail: bare.clientEmail, privateKey: bare.privateKey })),
      );
      expect([error.kind, error.code, error.reason]).toEqual([
        'delegation-not-granted',
        'DIRECTORY_AUTH_FAILED',
        'unauthorized_client',
      ]);
      expect(error.message).toContain(bare.clientEmail);
      expect(error.actions.join(' ')).toContain('admin.directory.group.member.readonly');
      expect(error).toBeInstanceOf(DirectoryError);
    });

    it('delegation missing one scope', async () => {
      const partial = await emu.addServiceAccount({
        delegatedScopes: ['https://www.googleapis.com/auth/admin.directory.user.readonly'],
      });
      const error = await kindOf(
        provider(gsuite({ clientEmail: partial.clientEmail, privateKey: partial.privateKey })),
      );
      expect(error.kind).toBe('delegation-not-granted');
    });

    it('an admin user that does not exist, and one that is no administrator', async () => {
      const ghost = await kindOf(provider(gsuite({ adminUser: 'ghost@example.com' })));
      expect(ghost.kind).toBe('unknown-admin-user');
      expect(ghost.message).toContain('gsuite.adminUser "ghost@example.com"');
      const plain = await kindOf(provider(gsuite({ adminUser: 'alice@example.com' })));
      expect(plain.kind).toBe('admin-not-authorized');
      expect(plain.message).toContain('Not Authorized to access this resource/api');
    });

    it('the Admin SDK API not enabled', async () => {
      emu.settings.apiEnabled = false;
      try {
        const error = await kindOf(provider());
        expect(error.kind).toBe('api-not-enabled');
        expect(error.message).toContain('Admin SDK API is not enabled');
      } finally {
        emu.settings.apiEnabled = true;
      }
    });

    it('a private key of another account, a garbled key, and an unknown service account', async () => {
      const other = await emu.addServiceAccount();
      const wrongKey = await kindOf(provider(gsuite({ privateKey: other.privateKey })));
      expect([wrongKey.kind, wrongKey.message]).toEqual([
        'bad-private-key',
        expect.stringContaining('does not belong'),
      ]);
      emu.requests.length = 0;
      const garbled = await kindOf(
        provider(
          gsuite({
            privateKey: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----',
          }),
        ),
      );
      expect(garbled.kind).toBe('bad-private-key');
      expect(garbled.message).not.toContain('not a key');
      expect(emu.requests).toHaveLength(0);
      const unknown = await kindOf(
        provider(gsuite({ clientEmail: 'gone@bwdc-emulator.iam.gserviceaccount.com' })),
      );
      expect(unknown.kind).toBe('service-account-not-found');
    });

    it('a wrong customer id, an unknown domain and a rejected query', async () => {
      expect((await kindOf(provider(gsuite({ customer: 'C999nope' })))).kind).toBe(
        'invalid-customer',
      );
      const domain = await kindOf(
        provider(gsuite({ customer: undefined, domain: 'elsewhere.test' })),
      );
      expect([domain.kind, domain.message]).toEqual([
        'invalid-domain',
        expect.stringContaining('gsuite.domain "elsewhere.test"'),
      ]);
      const query = await failure(
        provider(gsuite(), { userFilter: '|shoeSize:42' }).fetch({
          users: true,
          groups: false,
          mode: 'full',
        }),
      );
      expect([query.kind, query.message]).toEqual([
        'invalid-query',
        expect.stringContaining('sync.userFilter'),
      ]);
    });

    it('missing settings, a non-loopback http endpoint and a malformed filter clause', async () => {
      const missing = await kindOf(
        new GoogleDirectoryProvider(
          { ...gsuite(), adminUser: undefined, domain: undefined, customer: undefined },
          syncConfigSchema.parse({}),
          recordingLogger(),
        ),
      );
      expect([missing.kind, missing.code]).toEqual(['not-configured', 'DIRECTORY_NOT_CONFIGURED']);
      expect(missing.message).toContain(
        'gsuite.adminUser, gsuite.domain (or gsuite.customer) are not set',
      );
      const http = await kindOf(
        new GoogleDirectoryProvider(
          { ...gsuite(), rootUrl: 'http://admin.example.net/' },
          syncConfigSchema.parse({}),
          recordingLogger(),
        ),
      );
      expect(http.message).toContain('gsuite.rootUrl "http://admin.example.net/" uses http://');
      await expect(
        provider(gsuite(), { userFilter: 'nonsense|x' }).fetch({
          users: true,
          groups: false,
          mode: 'full',
        }),
      ).rejects.toMatchObject({
        code: 'FILTER_INVALID',
      });
    });

    it('an endpoint nobody answers', async () => {
      const gone = await startGoogleEmulator();
      const config = gsuiteConfigSchema.parse({
        clientEmail: gone.serviceAccount.clientEmail,
        privateKey: gone.serviceAccount.privateKey,
        adminUser: gone.adminUser,
        domain: gone.domain,
        tokenUri: gone.tokenUri,
        rootUrl: gone.rootUrl,
      });
      await gone.stop();
      const error = await kindOf(provider(config, {}, { retry: { attempts: 2 } }));
      expect([error.kind, error.code]).toEqual(['unreachable', 'DIRECTORY_UNREACHABLE']);
      expect(error.message).toContain(gone.tokenUri);
    });

    it('never logs the key or a token', async () => {
      const logger = recordingLogger();
      emu.faults.inject({ route: 'api', kind: 'userRateLimitExceeded', count: 3 });
      await provider(gsuite(), {}, {}, logger).fetch({ users: true, groups: true, mode: 'full' });
      const text = JSON.stringify(logger.lines);
      expect(logger.lines.length).toBeGreaterThan(0);
      expect(text).not.toMatch(/PRIVATE KEY|ya29\.|Bearer/);
    });

    it('stops a backoff wait when cancelled', async () => {
      const controller = new AbortController();
      emu.faults.inject({ route: 'users.list', kind: 'serviceUnavailable', count: 1 });
      const never = (): Promise<void> => new Promise(() => undefined);
      const read = provider(gsuite(), {}, { sleep: never }).fetch({
        users: true,
        groups: false,
        mode: 'full',
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 50);
      await expect(read).rejects.toBeInstanceOf(CancelledError);
      emu.faults.clear();
    });
  });

  it.each<[GoogleErrorKind, string]>([
    ['delegation-not-granted', 'DIRECTORY_AUTH_FAILED'],
    ['unreachable', 'DIRECTORY_UNREACHABLE'],
    ['invalid-query', 'DIRECTORY_READ_FAILED'],
  ])('maps the %s kind to %s', (kind, code) => {
    expect(new GoogleError(kind, 'Google Workspace x', 'm').code).toBe(code);
  });
});
