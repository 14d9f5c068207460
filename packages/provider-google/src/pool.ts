/**
 * Runs `task` over `items` with at most `limit` running at once, keeping the order of results.
 * The first failure aborts `signal` for the tasks still running (so their requests stop) and is
 * the error thrown; later failures caused by that abort are ignored. When `parentSignal` fires,
 * the workers stop taking items and the caller must check the signal before using the results.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  parentSignal: AbortSignal | undefined,
  task: (item: T, signal: AbortSignal) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const controller = new AbortController();
  const signal = parentSignal
    ? AbortSignal.any([parentSignal, controller.signal])
    : controller.signal;
  let next = 0;
  let firstError: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (firstError === undefined && !signal.aborted && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await task(items[index]!, signal);
      } catch (error) {
        if (firstError === undefined) {
          firstError = { error };
          controller.abort();
        }
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (firstError !== undefined) throw firstError.error;
  return results;
}
