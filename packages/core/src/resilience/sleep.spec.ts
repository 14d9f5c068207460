import { describe, expect, it, jest } from '@jest/globals';
import { CancelledError } from '../errors';
import { sleep } from './sleep';

// Timers in this file are fake: time passes only when a test advances it.
jest.useFakeTimers();

describe('sleep', () => {
  it('resolves after the time has passed, not before', async () => {
    let done = false;
    const wait = sleep(5000).then(() => (done = true));
    await jest.advanceTimersByTimeAsync(4999);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await wait;
    expect(done).toBe(true);
  });

  it('rejects the moment the signal aborts, naming the work', async () => {
    const controller = new AbortController();
    const wait = sleep(60 * 60_000, controller.signal, { what: 'The Okta read' });
    await jest.advanceTimersByTimeAsync(10);
    controller.abort();
    await expect(wait).rejects.toThrow(new CancelledError('The Okta read'));
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects at once when the signal has already aborted', async () => {
    await expect(sleep(1000, AbortSignal.abort())).rejects.toBeInstanceOf(CancelledError);
  });

  it('races an injected timer against the signal', async () => {
    const asked: number[] = [];
    const never = (ms: number): Promise<void> => {
      asked.push(ms);
      return new Promise(() => undefined);
    };
    const controller = new AbortController();
    const wait = sleep(7000, controller.signal, { timer: never });
    controller.abort();
    await expect(wait).rejects.toBeInstanceOf(CancelledError);
    expect(asked).toEqual([7000]);
    await expect(sleep(7000, undefined, { timer: async () => undefined })).resolves.toBe(undefined);
  });
});
