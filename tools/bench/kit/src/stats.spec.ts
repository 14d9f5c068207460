import { describe, expect, it } from '@jest/globals';
import { interleave, ratios, spread } from './stats';
import type { Sample } from './measure';

const sample = (wallMs: number): Sample => ({
  wallMs,
  cpuMs: wallMs,
  peakRssMb: 1,
  stdout: '',
  stderr: '',
});

describe('spread', () => {
  it('gives min, median and max, the median of an even count as the mean of the middle two', () => {
    expect(spread([5, 1, 3])).toEqual({ min: 1, median: 3, max: 5 });
    expect(spread([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4 });
  });

  it('refuses an empty series', () => {
    expect(() => spread([])).toThrow(/no values/);
  });
});

describe('ratios', () => {
  it('divides each round by the floor of the same round', () => {
    // Round 2 ran on a busy machine: both doubled, and the ratio stays 2.
    expect(ratios([2, 4, 2], [1, 2, 1])).toEqual({ min: 2, median: 2, max: 2 });
    expect(ratios([3, 2], [1, 2])).toEqual({ min: 1, median: 2, max: 3 });
  });

  it('needs one floor per round', () => {
    expect(() => ratios([1, 2], [1])).toThrow(/one floor per round/);
  });
});

describe('interleave', () => {
  it('runs every step once per round, in the same order each round', async () => {
    const order: string[] = [];
    const step = (name: string, ms: number) => ({
      name,
      run: async () => {
        order.push(name);
        return sample(ms);
      },
    });
    const rounds = await interleave(3, [step('floor', 1), step('test', 2)]);
    expect(order).toEqual(['floor', 'test', 'floor', 'test', 'floor', 'test']);
    expect(rounds.get('test')!.map((s) => s.wallMs)).toEqual([2, 2, 2]);
  });

  it('reports a measurement that fails and leaves it out of later rounds', async () => {
    let calls = 0;
    const log = console.log;
    console.log = () => undefined;
    try {
      const rounds = await interleave(3, [
        { name: 'floor', run: async () => sample(1) },
        {
          name: 'old build',
          run: async () => {
            calls++;
            throw new Error('exited 1: HTTP 413\n  at somewhere');
          },
        },
      ]);
      expect(calls).toBe(1);
      expect(rounds.has('old build')).toBe(false);
      expect(rounds.failures.get('old build')).toBe('exited 1: HTTP 413 /   at somewhere');
      expect(rounds.get('floor')).toHaveLength(3);
    } finally {
      console.log = log;
    }
  });
});
