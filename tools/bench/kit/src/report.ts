import { cpus, loadavg, totalmem } from 'node:os';
import type { Sample } from './measure';
import { ratios, spread, type Failures, type Rounds, type Spread } from './stats';

const f0 = (n: number): string => n.toFixed(0);
const f2 = (n: number): string => n.toFixed(2);
const triple = (s: Spread, fmt: (n: number) => string): string =>
  `${fmt(s.min)} / ${fmt(s.median)} / ${fmt(s.max)}`;

/** The machine and its load, which explain wall times on a shared machine. */
export function machineLine(): string {
  const cpu = cpus();
  return `Node ${process.version}, ${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 20)} MB RAM; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
}

/**
 * A table of every measurement against its floor: wall time, CPU time and peak RSS as
 * min / median / max over the rounds, and wall and CPU as ratios to the floor's same round.
 */
export function floorTable(
  rounds: Rounds & { readonly failures?: Failures },
  floor: string,
): string {
  const base = rounds.get(floor);
  if (!base) throw new Error(`no floor named ${floor}`);
  const wall = (s: readonly Sample[]) => s.map((x) => x.wallMs);
  const cpu = (s: readonly Sample[]) => s.map((x) => x.cpuMs);
  const header = [
    'measurement',
    'wall ms (min / median / max)',
    'x floor wall',
    'CPU ms',
    'x floor CPU',
    'peak RSS MB',
  ];
  const rows = [...rounds].map(([name, samples]) => [
    name,
    triple(spread(wall(samples)), f0),
    name === floor ? '1 (floor)' : triple(ratios(wall(samples), wall(base)), f2),
    triple(spread(cpu(samples)), f0),
    name === floor ? '1 (floor)' : triple(ratios(cpu(samples), cpu(base)), f2),
    triple(spread(samples.map((x) => x.peakRssMb)), f0),
  ]);
  const failed = [...(rounds.failures ?? [])].map(([name, reason]) => `${name}: FAILED: ${reason}`);
  return [table([header, ...rows]), ...failed].join('\n');
}

/** Plain text columns, padded to their widest cell. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r, i) => {
      const line = r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd();
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

/** One line per sample as it lands, so a long run shows it is alive. */
export function progressLine(round: number, name: string, sample: Sample): string {
  return `  round ${round}: ${name}: ${f0(sample.wallMs)} ms wall, ${f0(sample.cpuMs)} ms CPU, ${f0(sample.peakRssMb)} MB peak`;
}
