import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gsuiteConfigSchema, silentLogger, syncConfigSchema } from '@bwdc/core';
import { startGoogleEmulator, type GoogleEmulator } from '@bwdc/emulator-google';
import { GoogleDirectoryProvider, PAGE_SIZE } from './index';

/**
 * The request-count benchmark: a full read of 10,000 users and 1,000 groups, with the number of
 * requests bwdc made next to the fewest the Directory API allows (its largest page of each call,
 * one token). Request counts, not times, decide quota use; the time is printed for information only.
 */
describe('request count for a full read of 10k users and 1k groups', () => {
  let emu: GoogleEmulator;
  const USERS = 10_000;
  const DELETED = 50;
  const GROUPS = 1_000;

  beforeAll(async () => {
    emu = await startGoogleEmulator({ domain: 'bench.test' });
    const d = emu.directory;
    for (let i = 0; i < USERS + DELETED; i += 1)
      d.addUser({ primaryEmail: `u${i}@bench.test`, suspended: i % 97 === 0 });
    for (let i = USERS; i < USERS + DELETED; i += 1) d.deleteUser(`u${i}@bench.test`);
    for (let g = 0; g < GROUPS; g += 1) {
      d.addGroup({ email: `g${g}@bench.test`, name: `Group ${g}` });
      const size = g === 0 ? 600 : 10;
      for (let k = 0; k < size; k += 1)
        d.addMember(`g${g}@bench.test`, { user: `u${(g * 10 + k) % USERS}@bench.test` });
      if (g > 0 && g % 10 === 0) d.addMember(`g${g}@bench.test`, { group: `g${g - 1}@bench.test` });
    }
    d.addMember('g1@bench.test', { customer: true });
  }, 120_000);

  afterAll(async () => {
    await emu?.stop();
  });

  it('makes exactly the minimum number of requests', async () => {
    const pages = (n: number, size: number): number => Math.max(1, Math.ceil(n / size));
    const live = emu.directory.allUsers().filter((u) => !u.deleted).length;
    const deleted = emu.directory.allUsers().length - live;
    const groups = emu.directory.allGroups();
    const minimum = {
      token: 1,
      'users.list': pages(live, PAGE_SIZE.users) + pages(deleted, PAGE_SIZE.users),
      'groups.list': pages(groups.length, PAGE_SIZE.groups),
      'members.list': groups.reduce(
        (sum, g) => sum + pages(emu.directory.membersOf(g.id).length, PAGE_SIZE.members),
        0,
      ),
    };

    emu.requests.length = 0;
    const provider = new GoogleDirectoryProvider(
      gsuiteConfigSchema.parse({
        clientEmail: emu.serviceAccount.clientEmail,
        privateKey: emu.serviceAccount.privateKey,
        adminUser: emu.adminUser,
        domain: emu.domain,
        tokenUri: emu.tokenUri,
        rootUrl: emu.rootUrl,
      }),
      syncConfigSchema.parse({ users: true, groups: true }),
      silentLogger,
    );
    const started = process.hrtime.bigint();
    const snapshot = await provider.fetch({ users: true, groups: true, mode: 'full' });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;

    const made: Record<string, number> = {};
    for (const r of emu.requests) made[r.route] = (made[r.route] ?? 0) + 1;
    const rows = Object.entries(minimum).map(
      ([call, min]) =>
        `  ${call.padEnd(13)} ${String(made[call] ?? 0).padStart(6)} ${String(min).padStart(8)}`,
    );
    const total = (o: Record<string, number>): number =>
      Object.values(o).reduce((a, b) => a + b, 0);
    process.stdout.write(
      [
        `Google full read: ${live} users (+${deleted} deleted), ${groups.length} groups`,
        `  call          bwdc  minimum`,
        ...rows,
        `  ${'total'.padEnd(13)} ${String(total(made)).padStart(6)} ${String(total(minimum)).padStart(8)}`,
        `  (${ms.toFixed(0)} ms against the loopback emulator; information only)`,
        '',
      ].join('\n'),
    );

    expect(snapshot.users).toHaveLength(live + deleted);
    expect(snapshot.groups).toHaveLength(GROUPS);
    expect(made).toEqual(minimum);
  }, 120_000);
});
