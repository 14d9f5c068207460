/**
 * The startup benchmark: `bwdc --version` and `bwdc config <setting>` (a read of one setting
 * from a configured data folder) against the floor of starting Node at all (`node -e 0`), in
 * interleaved rounds. `node + @oclif/core` shows what loading the CLI framework alone costs.
 * With `--before <bin/run.js>` another checkout's build runs in the same rounds.
 */
import { dirname } from 'node:path';
import {
  BUILT_CLI,
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
  for (const cli of clis) {
    await cli.run('config', 'directory', 'ldap');
    await cli.run('config', 'ldap.hostname', 'dc1.example.com');
  }
  const oclif = require.resolve('@oclif/core', { paths: [dirname(BUILT_CLI)] });
  const steps = [
    { name: FLOOR, run: () => timed({ command: process.execPath, args: ['-e', '0'] }) },
    {
      name: 'node + @oclif/core',
      run: () =>
        timed({ command: process.execPath, args: ['-e', `require(${JSON.stringify(oclif)})`] }),
    },
    ...clis.flatMap((cli) => [
      { name: `${cli.label} --version`, run: () => cli.timed(['--version']) },
      {
        name: `${cli.label} config ldap.hostname`,
        run: () => cli.timed(['config', 'ldap.hostname']),
      },
    ]),
  ];
  try {
    const results = await interleave(rounds, steps, (round, name, sample) => {
      if (verbose) console.log(progressLine(round, name, sample));
    });
    console.log(`\n${rounds} interleaved rounds`);
    console.log(floorTable(results, FLOOR));
    for (const cli of clis) {
      const median = (name: string) => spread(results.get(name)!.map((s) => s.wallMs)).median;
      console.log(
        `${cli.label}: --version ${median(`${cli.label} --version`).toFixed(0)} ms, config ${median(`${cli.label} config ldap.hostname`).toFixed(0)} ms (median wall; target <= 150 ms each)`,
      );
    }
    console.log(`at the end: ${machineLine()}`);
  } finally {
    for (const cli of clis) cli.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
