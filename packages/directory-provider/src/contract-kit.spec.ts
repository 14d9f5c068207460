import { describe, expect, it } from '@jest/globals';
import type { DirectoryGroup, DirectoryUser } from '@bwdc/core';
import {
  describeProviderContract,
  viewOfFixture,
  viewOfSnapshot,
  type ContractFixture,
} from './contract-kit';
import { InMemoryDirectoryProvider } from './in-memory-provider';

const users: DirectoryUser[] = [
  {
    externalId: 'u1',
    referenceId: 'cn=alice',
    email: 'alice@example.com',
    disabled: false,
    deleted: false,
  },
  {
    externalId: 'u2',
    referenceId: 'cn=bob',
    email: 'bob@example.com',
    disabled: true,
    deleted: false,
  },
  {
    externalId: 'u3',
    referenceId: 'cn=carol',
    email: 'carol@example.com',
    disabled: false,
    deleted: true,
  },
];
const groups: DirectoryGroup[] = [
  {
    externalId: 'g1',
    referenceId: 'cn=eng',
    name: 'Engineering',
    userMemberExternalIds: ['u1'],
    groupMemberReferenceIds: ['cn=ops'],
  },
  {
    externalId: 'g2',
    referenceId: 'cn=ops',
    name: 'Ops',
    userMemberExternalIds: ['u2', 'u1'],
    groupMemberReferenceIds: [],
  },
];
const fixture: ContractFixture = {
  users: [
    { email: 'alice@example.com' },
    { email: 'bob@example.com', disabled: true },
    { email: 'carol@example.com', deleted: true },
  ],
  groups: [
    { name: 'Engineering', memberEmails: ['alice@example.com'], childGroups: ['Ops'] },
    { name: 'Ops', memberEmails: ['alice@example.com', 'bob@example.com'] },
  ],
};

// The kit checks itself against the in-memory provider, which holds the fixture exactly.
describeProviderContract({
  name: 'in-memory',
  createProvider: () => new InMemoryDirectoryProvider({ users, groups }),
  fixture,
  runner: { describe, it, expect: expect as never },
});

describe('snapshot views', () => {
  it('match the fixture view for a faithful snapshot', () => {
    const snapshot = { users, groups, complete: true, cursor: undefined, warnings: [] };
    expect(viewOfSnapshot(snapshot)).toEqual(viewOfFixture(fixture));
  });

  it('differ when a provider loses a nested group reference', () => {
    const broken = groups.map((g) => ({ ...g, groupMemberReferenceIds: [] }));
    expect(
      viewOfSnapshot({ users, groups: broken, complete: true, cursor: undefined, warnings: [] }),
    ).not.toEqual(viewOfFixture(fixture));
  });

  it('differ when a provider misses a disabled flag', () => {
    const broken = users.map((u) => ({ ...u, disabled: false }));
    expect(
      viewOfSnapshot({ users: broken, groups, complete: true, cursor: undefined, warnings: [] }),
    ).not.toEqual(viewOfFixture(fixture));
  });
});

describe('InMemoryDirectoryProvider', () => {
  it('throws a DirectoryError naming its source when told to fail', async () => {
    const provider = new InMemoryDirectoryProvider({ users });
    provider.fail = new Error('boom');
    await expect(provider.fetch({ users: true, groups: false, mode: 'full' })).rejects.toThrow(
      'memory: boom',
    );
  });
});
