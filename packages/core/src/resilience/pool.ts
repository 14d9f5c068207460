import { CancelledError } from '../errors';

/**
 * Runs `task` over `items` with at most `limit` running at once and returns the results in the
 * items' order. One failure rule: the first failure aborts the signal the running tasks were
 * given (so their requests stop), no further item starts, and that failure is what is thrown.
 * When `signal` aborts, nothing further starts and the pool throws a CancelledError.
 */
export async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, signal: AbortSignal, index: number) => Promise<R>,
  signal?: AbortSignal,
  /** Names the work in the cancellation message ("Reading the organization was cancelled."). */
  what?: string,
): Promise<R[]> {
  if (signal?.aborted) throw new CancelledError(what);
  const results = new Array<R>(items.length);
  const controller = new AbortController();
  const shared = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && !shared.aborted && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index]!, shared, index);
      } catch (error) {
        if (failure === undefined) {
          failure = { error };
          controller.abort();
        }
        return;
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (signal?.aborted && !(failure?.error instanceof CancelledError))
    throw new CancelledError(what);
  if (failure !== undefined) throw failure.error;
  return results;
}
