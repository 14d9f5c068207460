/**
 * The CSV benchmark: a generated HR export (default 1,000,000 users in 10,000 groups nested
 * about four deep) read by `bwdc test` through the file directory, against the floor of reading
 * and splitting the same file in plain Node, in interleaved rounds; with `--before <bin/run.js>`
 * another checkout's build too. Prints wall and CPU time with their ratios to the floor, and
 * peak RSS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cliVariants,
  floorTable,
  interleave,
  machineLine,
  numberOption,
  progressLine,
  spread,
  timed,
} from '@bwdc/bench-kit';
import { startBitwardenEmulator } from '@bwdc/emulator-bitwarden';
import { DEFAULT_CSV_SHAPE, writeCsvDirectory } from './generate';

const FLOOR = 'read + split in Node (floor)';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const shape = {
    ...DEFAULT_CSV_SHAPE,
    users: numberOption(argv, 'users', DEFAULT_CSV_SHAPE.users),
    groups: numberOption(argv, 'groups', DEFAULT_CSV_SHAPE.groups),
  };
  const rounds = Math.max(1, numberOption(argv, 'rounds', 3));
  const clis = cliVariants(argv);
  console.log(`bwdc CSV benchmark: ${machineLine()}`);
  const work = await mkdtemp(join(tmpdir(), 'bwdc-bench-csv-'));
  const file = join(work, 'directory.csv');
  let t = performance.now();
  const memberships = await writeCsvDirectory(file, shape);
  console.log(
    `generated ${shape.users} users, ${shape.groups} groups, ${memberships} memberships in ${(performance.now() - t).toFixed(0)} ms`,
  );
  const emulator = await startBitwardenEmulator({ seats: null });
  try {
    for (const cli of clis) {
      await cli.setUp(
        emulator.url,
        'file',
        [
          ['file.path', file],
          ['sync.users', 'true'],
          ['sync.groups', 'true'],
          ['sync.largeImport', 'true'],
        ],
        emulator,
      );
    }
    t = performance.now();
    const steps = [
      {
        name: FLOOR,
        run: async () => {
          const sample = await timed({
            command: process.execPath,
            args: [join(__dirname, 'floor.js'), file],
            keepStdout: true,
          });
          const rows = Number(sample.stdout.split(' ')[0]);
          if (rows !== shape.users + shape.groups + 1)
            throw new Error(`the floor read ${rows} rows`);
          return sample;
        },
      },
      ...clis.map((cli) => ({ name: `${cli.label} test`, run: () => cli.timed(['test']) })),
    ];
    const results = await interleave(rounds, steps, (round, name, sample) =>
      console.log(progressLine(round, name, sample)),
    );
    console.log(`\n${shape.users} users, ${shape.groups} groups, ${rounds} interleaved rounds`);
    console.log(floorTable(results, FLOOR));
    for (const cli of clis) {
      const test = results.get(`${cli.label} test`);
      if (!test) continue;
      console.log(
        `${cli.label}: test ${(spread(test.map((s) => s.wallMs)).median / 1000).toFixed(1)} s median, peak ${spread(test.map((s) => s.peakRssMb)).max.toFixed(0)} MB (target <= 1024 MB)`,
      );
    }
    console.log(`at the end: ${machineLine()}`);
  } finally {
    for (const cli of clis) cli.dispose();
    await emulator.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
