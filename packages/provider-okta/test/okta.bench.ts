import { expect, it } from '@jest/globals';
import { parseConfig, silentLogger } from '@bwdc/core';
import { OktaDirectoryProvider } from '../src';
import { startOktaEmulator, type OktaEmulator } from '@bwdc/emulator-okta';

const USERS = 10_000;
const GROUPS = 1_000;
const GROUPS_PER_USER = 3;

function countByBucket(emulator: OktaEmulator, from: number): string {
  const perWindow = new Map<string, number>();
  for (const r of emulator.requests.slice(from)) {
    const key = `${r.bucket} ${r.windowStart}`;
    perWindow.set(key, (perWindow.get(key) ?? 0) + 1);
  }
  const busiest = Math.max(...perWindow.values());
  const counts = new Map<string, number>();
  for (const r of emulator.requests.slice(from))
    counts.set(`${r.bucket} ${r.status}`, (counts.get(`${r.bucket} ${r.status}`) ?? 0) + 1);
  return [
    ...[...counts].map(([k, v]) => `    ${k}: ${v}`),
    `    most calls to one endpoint in one rate-limit window: ${busiest}`,
  ].join('\n');
}

it(`reads ${USERS} users and ${GROUPS} groups from the Okta emulator`, async () => {
  const emulator = await startOktaEmulator();
  try {
    emulator.directory.populate({ users: USERS, groups: GROUPS, groupsPerUser: GROUPS_PER_USER });
    const out: string[] = [
      `Okta: ${USERS} users, ${GROUPS} groups, ${USERS * GROUPS_PER_USER} memberships (HTTPS, SDK)`,
    ];
    const run = async (
      label: string,
      share: number,
      mode: 'full' | 'incremental',
      cursor?: string,
    ) => {
      let waited = 0;
      const provider = new OktaDirectoryProvider(
        parseConfig('okta', { orgUrl: emulator.orgUrl, token: emulator.token }),
        parseConfig('sync', { users: true, groups: true }),
        silentLogger,
        {
          ca: emulator.caCert,
          rateLimitShare: share,
          // Emulated time: waits move the emulator's clock instead of the wall clock.
          sleep: async (ms) => {
            waited += ms;
            emulator.clock.advance(ms);
          },
        },
      );
      const from = emulator.requests.length;
      const started = process.hrtime.bigint();
      const snapshot = await provider.fetch({ users: true, groups: true, mode, cursor });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      out.push(
        `  ${label}: ${emulator.requests.length - from} requests, ${ms.toFixed(0)} ms wall, ` +
          `${(waited / 1000).toFixed(1)} s of rate-limit waits (emulated), ` +
          `${snapshot.users!.length} users, ${snapshot.groups!.length} groups`,
        countByBucket(emulator, from),
      );
      return snapshot;
    };

    // The cursor keeps a second of overlap; let the generated directory be older than that.
    emulator.clock.advance(5_000);
    const full = await run('full read, generous limits', 0.5, 'full');
    expect(full.users!.length).toBe(USERS);

    emulator.faults.setRateLimit({ limit: 600, windowSeconds: 60 });
    await run('full read, 600/min per endpoint, share 0.5', 0.5, 'full');
    emulator.faults.setRateLimit({ limit: 10_000, windowSeconds: 60 });

    emulator.clock.advance(5_000);
    const u = emulator.directory.userByEmail('user42@example.com')!;
    emulator.directory.updateUser(u.id, { status: 'SUSPENDED' });
    emulator.directory.addMember(emulator.directory.groupByName('group7')!.id, u.id);
    await run('incremental read after 1 user and 1 group changed', 0.5, 'incremental', full.cursor);

    out.push(
      `  upstream for comparison: the same ${Math.ceil(USERS / 200) + 1 + Math.ceil(GROUPS / 200) + GROUPS} calls ` +
        `plus a fixed 500 ms per group = ${(GROUPS * 0.5).toFixed(0)} s of sleeping, and no incremental groups`,
    );
    process.stdout.write(`\n${out.join('\n')}\n\n`);
  } finally {
    await emulator.stop();
  }
});
