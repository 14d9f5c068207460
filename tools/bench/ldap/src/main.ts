/**
 * The LDAP benchmark: a generated directory (default 100k users, 10k groups nested 4 deep) loaded
 * into a real slapd, then in interleaved rounds:
 * - the floor: `ldapsearch -E pr=<page>` paging every user, then every group, bound as the same
 *   account, for the attributes a sync needs (mail, uid; cn, member);
 * - the Node floor: the same read by a Node program with ldapts, users and groups at once, keeping
 *   nothing (node-floor.ts): what Node and the client cost before bwdc does anything;
 * - `bwdc test` and `bwdc sync` (after `clear-cache`, so it posts everything to a loopback
 *   Bitwarden emulator) with the built CLI, and the same with `--before <bin/run.js>` of another
 *   checkout, so a change is measured against what it replaces under the same load.
 * It prints min / median / max of wall time, CPU time and peak RSS, and ratios to the floor.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  cliVariants,
  floorTable,
  interleave,
  machineLine,
  numberOption,
  progressLine,
  spread,
  timed,
  type BwdcCli,
  type Sample,
} from '@bwdc/bench-kit';
import { startBitwardenEmulator } from '@bwdc/emulator-bitwarden';
import { ldapsearchCommand, startSlapd, writeLargeDirectoryLdif } from '@bwdc/tools-ldap';

const BASE = 'dc=example,dc=com';
const FLOOR = 'ldapsearch (floor)';
/** The same read by a Node program with bwdc's LDAP client, keeping nothing (node-floor.ts). */
const NODE_FLOOR = 'ldapts read (Node floor)';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const users = numberOption(argv, 'users', 100_000);
  const groups = numberOption(argv, 'groups', 10_000);
  const page = numberOption(argv, 'page', 1000);
  const rounds = Math.max(1, numberOption(argv, 'rounds', 3));
  const withSync = !argv.includes('--no-sync');
  const clis = cliVariants(argv);
  console.log(`bwdc LDAP benchmark: ${machineLine()}`);

  const work = await mkdtemp(join(tmpdir(), 'bwdc-bench-ldap-'));
  const file = join(work, 'directory.ldif');
  let t = performance.now();
  const memberships = await writeLargeDirectoryLdif(file, BASE, { users, groups });
  console.log(`generated ${users} users, ${groups} groups, ${memberships} memberships in ${ms(t)}`);
  t = performance.now();
  const server = await startSlapd({ bulkLdifFile: file });
  const emulator = await startBitwardenEmulator({ seats: null });
  console.log(`slapadd + slapd start: ${ms(t)}`);
  try {
    const search = (base: string, filter: string, attributes: string[]) =>
      ldapsearchCommand(server, { base: `${base},${BASE}`, filter, attributes, pageSize: page });
    const floor = [
      await search('ou=people', '(objectClass=inetOrgPerson)', ['mail', 'uid']),
      await search('ou=groups', '(objectClass=groupOfNames)', ['cn', 'member']),
    ].join(' && ');

    for (const cli of clis) {
      await cli.setUp(
        emulator.url,
        'ldap',
        [
          ['ldap.hostname', '127.0.0.1'],
          ['ldap.port', String(server.port)],
          ['ldap.rootPath', BASE],
          ['ldap.ad', 'false'],
          ['ldap.pageSize', String(page)],
          ['ldap.username', server.bindDn],
          ['ldap.password', server.bindPassword],
          ['sync.users', 'true'],
          ['sync.groups', 'true'],
          ['sync.userPath', 'ou=people'],
          ['sync.groupPath', 'ou=groups'],
          ['sync.largeImport', 'true'],
        ],
        emulator,
      );
      await checkComplete(cli, users, groups);
      // One sync untimed, so every timed run finds what later runs find: the organization
      // filled and the group counts recorded (a first `test` would read the organization too).
      if (withSync) await cli.run('sync');
    }

    // The emulator answers in this process: its busy time during a sync is the server's share of
    // the sync's wall time (bwdc waits for each answer), which a real server has too.
    const emulatorBusy = new Map<string, number[]>();
    // A floor that read less than everything would flatter bwdc: each one's counts are checked.
    const counted = (name: string, sample: Sample): Sample => {
      const counts = sample.stdout.trim().split('\n').map(Number);
      if (counts[0] !== users || counts[1] !== groups)
        throw new Error(`${name} read ${counts.join(' and ')} entries`);
      return sample;
    };
    const steps = [
      {
        name: FLOOR,
        run: async () =>
          counted(FLOOR, await timed({ command: 'sh', args: ['-c', floor], keepStdout: true })),
      },
      {
        name: NODE_FLOOR,
        run: async () =>
          counted(
            NODE_FLOOR,
            await timed({
              command: process.execPath,
              args: [
                join(__dirname, 'node-floor.js'),
                server.url,
                server.bindDn,
                BASE,
                String(page),
              ],
              env: { ...process.env, BENCH_BIND_PASSWORD: server.bindPassword },
              keepStdout: true,
            }),
          ),
      },
      ...clis.flatMap((cli) => [
        { name: `${cli.label} test`, run: () => cli.timed(['test']) },
        ...(withSync
          ? [
              {
                name: `${cli.label} sync`,
                run: async () => {
                  await cli.run('clear-cache');
                  const start = performance.eventLoopUtilization();
                  const sample = await cli.timed(['sync']);
                  const busy = performance.eventLoopUtilization(start).active;
                  emulatorBusy.set(cli.label, [...(emulatorBusy.get(cli.label) ?? []), busy]);
                  emulator.requests.length = 0;
                  return sample;
                },
              },
            ]
          : []),
      ]),
    ];
    const results = await interleave(rounds, steps, (round, name, sample) =>
      console.log(progressLine(round, name, sample)),
    );
    console.log(
      `\n${users} users, ${groups} groups (${memberships} memberships), page ${page}, ${rounds} interleaved rounds`,
    );
    console.log(floorTable(results, FLOOR));
    for (const cli of clis) {
      const test = results.get(`${cli.label} test`);
      if (!test) continue;
      const sync = results.get(`${cli.label} sync`);
      const toFloor = (name: string): string => {
        const floorWall = results.get(name)!.map((s) => s.wallMs);
        return spread(test.map((s, i) => s.wallMs / floorWall[i]!)).median.toFixed(2);
      };
      const peak = spread(test.map((s) => s.peakRssMb)).max;
      const line = [
        `${cli.label}: test ${toFloor(FLOOR)}x the floor (target <= 1.5x) and ${toFloor(NODE_FLOOR)}x the Node floor, peak ${peak.toFixed(0)} MB (target <= 300 MB)`,
      ];
      if (sync) {
        const syncRatio = spread(sync.map((s, i) => s.wallMs / test[i]!.wallMs)).median;
        line.push(`sync ${syncRatio.toFixed(2)}x test (target <= 2x)`);
        const busy = emulatorBusy.get(cli.label) ?? [];
        const own = spread(sync.map((s, i) => (s.wallMs - busy[i]!) / test[i]!.wallMs)).median;
        line.push(
          `the emulator was busy ${spread(busy).median.toFixed(0)} ms of each sync (median); without it sync is ${own.toFixed(2)}x test`,
        );
      }
      console.log(line.join('; '));
    }
    console.log(`at the end: ${machineLine()}`);
  } finally {
    for (const cli of clis) cli.dispose();
    await emulator.stop();
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** A benchmark of an incomplete read measures nothing: check once, outside the timing. */
async function checkComplete(cli: BwdcCli, users: number, groups: number): Promise<void> {
  const plan = JSON.parse(await cli.run('test')) as {
    enabledUsers: unknown[];
    groups: { userIds: unknown[] }[];
  };
  if (plan.enabledUsers.length !== users || plan.groups.length !== groups) {
    throw new Error(
      `${cli.label}: bwdc test read ${plan.enabledUsers.length} users and ${plan.groups.length} groups`,
    );
  }
}

function ms(since: number): string {
  return `${(performance.now() - since).toFixed(0)} ms`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
