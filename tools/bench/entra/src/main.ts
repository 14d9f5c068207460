/**
 * A full and an incremental read of an Entra ID tenant (default 10k users, 1k groups) through the
 * real Graph client against the loopback Graph emulator. Prints the requests each read made, by
 * endpoint, next to the minimum the API's paging allows.
 */
import { numberOption } from '@bwdc/bench-kit';
import { parseConfig, silentLogger } from '@bwdc/core';
import { startEntraEmulator } from '@bwdc/emulator-entra';
import { EntraDirectoryProvider } from '@bwdc/provider-entra';

/** Graph's largest `$top` for /users, and the emulator's delta page limits (its defaults). */
const USERS_PER_PAGE = 999;
const DELTA_OBJECTS_PER_PAGE = 200;
const DELTA_MEMBERS_PER_PAGE = 1000;
const MEMBERS_PER_GROUP = 30;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const userCount = numberOption(argv, 'users', 10_000);
  const groupCount = numberOption(argv, 'groups', 1_000);
  const emulator = await startEntraEmulator();
  try {
    const users = Array.from({ length: userCount }, (_, i) =>
      emulator.directory.addUser({
        mail: `u${i}@example.com`,
        userPrincipalName: `u${i}@example.com`,
      }),
    );
    const groups: string[] = [];
    let memberEntries = 0;
    for (let g = 0; g < groupCount; g++) {
      const members = new Set<string>();
      for (let k = 0; k < MEMBERS_PER_GROUP; k++)
        members.add(users[(g * 37 + k * 101) % users.length]!);
      // Every tenth group nests the previous one.
      if (g > 0 && g % 10 === 0) members.add(groups[g - 1]!);
      memberEntries += members.size;
      groups.push(
        emulator.directory.addGroup({ displayName: `Group ${g}`, members: [...members] }),
      );
    }
    const provider = new EntraDirectoryProvider(
      parseConfig('entra', {
        identityAuthority: emulator.authorityUrl,
        graphUrl: emulator.graphUrl,
        tenant: emulator.tenant,
        applicationId: emulator.clientId,
        key: emulator.clientSecret,
      }),
      parseConfig('sync', { users: true, groups: true }),
      silentLogger,
      { ca: emulator.caCert },
    );

    emulator.requests.length = 0;
    let started = performance.now();
    const full = await provider.fetch({ users: true, groups: true, mode: 'full' });
    report('full read', started, full.users?.length ?? 0, full.groups?.length ?? 0);
    const groupDeltaPages = Math.max(
      Math.ceil(groupCount / DELTA_OBJECTS_PER_PAGE),
      Math.ceil(memberEntries / DELTA_MEMBERS_PER_PAGE),
    );
    const fullMinimum = 1 + 1 + Math.ceil(userCount / USERS_PER_PAGE) + groupDeltaPages;
    console.log(
      `  minimum: ${fullMinimum} (1 token, 1 users/delta link, ${Math.ceil(userCount / USERS_PER_PAGE)} /users pages of ${USERS_PER_PAGE}, ${groupDeltaPages} groups/delta pages)`,
    );

    const changedUsers = 10;
    const changedGroups = 5;
    for (let i = 0; i < changedUsers; i++)
      emulator.directory.updateUser(users[i]!, { accountEnabled: false });
    for (let i = 0; i < changedGroups; i++)
      emulator.directory.addMember(groups[100 + i]!, users[userCount - 1 - i]!);
    emulator.requests.length = 0;
    started = performance.now();
    const delta = await provider.fetch({
      users: true,
      groups: true,
      mode: 'incremental',
      cursor: full.cursor,
    });
    report(
      `incremental read after ${changedUsers} users and ${changedGroups} groups changed`,
      started,
      delta.users?.length ?? 0,
      delta.groups?.length ?? 0,
    );
    console.log(
      `  minimum: ${2 + changedGroups} (1 users/delta, 1 groups/delta, ${changedGroups} changed groups' /members)`,
    );
  } finally {
    await emulator.stop();
  }

  function report(what: string, started: number, users: number, groups: number): void {
    const byEndpoint = new Map<string, number>();
    for (const request of emulator.requests) {
      const key = request.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}');
      byEndpoint.set(key, (byEndpoint.get(key) ?? 0) + 1);
    }
    console.log(
      `${what}: ${emulator.requests.length} requests in ${(performance.now() - started).toFixed(0)} ms (${users} users, ${groups} groups)`,
    );
    for (const [endpoint, count] of [...byEndpoint].sort((a, b) => b[1] - a[1]))
      console.log(`  ${String(count).padStart(5)}  ${endpoint}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
