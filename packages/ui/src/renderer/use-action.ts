import { useCallback, useRef, useState } from 'react';
import { BridgeError } from '../shared/bridge';

/** Any failure as a BridgeError, so screens show the connector's message and field. */
export function asBridgeError(error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  return new BridgeError({
    code: 'INTERNAL',
    message: error instanceof Error ? error.message : String(error),
  });
}

/** Runs one bridge call at a time for a button: busy flag, and the error where it happened. */
export function useAction<A extends unknown[], T>(fn: (...args: A) => Promise<T>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BridgeError | null>(null);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const run = useCallback(async (...args: A): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fnRef.current(...args);
    } catch (e) {
      setError(asBridgeError(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, busy, error, setError };
}
