import { mapPool } from './pool';

describe('mapPool', () => {
  it('keeps at most `concurrency` calls in flight and returns results in order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapPool(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async (n) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        return n * 2;
      },
    );
    expect(most).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });

  it('stops starting calls after the first failure and throws it', async () => {
    const started: number[] = [];
    await expect(
      mapPool([0, 1, 2, 3, 4, 5], 2, async (n) => {
        started.push(n);
        await new Promise((r) => setImmediate(r));
        if (n === 1) throw new Error('boom');
        return n;
      }),
    ).rejects.toThrow('boom');
    expect(started).toEqual([0, 1, 2]);
  });

  it('stops when cancelled, with a CancelledError naming the work', async () => {
    const controller = new AbortController();
    const done: number[] = [];
    await expect(
      mapPool(
        [0, 1, 2, 3],
        1,
        async (n) => {
          done.push(n);
          if (n === 1) controller.abort();
        },
        controller.signal,
        'Reading the organization',
      ),
    ).rejects.toThrow('Reading the organization was cancelled.');
    expect(done).toEqual([0, 1]);
  });

  it('returns an empty list for no items', async () => {
    expect(await mapPool([], 4, async () => 1)).toEqual([]);
  });
});
