import { expect, it } from '@jest/globals';
import { parseConfig, silentLogger } from '@bwdc/core';
import { OneLoginDirectoryProvider } from '../src';
import { startOneLoginEmulator } from '@bwdc/emulator-onelogin';

const USERS = 10_000;
const ROLES = 1_000;
const ROLES_PER_USER = 3;

it(`reads ${USERS} users and ${ROLES} roles from the OneLogin emulator`, async () => {
  const emulator = await startOneLoginEmulator();
  try {
    emulator.directory.populate({ users: USERS, roles: ROLES, rolesPerUser: ROLES_PER_USER });
    const out: string[] = [
      `OneLogin: ${USERS} users, ${ROLES} roles, ${USERS * ROLES_PER_USER} memberships (REST, pages of 50)`,
    ];
    for (const [label, users] of [
      ['users + roles', true],
      ['roles only (members still read)', false],
    ] as const) {
      const provider = new OneLoginDirectoryProvider(
        parseConfig('onelogin', {
          clientId: emulator.clientId,
          clientSecret: emulator.clientSecret,
          apiUrl: emulator.apiUrl,
        }),
        parseConfig('sync', { users, groups: true }),
        silentLogger,
        { sleep: async (ms) => emulator.clock.advance(ms) },
      );
      const from = emulator.requests.length;
      const started = process.hrtime.bigint();
      const snapshot = await provider.fetch({ users, groups: true, mode: 'full' });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const calls = emulator.requests.slice(from);
      const byPath = new Map<string, number>();
      for (const c of calls) byPath.set(c.path, (byPath.get(c.path) ?? 0) + 1);
      out.push(
        `  ${label}: ${calls.length} requests (${[...byPath].map(([p, n]) => `${p} ${n}`).join(', ')}), ${ms.toFixed(0)} ms wall, ` +
          `${snapshot.users?.length ?? 0} users, ${snapshot.groups!.length} groups`,
      );
      expect(snapshot.groups!.length).toBe(ROLES);
    }
    process.stdout.write(`\n${out.join('\n')}\n\n`);
  } finally {
    await emulator.stop();
  }
});
