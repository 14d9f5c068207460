/**
 * The startup benchmark: `bwdc --version` and `bwdc config <setting>` (a read of one setting
 * from a configured data folder, and from one that also remembers the members of a last sync of
 * `--members` users, 100k by default, as bwdc writes them) against the floor of starting Node at
 * all (`node -e 0`), in interleaved rounds. `node + @oclif/core` shows what loading the CLI
 * framework alone costs. With `--before <bin/run.js>` another checkout's build runs in the same
 * rounds.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  BUILT_CLI,
  BwdcCli,
  cliVariants,
  floorTable,
  interleave,
  machineLine,
  numberOption,
  progressLine,
  spread,
  timed,
} from '@bwdc/bench-kit';

const FLOOR = 'node -e 0 (floor)';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const rounds = Math.max(3, numberOption(argv, 'rounds', 10));
  const clis = cliVariants(argv);
  const verbose = argv.includes('--verbose');
  console.log(`bwdc startup benchmark: ${machineLine()}`);
  const members = numberOption(argv, 'members', 100_000);
  const large = clis.map((cli) => new BwdcCli(`${cli.label} (${members} members)`, cli.bin));
  for (const cli of [...clis, ...large]) {
    await cli.run('config', 'directory', 'ldap');
    await cli.run('config', 'ldap.hostname', 'dc1.example.com');
  }
  for (const cli of large) remember(cli, members);
  const oclif = require.resolve('@oclif/core', { paths: [dirname(BUILT_CLI)] });
  const steps = [
    { name: FLOOR, run: () => timed({ command: process.execPath, args: ['-e', '0'] }) },
    {
      name: 'node + @oclif/core',
      run: () =>
        timed({ command: process.execPath, args: ['-e', `require(${JSON.stringify(oclif)})`] }),
    },
    ...clis.flatMap((cli, i) => [
      { name: `${cli.label} --version`, run: () => cli.timed(['--version']) },
      ...[cli, large[i]!].map((folder) => ({
        name: `${folder.label} config ldap.hostname`,
        run: () => folder.timed(['config', 'ldap.hostname']),
      })),
    ]),
  ];
  try {
    const results = await interleave(rounds, steps, (round, name, sample) => {
      if (verbose) console.log(progressLine(round, name, sample));
    });
    console.log(`\n${rounds} interleaved rounds`);
    console.log(floorTable(results, FLOOR));
    clis.forEach((cli, i) => {
      const median = (name: string) => spread(results.get(name)!.map((s) => s.wallMs)).median;
      console.log(
        `${cli.label}: --version ${median(`${cli.label} --version`).toFixed(0)} ms, config ${median(`${cli.label} config ldap.hostname`).toFixed(0)} ms, with ${members} members remembered ${median(`${large[i]!.label} config ldap.hostname`).toFixed(0)} ms (median wall; target <= 150 ms each)`,
      );
    });
    console.log(`at the end: ${machineLine()}`);
  } finally {
    for (const cli of [...clis, ...large]) cli.dispose();
  }
}

/** The members a sync of `count` users leaves in data.json: the list, last, as bwdc writes it. */
function remember(cli: BwdcCli, count: number): void {
  const file = join(cli.dataDir, 'data.json');
  const document = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const id = (i: number) => String(i).padStart(6, '0');
  document.managedMembers = [
    {
      organizationId: null,
      directoryType: document.directoryType,
      members: Array.from({ length: count }, (_, i) => ({
        externalId: `uid=user${id(i)},ou=people,dc=example,dc=com`,
        email: `user${id(i)}@example.com`,
      })),
    },
  ];
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
