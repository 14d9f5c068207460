import { describe, expect, it } from '@jest/globals';
import { RateLimitGovernor, readRateLimitHeaders } from './rate-limit';

function clockAndSleep(start = 1_700_000_000_000): {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  sleeps: number[];
} {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('RateLimitGovernor', () => {
  it('lets calls through until the share of the limit is used, then waits for the reset by the server clock', async () => {
    const c = clockAndSleep();
    const governor = new RateLimitGovernor(0.5, c.sleep, c.now);
    // Server clock 10 s behind ours: the wait must come from reset - Date, not reset - our clock.
    const serverNow = c.now() - 10_000;
    const reset = Math.floor(serverNow / 1000) + 30;
    await governor.beforeRequest('/api/v1/users');
    governor.release('/api/v1/users');
    governor.observe('/api/v1/users', { limit: 10, remaining: 6, reset, serverNow });
    await governor.beforeRequest('/api/v1/users'); // 4 answered + 1 in flight = 5
    expect(c.sleeps).toEqual([]);
    await governor.beforeRequest('/api/v1/users');
    expect(c.sleeps.length).toBe(1);
    expect(c.sleeps[0]).toBeGreaterThanOrEqual(29_000);
    expect(c.sleeps[0]).toBeLessThanOrEqual(31_000);
  });

  it('keeps buckets apart', async () => {
    const c = clockAndSleep();
    const governor = new RateLimitGovernor(0.5, c.sleep, c.now);
    governor.observe('/api/v1/users', {
      limit: 10,
      remaining: 0,
      reset: c.now() / 1000 + 5,
      serverNow: c.now(),
    });
    await governor.beforeRequest('/api/v1/groups');
    expect(c.sleeps).toEqual([]);
    await governor.beforeRequest('/api/v1/users');
    expect(c.sleeps.length).toBe(1);
  });

  it('counts calls in flight, so answers arriving out of order never let it overshoot', async () => {
    const c = clockAndSleep();
    const governor = new RateLimitGovernor(0.5, c.sleep, c.now);
    const reset = Math.floor(c.now() / 1000) + 60;
    governor.observe('b', { limit: 10, remaining: 8, reset, serverNow: c.now() });
    await governor.beforeRequest('b');
    await governor.beforeRequest('b');
    await governor.beforeRequest('b'); // 2 answered + 3 in flight = the share
    expect(c.sleeps).toEqual([]);
    // The third call's answer comes first and already counts all three.
    governor.release('b');
    governor.observe('b', { limit: 10, remaining: 5, reset, serverNow: c.now() });
    await governor.beforeRequest('b');
    expect(c.sleeps.length).toBe(1);
  });

  it('makes concurrent callers share one wait', async () => {
    const c = clockAndSleep();
    const governor = new RateLimitGovernor(0.8, c.sleep, c.now);
    governor.observe('b', {
      limit: 100,
      remaining: 10,
      reset: c.now() / 1000 + 5,
      serverNow: c.now(),
    });
    await Promise.all([
      governor.beforeRequest('b'),
      governor.beforeRequest('b'),
      governor.beforeRequest('b'),
    ]);
    expect(c.sleeps.length).toBe(1);
  });

  it('ignores late answers from a window it has already waited out', async () => {
    const c = clockAndSleep();
    const governor = new RateLimitGovernor(0.5, c.sleep, c.now);
    const reset = Math.floor(c.now() / 1000) + 60;
    governor.observe('b', { limit: 10, remaining: 5, reset, serverNow: c.now() });
    await governor.beforeRequest('b');
    expect(c.sleeps.length).toBe(1);
    // A call sent before the wait answers after it, still reporting the old window.
    governor.observe('b', { limit: 10, remaining: 0, reset, serverNow: c.now() - 60_000 });
    await governor.beforeRequest('b');
    expect(c.sleeps.length).toBe(1);
  });

  it('takes the lowest remaining count of one window and a new window as it comes', () => {
    const c = clockAndSleep();
    const governor = new RateLimitGovernor(1, c.sleep, c.now);
    const reset = Math.floor(c.now() / 1000) + 60;
    governor.observe('b', { limit: 100, remaining: 40, reset, serverNow: c.now() });
    governor.observe('b', { limit: 100, remaining: 50, reset, serverNow: c.now() });
    expect(governor.allowedPerWindow('b')).toBe(100);
    expect(
      governor.retryDelayMs({ limit: 100, remaining: 0, reset, serverNow: c.now() }),
    ).toBeGreaterThanOrEqual(60_000);
    expect(
      governor.retryDelayMs({
        limit: undefined,
        remaining: undefined,
        reset: undefined,
        serverNow: undefined,
      }),
    ).toBe(undefined);
  });

  it('rejects a share outside (0, 1]', () => {
    const c = clockAndSleep();
    expect(() => new RateLimitGovernor(0, c.sleep)).toThrow(RangeError);
    expect(() => new RateLimitGovernor(1.5, c.sleep)).toThrow(RangeError);
  });

  it('reads the headers, ignoring duplicated (comma-joined) values', () => {
    const headers = new Headers({
      'X-Rate-Limit-Limit': '600',
      'X-Rate-Limit-Remaining': '599, 598',
      'X-Rate-Limit-Reset': '1700000060',
      Date: 'Tue, 14 Nov 2023 22:13:20 GMT',
    });
    expect(readRateLimitHeaders(headers)).toEqual({
      limit: 600,
      remaining: undefined,
      reset: 1700000060,
      serverNow: Date.parse('Tue, 14 Nov 2023 22:13:20 GMT'),
    });
  });
});
