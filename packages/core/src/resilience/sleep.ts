import { CancelledError } from '../errors';

/** Waits `ms`; tests pass one that takes no real time. */
export type Timer = (ms: number) => Promise<void>;

/**
 * Waits `ms`, and rejects with a CancelledError the moment `signal` aborts, whatever `timer` is
 * doing: a wait never outlives a cancel.
 */
export function sleep(
  ms: number,
  signal?: AbortSignal,
  options: { readonly what?: string; readonly timer?: Timer } = {},
): Promise<void> {
  const { what, timer } = options;
  if (signal?.aborted) return Promise.reject(new CancelledError(what));
  return new Promise<void>((resolve, reject) => {
    let handle: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      if (handle !== undefined) clearTimeout(handle);
      reject(new CancelledError(what));
    };
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timer) {
      timer(ms).then(done, (error: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      });
    } else {
      handle = setTimeout(done, Math.max(0, ms));
    }
  });
}
