import { describe, expect, it } from '@jest/globals';
import { CancelledError } from '../errors';
import type { RetryPolicy } from './policy';
import { retry, type Outcome, type RetryEvent, type Verdict } from './retry';
import { TimeoutError } from './timeout';

const policy: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  jitter: 0.5,
  maxWaitMs: 10_000,
};

interface Reply {
  status: number;
  waitMs?: number;
}

/** Retries 429 (as the server asks) and 5xx; hands anything else over. */
function classify(outcome: Outcome<Reply>): Verdict {
  if (!outcome.ok) return { verdict: 'retry', reason: String(outcome.error) };
  const { status, waitMs } = outcome.value;
  if (status === 429) return { verdict: 'retry-after', reason: 'HTTP 429', waitMs };
  if (status >= 500) return { verdict: 'retry', reason: `HTTP ${status}` };
  return { verdict: 'fail' };
}

/** Answers from a script, one per attempt, recording the waits asked of the timer. */
function scripted(replies: (Reply | Error)[]): {
  run: () => Promise<Reply>;
  waits: number[];
  timer: (ms: number) => Promise<void>;
  calls: () => number;
} {
  let calls = 0;
  const waits: number[] = [];
  return {
    waits,
    calls: () => calls,
    timer: async (ms) => void waits.push(ms),
    run: async () => {
      const next = replies[Math.min(calls++, replies.length - 1)]!;
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

describe('retry', () => {
  it('retries until the classifier accepts, backing off with jitter, and says why each time', async () => {
    const s = scripted([new Error('ECONNRESET'), { status: 503 }, { status: 200 }]);
    const events: RetryEvent[] = [];
    const reply = await retry(s.run, {
      policy,
      classify,
      timer: s.timer,
      random: () => 0.5,
      onRetry: (e) => events.push(e),
    });
    expect(reply.status).toBe(200);
    expect(s.waits).toEqual([75, 150]);
    expect(events).toEqual([
      { attempt: 1, delayMs: 75, reason: 'Error: ECONNRESET' },
      { attempt: 2, delayMs: 150, reason: 'HTTP 503' },
    ]);
  });

  it('waits what the server asked, and the backoff when it did not say', async () => {
    const s = scripted([{ status: 429, waitMs: 7000 }, { status: 429 }, { status: 204 }]);
    await retry(s.run, { policy, classify, timer: s.timer, random: () => 0 });
    expect(s.waits).toEqual([7000, 100]);
  });

  it('hands over the last answer once the attempts are used up', async () => {
    const s = scripted([{ status: 503 }]);
    await expect(retry(s.run, { policy, classify, timer: s.timer })).resolves.toEqual({
      status: 503,
    });
    expect(s.calls()).toBe(4);
    const failing = scripted([new Error('ECONNREFUSED')]);
    await expect(retry(failing.run, { policy, classify, timer: failing.timer })).rejects.toThrow(
      'ECONNREFUSED',
    );
    expect(failing.calls()).toBe(4);
  });

  it('does not retry what the classifier fails', async () => {
    const s = scripted([{ status: 404 }, { status: 200 }]);
    await expect(retry(s.run, { policy, classify, timer: s.timer })).resolves.toEqual({
      status: 404,
    });
    expect(s.calls()).toBe(1);
  });

  it('does not wait out a server wait longer than the cap: the answer comes back at once', async () => {
    const s = scripted([{ status: 429, waitMs: 3_600_000 }, { status: 200 }]);
    await expect(retry(s.run, { policy, classify, timer: s.timer })).resolves.toEqual({
      status: 429,
      waitMs: 3_600_000,
    });
    expect(s.waits).toEqual([]);
    expect(s.calls()).toBe(1);
  });

  it('gives each attempt its own timeout, aborting the attempt’s request', async () => {
    const signals: AbortSignal[] = [];
    let calls = 0;
    const reply = await retry(
      ({ signal }) => {
        signals.push(signal);
        if (++calls === 1) return new Promise<Reply>(() => undefined);
        return Promise.resolve({ status: 200 });
      },
      {
        policy: { ...policy, timeoutMs: 20 },
        classify: (o) =>
          !o.ok && o.error instanceof TimeoutError
            ? { verdict: 'retry', reason: o.error.message }
            : classify(o),
        timer: async () => undefined,
      },
    );
    expect(reply.status).toBe(200);
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
  });

  it('ends a wait the moment the caller cancels, with a CancelledError', async () => {
    const controller = new AbortController();
    const waiting = retry(async () => ({ status: 429, waitMs: 5000 }), {
      policy,
      classify,
      signal: controller.signal,
      what: 'The OneLogin read',
      timer: () => new Promise(() => undefined),
      onRetry: () => setImmediate(() => controller.abort()),
    });
    await expect(waiting).rejects.toThrow(new CancelledError('The OneLogin read'));
  });

  it('ends an attempt in flight when the caller cancels', async () => {
    const controller = new AbortController();
    let attemptSignal: AbortSignal | undefined;
    const running = retry(
      ({ signal }) => {
        attemptSignal = signal;
        setImmediate(() => controller.abort());
        return new Promise<Reply>(() => undefined);
      },
      { policy, classify, signal: controller.signal },
    );
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(attemptSignal!.aborted).toBe(true);
  });
});
