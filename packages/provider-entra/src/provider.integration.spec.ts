import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  entraConfigSchema,
  silentLogger,
  syncConfigSchema,
  type DirectorySnapshot,
} from '@bwdc/core';
import type { Logger } from '@bwdc/core';
import {
  describeProviderContract,
  viewOfSnapshot,
  type ContractFixture,
} from '@bwdc/directory-provider';
import { startEntraEmulator, type EntraEmulator } from '@bwdc/emulator-entra';
import { EntraDirectoryProvider, type EntraIo } from './index';

/**
 * The provider through the real Microsoft Graph client against the Entra emulator over HTTPS,
 * trusting the emulator's throwaway certificate through the provider's `ca` seam.
 */

const ID = {
  alice: '00000000-0000-4000-8000-00000000a11c',
  bob: '00000000-0000-4000-8000-000000000b0b',
  carol: '00000000-0000-4000-8000-0000000ca201',
  dave: '00000000-0000-4000-8000-00000000da7e',
  erin: '00000000-0000-4000-8000-00000000e217',
  engineering: '10000000-0000-4000-8000-000000000e06',
  platform: '10000000-0000-4000-8000-0000000091a7',
  everyone: '10000000-0000-4000-8000-0000000e7e27',
  sales: '10000000-0000-4000-8000-0000000005a1',
  engineeringUnit: '20000000-0000-4000-8000-00000000a0e1',
};

const fixture: ContractFixture = {
  users: [
    { email: 'alice@example.com' },
    { email: 'bob@example.com', disabled: true },
    { email: 'Carol@Example.com' },
    { email: 'dave@example.com' },
    { email: 'erin@example.com' },
  ],
  groups: [
    {
      name: 'Engineering',
      memberEmails: ['alice@example.com', 'carol@example.com'],
      childGroups: ['Platform'],
    },
    { name: 'Platform', memberEmails: ['dave@example.com'] },
    {
      name: 'Everyone',
      memberEmails: [
        'alice@example.com',
        'bob@example.com',
        'carol@example.com',
        'dave@example.com',
        'erin@example.com',
      ],
    },
    { name: 'Sales', memberEmails: ['bob@example.com'] },
  ],
};

let emulator: EntraEmulator;

function seed(): Parameters<typeof startEntraEmulator>[0] {
  return {
    users: [
      {
        id: ID.alice,
        mail: 'alice@example.com',
        userPrincipalName: 'alice@contoso.onmicrosoft.com',
      },
      {
        id: ID.bob,
        mail: 'bob@example.com',
        userPrincipalName: 'bob@contoso.onmicrosoft.com',
        accountEnabled: false,
      },
      // Mixed case, as admins type it; the provider lower-cases.
      {
        id: ID.carol,
        mail: 'Carol@Example.com',
        userPrincipalName: 'carol@contoso.onmicrosoft.com',
      },
      // No mailbox: the sign-in name is the email (upstream's rule).
      { id: ID.dave, mail: null, userPrincipalName: 'dave@example.com' },
      // A mail on the tenant's internal domain: the sign-in name wins (upstream's rule).
      { id: ID.erin, mail: 'erin@contoso.onmicrosoft.com', userPrincipalName: 'erin@example.com' },
    ],
    groups: [
      {
        id: ID.engineering,
        displayName: 'Engineering',
        members: [ID.alice, ID.carol, ID.platform],
      },
      { id: ID.platform, displayName: 'Platform', members: [ID.dave] },
      {
        id: ID.everyone,
        displayName: 'Everyone',
        members: [ID.alice, ID.bob, ID.carol, ID.dave, ID.erin],
      },
      { id: ID.sales, displayName: 'Sales', members: [ID.bob] },
    ],
    administrativeUnits: [
      {
        id: ID.engineeringUnit,
        displayName: 'Engineering unit',
        members: [ID.engineering, ID.platform, ID.alice],
      },
    ],
  };
}

function providerFor(
  target: EntraEmulator,
  overrides: {
    userFilter?: string;
    groupFilter?: string;
    key?: string;
    tenant?: string;
    applicationId?: string;
  } = {},
  io: EntraIo = {},
  logger: Logger = silentLogger,
): EntraDirectoryProvider {
  return new EntraDirectoryProvider(
    {
      identityAuthority: target.authorityUrl,
      graphUrl: target.graphUrl,
      tenant: overrides.tenant ?? target.tenant,
      applicationId: overrides.applicationId ?? target.clientId,
      key: overrides.key ?? target.clientSecret,
      id: undefined,
    },
    syncConfigSchema.parse({
      users: true,
      groups: true,
      userFilter: overrides.userFilter,
      groupFilter: overrides.groupFilter,
    }),
    logger,
    // Waits between retries take no time here; the tests that time them pass their own.
    { ca: target.caCert, sleep: async () => undefined, ...io },
  );
}

beforeAll(async () => {
  emulator = await startEntraEmulator(seed());
});

afterAll(async () => {
  await emulator?.stop();
});

describeProviderContract({
  name: 'entra (Graph SDK against the Entra emulator)',
  runner: { describe, it, expect },
  fixture,
  createProvider: (overrides) => providerFor(emulator, overrides),
  filterCases: [
    {
      userFilter: 'include:alice@example.com,BOB@example.com',
      expectUserEmails: ['alice@example.com', 'bob@example.com'],
    },
    {
      userFilter: 'exclude:bob@example.com',
      expectUserEmails: [
        'alice@example.com',
        'carol@example.com',
        'dave@example.com',
        'erin@example.com',
      ],
    },
    // Transitive: dave is in Platform, which is in Engineering.
    {
      userFilter: `includeGroup:${ID.engineering}`,
      expectUserEmails: ['alice@example.com', 'carol@example.com', 'dave@example.com'],
    },
    {
      userFilter: `excludeGroup:${ID.engineering}`,
      expectUserEmails: ['bob@example.com', 'erin@example.com'],
    },
    {
      userFilter: `includeGroup:${ID.engineering}|exclude:carol@example.com`,
      expectUserEmails: ['alice@example.com', 'dave@example.com'],
    },
    {
      userFilter: `includeGroup:${ID.everyone}|excludeGroup:${ID.platform}`,
      expectUserEmails: [
        'alice@example.com',
        'bob@example.com',
        'carol@example.com',
        'erin@example.com',
      ],
    },
    { groupFilter: 'include:engineering,Sales', expectGroupNames: ['Engineering', 'Sales'] },
    { groupFilter: 'exclude:Sales', expectGroupNames: ['Engineering', 'Everyone', 'Platform'] },
    {
      groupFilter: `includeAdministrativeUnit:${ID.engineeringUnit}`,
      expectGroupNames: ['Engineering', 'Platform'],
    },
    {
      groupFilter: `excludeAdministrativeUnit:${ID.engineeringUnit}`,
      expectGroupNames: ['Everyone', 'Sales'],
    },
    {
      groupFilter: `includeAdministrativeUnit:${ID.engineeringUnit}|exclude:platform`,
      expectGroupNames: ['Engineering'],
    },
  ],
  incremental: {
    apply: async () => {
      emulator.directory.updateUser(ID.erin, { accountEnabled: false });
      emulator.directory.addUser({
        id: '00000000-0000-4000-8000-0000000091a0',
        mail: 'gina@example.com',
        userPrincipalName: 'gina@example.com',
      });
    },
    revert: async () => {
      emulator.directory.updateUser(ID.erin, { accountEnabled: true });
      emulator.directory.deleteObject('00000000-0000-4000-8000-0000000091a0', { soft: false });
    },
    expectChangedEmails: ['erin@example.com', 'gina@example.com'],
  },
});

describe('entra incremental reads through delta links', () => {
  it('after a user is disabled, one deleted and groups changed, reads only the changes', async () => {
    const provider = providerFor(emulator);
    const full = await provider.fetch({ users: true, groups: true, mode: 'full' });
    const frank = emulator.directory.addUser({
      mail: 'frank@example.com',
      userPrincipalName: 'frank@example.com',
    });
    emulator.directory.addMember(ID.sales, frank);
    // The first delta after the full read also reports frank's creation; start from after it.
    const settled = await provider.fetch({
      users: true,
      groups: true,
      mode: 'incremental',
      cursor: full.cursor,
    });

    emulator.directory.updateUser(ID.carol, { accountEnabled: false });
    emulator.directory.deleteObject(frank);
    emulator.directory.addMember(ID.platform, ID.erin);
    emulator.directory.renameGroup(ID.everyone, 'All staff');
    emulator.requests.length = 0;

    const delta = await provider.fetch({
      users: true,
      groups: true,
      mode: 'incremental',
      cursor: settled.cursor,
    });
    try {
      expect(delta.complete).toBe(false);
      expect(sortById(delta.users)).toEqual(
        sortById([
          {
            externalId: ID.carol,
            referenceId: ID.carol,
            email: 'carol@example.com',
            disabled: true,
            deleted: false,
          },
          {
            externalId: frank,
            referenceId: frank,
            email: undefined,
            disabled: false,
            deleted: true,
          },
        ]),
      );
      const view = viewOfSnapshot(delta);
      // Sales lost frank, Platform gained erin, Everyone was renamed: each with its whole membership.
      expect(Object.keys(view.groups).sort()).toEqual(['All staff', 'Platform', 'Sales']);
      expect(view.groups.Platform!.memberEmails).toEqual([ID.dave, ID.erin].sort());
      expect(view.groups.Sales!.memberEmails).toEqual([ID.bob]);
      // Only the delta links and the changed groups' members were read: no full listing.
      const paths = [...new Set(emulator.requests.map((r) => r.path))].sort();
      expect(paths).toEqual(
        [
          '/v1.0/groups/delta',
          '/v1.0/users/delta',
          ...[ID.everyone, ID.platform, ID.sales].map((id) => `/v1.0/groups/${id}/members`),
        ].sort(),
      );

      // Nothing changed since: the next incremental read is empty.
      const quiet = await provider.fetch({
        users: true,
        groups: true,
        mode: 'incremental',
        cursor: delta.cursor,
      });
      expect(quiet.users).toEqual([]);
      expect(quiet.groups).toEqual([]);
    } finally {
      emulator.directory.updateUser(ID.carol, { accountEnabled: true });
      emulator.directory.removeMember(ID.platform, ID.erin);
      emulator.directory.renameGroup(ID.everyone, 'Everyone');
    }
  });

  it('falls back to a full read when Graph no longer accepts the delta link', async () => {
    const provider = providerFor(emulator);
    const full = await provider.fetch({ users: true, groups: true, mode: 'full' });
    emulator.faults.expireDeltaTokens();
    const again = await provider.fetch({
      users: true,
      groups: true,
      mode: 'incremental',
      cursor: full.cursor,
    });
    expect(again.complete).toBe(true);
    expect(again.warnings.join('\n')).toMatch(/no longer accepts the saved delta link/);
    expect(Object.keys(viewOfSnapshot(again).users).length).toBe(fixture.users.length);
  });

  it('does a full read when there is no cursor yet', async () => {
    const snapshot = await providerFor(emulator).fetch({
      users: true,
      groups: false,
      mode: 'incremental',
    });
    expect(snapshot.complete).toBe(true);
    expect(JSON.parse(snapshot.cursor!)).toEqual({
      v: 1,
      users: expect.stringContaining('/v1.0/users/delta?$deltatoken='),
    });
  });
});

describe('entra throttling and tokens', () => {
  it('rides out a 429 storm, retrying as Retry-After says', async () => {
    emulator.requests.length = 0;
    emulator.faults.throttle(5, { retryAfterSeconds: 0 });
    const snapshot = await providerFor(emulator).fetch({ users: true, groups: true, mode: 'full' });
    expect(Object.keys(viewOfSnapshot(snapshot).users).length).toBe(fixture.users.length);
    const throttled = emulator.requests.filter((r) => r.status === 429);
    expect(throttled.length).toBe(5);
    // Each throttled request was sent again, marked with Retry-Attempt as Graph's guidance asks.
    expect(emulator.requests.filter((r) => r.retryAttempt !== undefined).length).toBe(5);
  });

  it('gives up with a clear error when throttling outlasts the retries', async () => {
    emulator.faults.throttle(100, { retryAfterSeconds: 0, path: /^\/v1\.0\/users$/ });
    try {
      await expect(
        providerFor(emulator).fetch({ users: true, groups: false, mode: 'full' }),
      ).rejects.toThrow(
        /reading users \(GET \/users\) failed: Graph answered HTTP 429 .* still did after 6 retries/,
      );
    } finally {
      emulator.faults.rules.length = 0;
    }
  });

  it('retries a 503 too', async () => {
    emulator.faults.throttle(2, { retryAfterSeconds: 0, status: 503 });
    await expect(providerFor(emulator).verify()).resolves.toBeUndefined();
  });

  it('retries the token request when the identity platform is briefly unavailable', async () => {
    const waits: number[] = [];
    emulator.requests.length = 0;
    emulator.faults.failTokens(1, { status: 503 });
    emulator.faults.failTokens(1, { status: 429, retryAfterSeconds: 7 });
    await providerFor(emulator, {}, { sleep: async (ms) => void waits.push(ms) }).verify();
    const tokenCalls = emulator.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'));
    expect(tokenCalls.map((r) => r.status)).toEqual([503, 429, 200]);
    // A backoff after the 503, then the wait the 429's Retry-After asked for.
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[1]).toBe(7000);
  });

  it('times out a hung token request and a hung Graph request, and retries each', async () => {
    const reasons: string[] = [];
    const logger: Logger = {
      ...silentLogger,
      warn: (_message, fields) => void reasons.push(String(fields?.reason)),
    };
    emulator.faults.delay(1, 3000, /\/oauth2\/v2\.0\/token$/);
    emulator.faults.delay(1, 3000, /^\/v1\.0\/users$/);
    const snapshot = await providerFor(emulator, {}, { retry: { timeoutMs: 300 } }, logger).fetch({
      users: true,
      groups: false,
      mode: 'full',
    });
    expect(Object.keys(viewOfSnapshot(snapshot).users).length).toBe(fixture.users.length);
    expect(reasons).toEqual(['timed out after 300 ms', 'timed out after 300 ms']);
  });

  it('gets a new token when Graph says the old one expired', async () => {
    const provider = providerFor(emulator);
    await provider.verify();
    emulator.faults.expireTokens();
    emulator.requests.length = 0;
    await provider.fetch({ users: true, groups: false, mode: 'full' });
    expect(emulator.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token')).length).toBe(1);
    expect(emulator.requests.filter((r) => r.status === 401).length).toBe(1);
  });
});

describe('entra errors say what is wrong', () => {
  it('a wrong client secret names entra.key', async () => {
    await expect(providerFor(emulator, { key: 'not-the-secret' }).verify()).rejects.toMatchObject({
      code: 'DIRECTORY_AUTH_FAILED',
      message: expect.stringMatching(/client secret \(entra\.key\) was rejected.*AADSTS7000215/),
    });
  });

  it('a wrong tenant names entra.tenant', async () => {
    await expect(
      providerFor(emulator, { tenant: 'no-such-tenant.example' }).verify(),
    ).rejects.toMatchObject({
      code: 'DIRECTORY_AUTH_FAILED',
      message: expect.stringMatching(
        /tenant "no-such-tenant\.example" \(entra\.tenant\) was not found/,
      ),
    });
  });

  it('an unknown application names entra.applicationId', async () => {
    await expect(
      providerFor(emulator, { applicationId: '99999999-0000-4000-8000-000000000000' }).verify(),
    ).rejects.toThrow(
      /application "99999999-0000-4000-8000-000000000000" \(entra\.applicationId\) is not registered/,
    );
  });

  it('a group id in the user filter that does not exist names the filter', async () => {
    await expect(
      providerFor(emulator, {
        userFilter: 'includeGroup:30000000-0000-4000-8000-000000000000',
      }).fetch({ users: true, groups: false, mode: 'full' }),
    ).rejects.toThrow(
      /group 30000000-0000-4000-8000-000000000000, named in sync\.userFilter \(includeGroup\), does not exist/,
    );
  });

  it('a filter with an unknown keyword is rejected by name', async () => {
    await expect(
      providerFor(emulator, { userFilter: 'includeUnit:x' }).fetch({
        users: true,
        groups: false,
        mode: 'full',
      }),
    ).rejects.toMatchObject({
      code: 'FILTER_INVALID',
    });
  });

  it('missing settings are named', async () => {
    const provider = new EntraDirectoryProvider(
      entraConfigSchema.parse({ tenant: 'x' }),
      syncConfigSchema.parse({}),
      silentLogger,
    );
    await expect(provider.verify()).rejects.toThrow(
      /entra\.applicationId: is required.*\n.*entra\.key: is required/,
    );
    // Like every other provider: a missing setting is DIRECTORY_NOT_CONFIGURED, not CONFIG_INVALID.
    await expect(provider.verify()).rejects.toMatchObject({ code: 'DIRECTORY_NOT_CONFIGURED' });
  });

  it('an unreachable Graph says so', async () => {
    const stopped = await startEntraEmulator({ https: false });
    await stopped.stop();
    await expect(providerFor(stopped).verify()).rejects.toMatchObject({
      code: 'DIRECTORY_UNREACHABLE',
    });
  });
});

describe('entra permissions', () => {
  let limited: EntraEmulator;
  beforeAll(async () => {
    limited = await startEntraEmulator({ ...seed(), permissions: ['User.Read.All'] });
  });
  afterAll(async () => {
    await limited?.stop();
  });

  it('names the Graph permission a group read lacks', async () => {
    await expect(
      providerFor(limited).fetch({ users: false, groups: true, mode: 'full' }),
    ).rejects.toMatchObject({
      code: 'DIRECTORY_AUTH_FAILED',
      message: expect.stringContaining(
        'needs the Microsoft Graph application permission GroupMember.Read.All with admin consent',
      ),
    });
  });

  it('names AdministrativeUnit.Read.All for an administrative-unit filter', async () => {
    limited.faults.permissions.add('GroupMember.Read.All');
    limited.faults.expireTokens();
    await expect(
      providerFor(limited, {
        groupFilter: `includeAdministrativeUnit:${ID.engineeringUnit}`,
      }).fetch({ users: false, groups: true, mode: 'full' }),
    ).rejects.toThrow(
      /reading administrative unit .* needs the Microsoft Graph application permission AdministrativeUnit\.Read\.All/,
    );
  });

  it('verify checks the user permission too', async () => {
    limited.faults.permissions.clear();
    limited.faults.expireTokens();
    await expect(providerFor(limited).verify()).rejects.toThrow(/User\.Read\.All/);
  });
});

describe('entra at scale', () => {
  let big: EntraEmulator;
  const members = 2500;
  const ids: string[] = [];
  beforeAll(async () => {
    big = await startEntraEmulator({ https: false });
    for (let i = 0; i < members + 100; i++) {
      ids.push(
        big.directory.addUser({
          mail: `user${i}@example.com`,
          userPrincipalName: `user${i}@example.com`,
        }),
      );
    }
    const nested = big.directory.addGroup({ displayName: 'Nested', members: ids.slice(0, 3) });
    big.directory.addGroup({ displayName: 'Big', members: [...ids.slice(0, members), nested] });
  });
  afterAll(async () => {
    await big?.stop();
  });

  it('reads a group of 2500 members spread over several pages, and users past one page, over plain http on loopback', async () => {
    const provider = new EntraDirectoryProvider(
      {
        identityAuthority: big.authorityUrl,
        graphUrl: big.graphUrl,
        tenant: big.tenant,
        applicationId: big.clientId,
        key: big.clientSecret,
        id: undefined,
      },
      syncConfigSchema.parse({ users: true, groups: true }),
      silentLogger,
    );
    const full = await provider.fetch({ users: true, groups: true, mode: 'full' });
    expect(full.users!.length).toBe(members + 100);
    const bigGroup = full.groups!.find((g) => g.name === 'Big')!;
    const nested = full.groups!.find((g) => g.name === 'Nested')!;
    expect(new Set(bigGroup.userMemberExternalIds).size).toBe(members);
    expect(bigGroup.groupMemberReferenceIds).toEqual([nested.referenceId]);
    // The group delta round split Big's members over pages (the emulator sends 1000 a page).
    expect(
      big.requests.filter((r) => r.path === '/v1.0/groups/delta').length,
    ).toBeGreaterThanOrEqual(3);
    expect(big.requests.filter((r) => r.path === '/v1.0/users').length).toBe(3);

    // A change to Big: the incremental read re-reads its whole membership, 999 a page.
    big.directory.removeMember(bigGroup.externalId, ids[0]!);
    big.directory.addMember(bigGroup.externalId, ids[members]!);
    big.requests.length = 0;
    const delta = await provider.fetch({
      users: true,
      groups: true,
      mode: 'incremental',
      cursor: full.cursor,
    });
    const changed = delta.groups!.find((g) => g.name === 'Big')!;
    expect(changed.userMemberExternalIds.length).toBe(members);
    expect(changed.userMemberExternalIds).toContain(ids[members]);
    expect(changed.userMemberExternalIds).not.toContain(ids[0]);
    const memberPages = big.requests.filter(
      (r) => r.path === `/v1.0/groups/${bigGroup.externalId}/members`,
    );
    expect(memberPages.map((r) => r.query.$top)).toEqual(['999', '999', '999']);
  });
});

function sortById(users: DirectorySnapshot['users']): unknown[] {
  return [...(users ?? [])].sort((a, b) => a.externalId.localeCompare(b.externalId));
}
