/**
 * `bwdc test --changes` against plain `bwdc test` at scale (default 100,000 members, 10,000
 * groups), through the real connector, file directory and Bitwarden client, against the Bitwarden
 * emulator in a child process (so the server's work is not timed as the client's).
 *
 * The organization is what a first sync of the directory made; then the directory drifts (leavers,
 * joiners, members moving between groups) so the comparison has something to find. Each run times
 * `connector.test()` and `connector.changes()` in turn; it prints every run, the medians, their
 * ratio, and the requests `changes()` sent to Bitwarden by route.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createConnector } from '@bwdc/connector';
import { numberOption, seededRandom } from '@bwdc/bench-kit';
import { silentLogger, type Logger } from '@bwdc/core';

interface Shape {
  users: number;
  groups: number;
  /** Groups each user is a direct member of. */
  perUser: number;
  seed: number;
}

/**
 * The file provider's JSON: users in `perUser` random groups; one group in ten nested in an
 * earlier one. `drift` leaves out 0.5 % of the users, adds as many new ones and moves 1 % to
 * other groups.
 */
function directoryJson(shape: Shape, drift: boolean): { json: string; memberships: number } {
  const rnd = seededRandom(shape.seed);
  const driftRnd = seededRandom(shape.seed + 1);
  const users: { email: string; id: string; groups: string[] }[] = [];
  let memberships = 0;
  const pick = (r: () => number): string[] => {
    const set = new Set<string>();
    while (set.size < shape.perUser) set.add(`Group ${Math.floor(r() * shape.groups)}`);
    return [...set];
  };
  for (let i = 0; i < shape.users; i++) {
    let groups = pick(rnd);
    if (drift) {
      const r = driftRnd();
      if (r < 0.005) continue;
      if (r < 0.015) groups = pick(driftRnd);
    }
    users.push({ email: `user${i}@example.com`, id: `U${i}`, groups });
    memberships += groups.length;
  }
  if (drift) {
    for (let i = 0; i < Math.round(shape.users * 0.005); i++) {
      const groups = pick(driftRnd);
      users.push({ email: `joiner${i}@example.com`, id: `J${i}`, groups });
      memberships += groups.length;
    }
  }
  const groups = Array.from({ length: shape.groups }, (_, g) => ({
    name: `Group ${g}`,
    id: `G${g}`,
    ...(g > 0 && g % 10 === 0 ? { groups: [`Group ${Math.floor(rnd() * g)}`] } : {}),
  }));
  return { json: JSON.stringify({ users, groups }), memberships };
}

/** The emulator CLI in a child process; resolves with its URLs and key. */
async function startEmulator(): Promise<{
  child: ChildProcess;
  url: string;
  clientId: string;
  clientSecret: string;
}> {
  const cli = join(
    dirname(require.resolve('@bwdc/emulator-bitwarden/package.json')),
    'dist',
    'cli.js',
  );
  const child = spawn(process.execPath, [cli, '--port', '0', '--mode', 'selfhosted'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
  const info = JSON.parse(line) as { url: string; clientId: string; clientSecret: string };
  return { child, ...info };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const n = (x: number): string => x.toLocaleString('en-US');

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const shape: Shape = {
    users: numberOption(argv, 'users', 100_000),
    groups: numberOption(argv, 'groups', 10_000),
    perUser: numberOption(argv, 'per-user', 3),
    seed: numberOption(argv, 'seed', 42),
  };
  const runs = numberOption(argv, 'runs', 5);
  const work = mkdtempSync(join(tmpdir(), 'bwdc-bench-changes-'));
  const emulator = await startEmulator();
  try {
    console.log(
      `load average at start: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const file = join(work, 'directory.json');
    const first = directoryJson(shape, false);
    writeFileSync(file, first.json);
    console.log(
      `directory: ${n(shape.users)} users, ${n(shape.groups)} groups (one in ten nested), ${n(first.memberships)} direct memberships (file provider, JSON)`,
    );

    // Requests are counted from the Bitwarden client's own debug line (one per attempt), so the
    // client runs as it does for users, on its own HTTP stack.
    const counts = new Map<string, number>();
    let counting = false;
    const logger: Logger = {
      ...silentLogger,
      debug: (message, fields) => {
        if (!counting || message !== 'Bitwarden request' || typeof fields?.url !== 'string') return;
        const path = new URL(fields.url).pathname
          .replace(/\/api|\/identity/, '')
          .replace(/[0-9a-f-]{36}/g, '{id}');
        counts.set(path, (counts.get(path) ?? 0) + 1);
      },
    };
    const connector = createConnector({
      dataDir: join(work, 'data'),
      env: { BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true' },
      logger,
    });
    for (const [name, value] of [
      ['server', emulator.url],
      ['directory', 'file'],
      ['file.path', file],
      ['sync.users', 'true'],
      ['sync.groups', 'true'],
      ['sync.largeImport', 'true'],
    ] as const)
      await connector.config.set(name, value);
    await connector.login(emulator.clientId, emulator.clientSecret);

    let t = performance.now();
    const synced = await connector.sync();
    console.log(
      `first sync (fills the organization): ${seconds(performance.now() - t)}, ${synced.requestsSent} import requests`,
    );

    const drifted = directoryJson(shape, true);
    writeFileSync(file, drifted.json);
    console.log('the directory drifts: 0.5 % leave, 0.5 % join, 1 % change groups');

    // One run of each first, not counted: the first pays for JIT warm-up and new connections.
    await connector.test();
    await connector.changes();
    const plain: number[] = [];
    const compared: number[] = [];
    const plainCpu: number[] = [];
    const comparedCpu: number[] = [];
    const cpu = (): number => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    let found = '';
    for (let run = 1; run <= runs; run++) {
      let c = cpu();
      t = performance.now();
      await connector.test();
      plain.push(performance.now() - t);
      plainCpu.push(cpu() - c);
      // Where the time of test --changes goes: the plan, the organization read, then the diff.
      let readStart = 0;
      let readEnd = 0;
      c = cpu();
      t = performance.now();
      const { changes } = await connector.changes({
        onProgress: (p) => {
          if (p.phase !== 'organization') return;
          readStart ||= performance.now();
          readEnd = performance.now();
        },
      });
      const end = performance.now();
      compared.push(end - t);
      comparedCpu.push(cpu() - c);
      found = `invite ${n(changes!.counts.invite)}, remove ${n(changes!.counts.remove)}, groups changed ${n(changes!.counts.groupsChanged)}, members before ${n(changes!.counts.membersBefore)}`;
      console.log(
        `run ${run}: test ${seconds(plain[run - 1]!)}, test --changes ${seconds(compared[run - 1]!)} ` +
          `(plan ${seconds(readStart - t)}, organization read ${seconds(readEnd - readStart)}, compare ${seconds(end - readEnd)})`,
      );
    }
    // Requests are counted in one more run, untimed: counting parses every logged URL.
    counts.clear();
    counting = true;
    await connector.changes();
    counting = false;
    const ratio = median(compared) / median(plain);
    const least = (xs: number[]): number => Math.min(...xs);
    console.log('');
    console.log(
      `bwdc test            median ${seconds(median(plain))}, fastest ${seconds(least(plain))}, client CPU ${seconds(median(plainCpu))}`,
    );
    console.log(
      `bwdc test --changes  median ${seconds(median(compared))}, fastest ${seconds(least(compared))}, client CPU ${seconds(median(comparedCpu))}`,
    );
    console.log(
      `ratio                ${ratio.toFixed(2)}x of the medians, ${(least(compared) / least(plain)).toFixed(2)}x of the fastest runs (target: at most 3x)`,
    );
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(`requests of one test --changes to Bitwarden: ${n(total)}`);
    for (const [path, count] of [...counts].sort((a, b) => b[1] - a[1]))
      console.log(`  ${n(count).padStart(7)}  ${path}`);
    console.log(`changes found: ${found}`);
    console.log(
      `load average at end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    emulator.child.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
