/**
 * Runs `work` over `items` with at most `concurrency` calls in flight and returns the results in
 * the items' order. The first failure stops new calls and is thrown once the calls in flight have
 * settled. Local to this package until `@bwdc/core` offers one (`mapPool`), which replaces it.
 */
import { CancelledError } from '@bwdc/core';

export async function mapPool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
  /** Names the work in the cancellation message. */
  what = 'The operation',
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      if (signal?.aborted) {
        failure ??= { error: new CancelledError(what) };
        return;
      }
      const i = next++;
      try {
        results[i] = await work(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(concurrency) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure) throw failure.error;
  return results;
}
