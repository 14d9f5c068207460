import { CancelledError } from '../errors';

/** One attempt took longer than its caller allows; the attempt's request has been aborted. */
export class TimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * Runs `operation` with a signal that aborts after `ms` or when `signal` does, and settles the
 * moment either happens, even if the operation ignores its signal: a TimeoutError after `ms`, a
 * CancelledError (naming `what`) on cancel. `ms` undefined or 0: no time limit.
 */
export function withTimeout<T>(
  operation: (signal: AbortSignal) => Promise<T>,
  ms: number | undefined,
  signal?: AbortSignal,
  what?: string,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(new CancelledError(what));
  const controller = new AbortController();
  let handle: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => {
      controller.abort(signal?.reason);
      reject(new CancelledError(what));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (ms !== undefined && ms > 0 && Number.isFinite(ms)) {
      handle = setTimeout(() => {
        const error = new TimeoutError(ms);
        controller.abort(error);
        reject(error);
      }, ms);
    }
  });
  // The operation's own rejection after an abort is an echo of the abort; `stopped` has the reason.
  const running = operation(controller.signal).catch((error: unknown) => {
    if (controller.signal.aborted) return stopped;
    throw error;
  });
  return Promise.race([running, stopped]).finally(() => {
    if (handle !== undefined) clearTimeout(handle);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  });
}
