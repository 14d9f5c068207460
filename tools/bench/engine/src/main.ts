/**
 * The engine benchmark. The parent process runs each measurement in its own child process, so
 * each peak RSS (the kernel's high-water mark, `ru_maxrss`) belongs to one measurement only:
 * - `ours`: generate the directory, then time `buildPlan` (normalize, filters, flatten, dedupe,
 *   plan, batched requests, fingerprint), then `flattenGroups` alone;
 * - `baseline`: generate the same directory, then time the official connector's flattening,
 *   stopping after a time budget and extrapolating when it would run for minutes.
 * Both run at full size and at a tenth of it, where the baseline finishes, to show its growth.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { numberOption, spread } from '@bwdc/bench-kit';
import { syncConfigSchema } from '@bwdc/core';
import { OFFICIAL_FILTER_SYNTAX } from '@bwdc/directory-provider';
import { buildPlan, flattenGroups, type PlanInput } from '@bwdc/sync-engine';
import { DEFAULT_SHAPE, generateDirectory, type DirectoryShape } from './generate';
import { flattenUsersToGroups, toUpstreamGroups, type Budget } from './upstream-flatten';

interface Options {
  shape: DirectoryShape;
  rounds: number;
  baselineBudgetSeconds: number;
  baselineFull: boolean;
  smallScale: number;
}

interface OursResult {
  kind: 'ours';
  shape: DirectoryShape;
  generateMs: number;
  rssAfterGenerateMb: number;
  planMs: number;
  /** CPU time (user + system, all threads) of the same step: less sensitive to a busy machine. */
  planCpuMs: number;
  /** The same plan as `bwdc test` makes it (no fingerprints), timed after the one above. */
  testPlanMs: number;
  testPlanCpuMs: number;
  flattenOnlyMs: number;
  flattenOnlyCpuMs: number;
  peakRssMb: number;
  requests: number;
  membersSent: number;
  groupsSent: number;
  flattenedMemberships: number;
  leftOut: number;
  fingerprint: string;
}

interface BaselineResult {
  kind: 'baseline';
  shape: DirectoryShape;
  generateMs: number;
  rssAfterGenerateMb: number;
  topLevelDone: number;
  topLevelTotal: number;
  elapsedMs: number;
  cpuMs: number;
  finished: boolean;
  /** elapsedMs scaled to every top-level group; equals elapsedMs when finished. */
  estimatedFullMs: number;
  estimatedFullCpuMs: number;
  flattenedMemberships: number | undefined;
  peakRssMb: number;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const cpuSince = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

function parseArgs(argv: string[]): Options & { child?: string } {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, fallback: number) => numberOption(argv, name, fallback);
  const child = get('child');
  return {
    shape: {
      users: num('users', DEFAULT_SHAPE.users),
      groups: num('groups', DEFAULT_SHAPE.groups),
      depth: num('depth', DEFAULT_SHAPE.depth),
      memberships: num('memberships', DEFAULT_SHAPE.memberships),
      seed: num('seed', DEFAULT_SHAPE.seed),
    },
    rounds: Math.max(1, num('rounds', 3)),
    baselineBudgetSeconds: num('baseline-budget', 60),
    baselineFull: argv.includes('--baseline-full'),
    smallScale: num('small-scale', 0.1),
    ...(child === undefined ? {} : { child }),
  };
}

function runOurs(shape: DirectoryShape): OursResult {
  let t = performance.now();
  const snapshot = generateDirectory(shape);
  const generateMs = performance.now() - t;
  const rssAfterGenerateMb = mb(process.memoryUsage().rss);

  const input: PlanInput = {
    snapshot,
    config: syncConfigSchema.parse({ users: true, groups: true, largeImport: true }),
    checkpoint: {},
    context: {
      organizationId: '3f1c2a4e-0000-4000-8000-000000000001',
      apiUrl: 'https://api.bitwarden.com',
    },
    mode: 'full',
    startedAt: new Date(),
    filterSyntax: OFFICIAL_FILTER_SYNTAX,
  };
  t = performance.now();
  let cpu = process.cpuUsage();
  const plan = buildPlan(input);
  const planMs = performance.now() - t;
  const planCpuMs = cpuSince(cpu);
  const peak = peakRssMb();

  t = performance.now();
  cpu = process.cpuUsage();
  buildPlan({ ...input, purpose: 'test' });
  const testPlanMs = performance.now() - t;
  const testPlanCpuMs = cpuSince(cpu);

  t = performance.now();
  cpu = process.cpuUsage();
  flattenGroups(snapshot.groups!);
  const flattenOnlyMs = performance.now() - t;
  const flattenOnlyCpuMs = cpuSince(cpu);

  return {
    kind: 'ours',
    shape,
    generateMs,
    rssAfterGenerateMb,
    planMs,
    planCpuMs,
    testPlanMs,
    testPlanCpuMs,
    flattenOnlyMs,
    flattenOnlyCpuMs,
    peakRssMb: peak,
    requests: plan.requests.length,
    membersSent: plan.counts.users,
    groupsSent: plan.counts.groups,
    flattenedMemberships: plan.groups.reduce((n, g) => n + g.memberExternalIds.length, 0),
    leftOut: plan.counts.leftOut,
    fingerprint: plan.fingerprint?.hash ?? '',
  };
}

function runBaseline(shape: DirectoryShape, budgetSeconds: number, full: boolean): BaselineResult {
  let t = performance.now();
  const snapshot = generateDirectory(shape);
  const generateMs = performance.now() - t;
  const groups = toUpstreamGroups(snapshot.groups!);
  const rssAfterGenerateMb = mb(process.memoryUsage().rss);

  t = performance.now();
  const cpu = process.cpuUsage();
  const budget: Budget = { deadline: full ? Infinity : t + budgetSeconds * 1000, done: 0 };
  flattenUsersToGroups(groups, groups, undefined, budget);
  const elapsedMs = performance.now() - t;
  const cpuMs = cpuSince(cpu);
  const finished = budget.done === groups.length;
  const scale = finished ? 1 : groups.length / Math.max(1, budget.done);
  return {
    kind: 'baseline',
    shape,
    generateMs,
    rssAfterGenerateMb,
    topLevelDone: budget.done,
    topLevelTotal: groups.length,
    elapsedMs,
    cpuMs,
    finished,
    estimatedFullMs: elapsedMs * scale,
    estimatedFullCpuMs: cpuMs * scale,
    flattenedMemberships: finished
      ? groups.reduce((n, g) => n + g.userMemberExternalIds.size, 0)
      : undefined,
    peakRssMb: peakRssMb(),
  };
}

function child<T>(kind: string, options: Options, shape: DirectoryShape): T {
  const args = [
    '--max-old-space-size=8192',
    __filename,
    '--child',
    kind,
    '--users',
    String(shape.users),
    '--groups',
    String(shape.groups),
    '--depth',
    String(shape.depth),
    '--memberships',
    String(shape.memberships),
    '--seed',
    String(shape.seed),
    '--baseline-budget',
    String(options.baselineBudgetSeconds),
    ...(options.baselineFull ? ['--baseline-full'] : []),
  ];
  const result = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0)
    throw new Error(`the ${kind} measurement failed (exit ${result.status ?? result.signal})`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as T;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function describe(shape: DirectoryShape): string {
  return `${shape.users.toLocaleString('en')} users, ${shape.groups.toLocaleString('en')} groups, ${shape.depth} levels, ${shape.memberships.toLocaleString('en')} direct memberships (seed ${shape.seed})`;
}

function report(label: string, ours: OursResult, base: BaselineResult): string[] {
  const lines = [
    `== ${label}: ${describe(ours.shape)}`,
    `   input: ${ours.flattenedMemberships.toLocaleString('en')} memberships after flattening; ${ours.membersSent.toLocaleString('en')} members and ${ours.groupsSent.toLocaleString('en')} groups sent in ${ours.requests} requests; ${ours.leftOut} entries left out`,
    `   ours     normalize+filter+flatten+dedupe+plan+fingerprint: ${s(ours.planMs)} wall, ${s(ours.planCpuMs)} CPU` +
      ` (flatten alone ${s(ours.flattenOnlyMs)} wall, ${s(ours.flattenOnlyCpuMs)} CPU); peak RSS ${ours.peakRssMb} MB (${ours.rssAfterGenerateMb} MB of it is the generated directory)`,
    `   ours     the same plan for bwdc test (no fingerprints): ${s(ours.testPlanMs)} wall, ${s(ours.testPlanCpuMs)} CPU`,
  ];
  if (base.finished) {
    lines.push(
      `   baseline upstream flatten: ${s(base.elapsedMs)} wall, ${s(base.cpuMs)} CPU (ran to completion; ${base.flattenedMemberships?.toLocaleString('en')} memberships after flattening); peak RSS ${base.peakRssMb} MB`,
    );
  } else {
    lines.push(
      `   baseline upstream flatten: did NOT finish within its budget: ${base.topLevelDone.toLocaleString('en')} of ${base.topLevelTotal.toLocaleString('en')} top-level groups in ${s(base.elapsedMs)} wall, ${s(base.cpuMs)} CPU.`,
      `            Extrapolated linearly to all of them: ~${s(base.estimatedFullMs)} wall, ~${s(base.estimatedFullCpuMs)} CPU (an underestimate: the union it rebuilds grows as it goes). Peak RSS so far ${base.peakRssMb} MB.`,
    );
  }
  const est = base.finished ? '' : ' (estimated)';
  lines.push(
    `   speed-up (wall): ${(base.estimatedFullMs / ours.flattenOnlyMs).toFixed(0)}x on flattening alone; ${(base.estimatedFullMs / ours.planMs).toFixed(1)}x for our whole pipeline against their flattening alone${est}`,
    `   speed-up (CPU):  ${(base.estimatedFullCpuMs / ours.flattenOnlyCpuMs).toFixed(0)}x on flattening alone; ${(base.estimatedFullCpuMs / ours.planCpuMs).toFixed(1)}x for our whole pipeline against their flattening alone${est}`,
  );
  return lines;
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  if (options.child === 'ours') {
    process.stdout.write(`${JSON.stringify(runOurs(options.shape))}\n`);
    return;
  }
  if (options.child === 'baseline') {
    process.stdout.write(
      `${JSON.stringify(runBaseline(options.shape, options.baselineBudgetSeconds, options.baselineFull))}\n`,
    );
    return;
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `bwdc sync-engine benchmark: Node ${process.version}, ${os.cpus().length} x ${cpu}, ${mb(os.totalmem())} MB RAM, ` +
      `load average ${os.loadavg()[0]!.toFixed(1)} at start (other work on the machine inflates wall times; CPU times less so)`,
  );
  const full = options.shape;
  const scaled = (f: number): DirectoryShape => ({
    ...full,
    users: Math.round(full.users * f),
    groups: Math.round(full.groups * f),
    memberships: Math.round(full.memberships * f),
  });

  const out: string[] = [];
  if (options.smallScale > 0 && options.smallScale < 1) {
    const small = scaled(options.smallScale);
    const ours = child<OursResult>('ours', options, small);
    const base = child<BaselineResult>('baseline', { ...options, baselineFull: true }, small);
    out.push(...report(`${Math.round(options.smallScale * 100)} % scale`, ours, base));
    console.log(out.splice(0).join('\n'));
  }
  // Ours runs several times, the slow baseline once; the median run is described in full.
  const runs: OursResult[] = [];
  for (let r = 0; r < options.rounds; r++) runs.push(child<OursResult>('ours', options, full));
  const byPlan = [...runs].sort((a, b) => a.planMs - b.planMs);
  const ours = byPlan[byPlan.length >> 1]!;
  const base = child<BaselineResult>('baseline', options, full);
  console.log(report('full scale', ours, base).join('\n'));
  const triple = (values: number[], unit: (n: number) => string) => {
    const t = spread(values);
    return `${unit(t.min)} / ${unit(t.median)} / ${unit(t.max)}`;
  };
  const mbs = (n: number) => `${n.toFixed(0)} MB`;
  console.log(
    `   over ${runs.length} runs (min / median / max): plan ${triple(
      runs.map((r) => r.planMs),
      s,
    )} wall, ${triple(
      runs.map((r) => r.planCpuMs),
      s,
    )} CPU; for test ${triple(
      runs.map((r) => r.testPlanMs),
      s,
    )} wall; peak RSS ${triple(
      runs.map((r) => r.peakRssMb),
      mbs,
    )}; ${triple(
      runs.map((r) => base.estimatedFullMs / r.planMs),
      (n) => `${n.toFixed(1)}x`,
    )} the upstream flatten's speed`,
  );
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(
    `targets: whole pipeline < 3 s: ${verdict(ours.planMs < 3000)} (${s(ours.planMs)} wall, ${s(ours.planCpuMs)} CPU); ` +
      `peak RSS < 1 GB: ${verdict(ours.peakRssMb < 1024)} (${ours.peakRssMb} MB); ` +
      `>= 10x faster than the upstream flatten: ${verdict(base.estimatedFullMs / ours.planMs >= 10)} (${(base.estimatedFullMs / ours.planMs).toFixed(1)}x wall)`,
  );
  console.log(`load average at the end: ${os.loadavg()[0]!.toFixed(1)}`);
}

main();
