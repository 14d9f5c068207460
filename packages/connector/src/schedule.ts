import { CancelledError } from '@bwdc/core';

export interface ScheduleOptions<T> {
  /** Minutes between the start of one run and the start of the next. */
  readonly intervalMinutes: number;
  /** One run; it receives a signal that fires when the schedule is stopped. */
  readonly run: (signal: AbortSignal) => Promise<T>;
  readonly signal: AbortSignal;
  readonly onResult?: (result: T) => void;
  /** A failed run is reported and the schedule goes on; the next run may succeed. */
  readonly onError?: (error: unknown) => void;
  /** For tests. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Runs `run` now and then every `intervalMinutes` until `signal` fires. Stopping cancels the run
 * in flight through its signal (the engine then commits nothing) and resolves once it has ended.
 * Shared by `bwdc sync --interval` and the desktop app's scheduled sync.
 */
export async function runOnSchedule<T>(options: ScheduleOptions<T>): Promise<void> {
  const sleep = options.sleep ?? abortableSleep;
  const periodMs = options.intervalMinutes * 60_000;
  while (!options.signal.aborted) {
    const started = Date.now();
    try {
      // Not `onResult?.(await run())`: an absent onResult would skip the run itself.
      const result = await options.run(options.signal);
      options.onResult?.(result);
    } catch (error) {
      if (error instanceof CancelledError && options.signal.aborted) return;
      options.onError?.(error);
    }
    const wait = Math.max(0, periodMs - (Date.now() - started));
    try {
      await sleep(wait, options.signal);
    } catch {
      return;
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError('The wait'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError('The wait'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
