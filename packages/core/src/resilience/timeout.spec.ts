import { describe, expect, it, jest } from '@jest/globals';
import { CancelledError } from '../errors';
import { TimeoutError, withTimeout } from './timeout';

// Timers in this file are fake: time passes only when a test advances it.
jest.useFakeTimers();

/** An operation that settles only when its signal aborts, as fetch does. */
function hanging(seen: AbortSignal[]): (signal: AbortSignal) => Promise<string> {
  return (signal) => {
    seen.push(signal);
    return new Promise((_, reject) =>
      signal.addEventListener('abort', () => reject(new Error('aborted'))),
    );
  };
}

describe('withTimeout', () => {
  it('aborts the attempt and rejects with a TimeoutError after the time', async () => {
    const seen: AbortSignal[] = [];
    const run = withTimeout(hanging(seen), 300);
    const caught = run.catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(300);
    const error = await caught;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toBe('timed out after 300 ms');
    expect(seen[0]!.aborted).toBe(true);
  });

  it('settles on time even when the operation ignores its signal', async () => {
    const run = withTimeout(() => new Promise<string>(() => undefined), 50);
    const caught = run.catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(50);
    expect(await caught).toBeInstanceOf(TimeoutError);
  });

  it('rejects with a CancelledError when the caller cancels, and aborts the request', async () => {
    const seen: AbortSignal[] = [];
    const controller = new AbortController();
    const run = withTimeout(hanging(seen), 60_000, controller.signal, 'The read');
    controller.abort();
    await expect(run).rejects.toThrow(new CancelledError('The read'));
    expect(seen[0]!.aborted).toBe(true);
  });

  it('returns the value and leaves no timer behind', async () => {
    await expect(withTimeout(async () => 'ok', 1000)).resolves.toBe('ok');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('passes the operation’s own error through', async () => {
    await expect(
      withTimeout(async () => {
        throw new Error('HTTP 500');
      }, 1000),
    ).rejects.toThrow('HTTP 500');
  });
});
