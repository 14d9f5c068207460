import type { Sample } from './measure';

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('no values to summarize');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

/**
 * Ratios of a measurement to its floor, round by round: round i of the measurement over round i
 * of the floor, which ran next to it, so load that comes and goes weighs on both.
 */
export function ratios(samples: readonly number[], floor: readonly number[]): Spread {
  if (samples.length !== floor.length) throw new Error('a ratio needs one floor per round');
  return spread(samples.map((value, i) => value / floor[i]!));
}

/** The rows of a benchmark: each measurement's samples, one per round, in run order. */
export type Rounds = Map<string, Sample[]>;

/** Measurements that failed, with the first line of why; they are not run again. */
export type Failures = Map<string, string>;

/**
 * Runs every measurement once per round, in the same order each round, so slow and busy
 * moments of a shared machine spread over all of them instead of landing on one. A measurement
 * that fails (an old build that cannot do it) is reported and left out of later rounds.
 */
export async function interleave(
  rounds: number,
  steps: readonly { readonly name: string; readonly run: () => Promise<Sample> }[],
  onSample?: (round: number, name: string, sample: Sample) => void,
): Promise<Rounds & { readonly failures: Failures }> {
  const out = Object.assign(new Map(steps.map((s) => [s.name, [] as Sample[]])), {
    failures: new Map<string, string>(),
  });
  for (let round = 1; round <= rounds; round++) {
    for (const step of steps) {
      if (out.failures.has(step.name)) continue;
      try {
        const sample = await step.run();
        out.get(step.name)!.push(sample);
        onSample?.(round, step.name, sample);
      } catch (error) {
        const reason = (error instanceof Error ? error.message : String(error))
          .split('\n')
          .filter((line) => /\S/.test(line))
          .slice(0, 2)
          .join(' / ');
        out.failures.set(step.name, reason);
        out.delete(step.name);
        console.log(`  round ${round}: ${step.name} FAILED: ${reason}`);
      }
    }
  }
  return out;
}
