import { CancelledError } from '@bwdc/core';
import type { BitwardenEmulator } from '@bwdc/emulator-bitwarden';
import { clientFor, closeAll, emulator } from './__fixtures__/emulated-client';
import { BitwardenApiError } from './index';

// The organization read through the real client against the Bitwarden emulator.

afterEach(closeAll);

/** `users` members in `groups` groups (user i in group i % groups), imported as a sync would. */
async function company(e: BitwardenEmulator, users: number, groups: number): Promise<void> {
  await clientFor(e).importOrganization({
    members: Array.from({ length: users }, (_, i) => ({
      email: `u${i}@example.com`,
      externalId: `u${i}`,
      deleted: false,
    })),
    groups: Array.from({ length: groups }, (_, g) => ({
      name: `Group ${g}`,
      externalId: `g${g}`,
      memberExternalIds: Array.from({ length: users }, (_, i) => `u${i}`).filter(
        (_, i) => i % groups === g,
      ),
    })),
    overwriteExisting: false,
    largeImport: false,
    inviteUsersAfterProvisioning: false,
  });
}

const reads = (e: BitwardenEmulator, pattern: RegExp): number =>
  e.requests.filter((r) => r.method === 'GET' && pattern.test(r.path)).length;

describe('reading the organization', () => {
  it('reads members, groups and the member ids of every group', async () => {
    const e = await emulator();
    await company(e, 6, 3);
    e.seed([{ email: 'helper@example.com', groups: ['Hand-made'] }]);
    const org = await clientFor(e).readOrganization({ groupMembers: 'all' });
    expect(org.members.map((m) => m.email).sort()).toEqual(
      e.org
        .members()
        .map((m) => m.email)
        .sort(),
    );
    const expected = e.org.groups().map((g) => ({
      id: g.id,
      name: g.name,
      externalId: g.externalId,
      memberIds: [...g.memberIds].sort(),
    }));
    expect(org.groups.map((g) => ({ ...g, memberIds: [...(g.memberIds ?? [])].sort() }))).toEqual(
      expect.arrayContaining(expected),
    );
    expect(org.groups).toHaveLength(4);
    expect(reads(e, /\/member-ids$/)).toBe(4);
  });

  it('reads member ids only of the groups picked, and none by default', async () => {
    const e = await emulator();
    await company(e, 4, 4);
    const client = clientFor(e);
    const none = await client.readOrganization();
    expect(none.groups.every((g) => g.memberIds === undefined)).toBe(true);
    expect(reads(e, /\/member-ids$/)).toBe(0);
    const some = await client.readOrganization({
      groupMembers: (g) => g.externalId === 'g1' || g.externalId === 'g3',
    });
    expect(
      some.groups
        .filter((g) => g.memberIds !== undefined)
        .map((g) => g.name)
        .sort(),
    ).toEqual(['Group 1', 'Group 3']);
    expect(reads(e, /\/member-ids$/)).toBe(2);
  });

  it('follows continuationToken through every page of members and groups', async () => {
    const e = await emulator({ pageSize: 5 });
    await company(e, 23, 12);
    const org = await clientFor(e).readOrganization();
    expect(new Set(org.members.map((m) => m.id)).size).toBe(24);
    expect(new Set(org.groups.map((g) => g.id)).size).toBe(12);
    expect(reads(e, /\/public\/members$/)).toBe(5);
    expect(reads(e, /\/public\/groups$/)).toBe(3);
  });

  it('keeps at most `concurrency` member-id reads in flight', async () => {
    const e = await emulator();
    await company(e, 10, 10);
    let inFlight = 0;
    let most = 0;
    const counting: typeof fetch = async (url, init) => {
      const memberIds = String(url).endsWith('/member-ids');
      if (memberIds) most = Math.max(most, ++inFlight);
      try {
        const res = await fetch(url, init);
        const text = await res.text();
        return new Response(text, { status: res.status, headers: res.headers });
      } finally {
        if (memberIds) inFlight--;
      }
    };
    e.faults.add({ path: '/public/groups/*/member-ids', delayMs: 30, times: 10 });
    const org = await clientFor(e, { fetch: counting }).readOrganization({
      groupMembers: 'all',
      concurrency: 3,
    });
    expect(org.groups.every((g) => g.memberIds?.length === 1)).toBe(true);
    expect(most).toBe(3);
  });

  it('waits out a 429 with Retry-After on a member-id read and still reads everything', async () => {
    const e = await emulator();
    await company(e, 4, 4);
    e.faults.add({
      path: '/public/groups/*/member-ids',
      call: 2,
      status: 429,
      retryAfterSeconds: 1,
    });
    const org = await clientFor(e).readOrganization({ groupMembers: 'all', concurrency: 1 });
    expect(org.groups.every((g) => g.memberIds?.length === 1)).toBe(true);
    expect(reads(e, /\/member-ids$/)).toBe(5);
  });

  it('leaves out a group deleted between the list and its member ids (404)', async () => {
    const e = await emulator();
    await company(e, 3, 3);
    e.faults.add({ path: '/public/groups/*/member-ids', call: 2, status: 404 });
    const org = await clientFor(e).readOrganization({ groupMembers: 'all', concurrency: 1 });
    expect(org.groups).toHaveLength(2);
  });

  it('fails on a server error after the retries, naming the request', async () => {
    const e = await emulator();
    await company(e, 2, 2);
    e.faults.add({ path: '/public/groups/*/member-ids', status: 500, times: 20 });
    const read = clientFor(e, { retry: { baseDelayMs: 5, attempts: 2 } }).readOrganization({
      groupMembers: 'all',
    });
    await expect(read).rejects.toBeInstanceOf(BitwardenApiError);
    await expect(read).rejects.toThrow(/member-ids/);
  });

  it('says the server has no member routes when it is Vaultwarden', async () => {
    const e = await emulator({ mode: 'vaultwarden' });
    const read = clientFor(e).readOrganization();
    await expect(read).rejects.toThrow(/does not offer GET \/public\/(members|groups)/);
  });

  it('stops when cancelled', async () => {
    const e = await emulator();
    await company(e, 8, 8);
    const controller = new AbortController();
    e.faults.add({ path: '/public/groups/*/member-ids', delayMs: 20, times: 8 });
    const read = clientFor(e).readOrganization({
      groupMembers: 'all',
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'group-members' && p.done === 2) controller.abort();
      },
    });
    await expect(read).rejects.toBeInstanceOf(CancelledError);
    expect(reads(e, /\/member-ids$/)).toBeLessThan(8);
  });
});
