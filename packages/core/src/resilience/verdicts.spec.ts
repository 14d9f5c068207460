import { describe, expect, it } from '@jest/globals';
import { DirectoryError } from '../errors';
import { RESET_ON_429_ONLY, httpVerdict, networkVerdict } from './verdicts';

describe('networkVerdict', () => {
  it('retries a dropped connection, not an untrusted certificate nor an error of ours', () => {
    expect(
      networkVerdict(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })),
    ).toEqual({ verdict: 'retry', reason: 'read ECONNRESET' });
    expect(
      networkVerdict(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' })).verdict,
    ).toBe('fail');
    expect(networkVerdict(new DirectoryError('DIRECTORY_READ_FAILED', 's', 'm')).verdict).toBe(
      'fail',
    );
  });

  it('does not retry TLS against a port that speaks no TLS: every attempt would fail alike', () => {
    const plainPort = Object.assign(new Error('wrong version number'), {
      code: 'ERR_SSL_WRONG_VERSION_NUMBER',
    });
    expect(networkVerdict(plainPort).verdict).toBe('fail');
  });
});

describe('httpVerdict', () => {
  const answer = (status: number, headers: Record<string, string> = {}) => ({
    ok: true as const,
    value: { status, headers: new Headers(headers) },
  });

  it('retries 429 and 5xx after the wait the server asked for, and hands the rest over', () => {
    expect(httpVerdict(answer(429, { 'Retry-After': '7' }))).toEqual({
      verdict: 'retry-after',
      reason: 'HTTP 429',
      waitMs: 7000,
    });
    expect(httpVerdict(answer(502))).toEqual({
      verdict: 'retry-after',
      reason: 'HTTP 502',
      waitMs: undefined,
    });
    expect([200, 400, 401, 404].map((s) => httpVerdict(answer(s)).verdict)).toEqual([
      'fail',
      'fail',
      'fail',
      'fail',
    ]);
  });

  it('follows the caller’s rule: which statuses, and which of them wait as the server asks', () => {
    const rule = RESET_ON_429_ONLY;
    const reset = { 'X-RateLimit-Reset': '30' };
    expect(httpVerdict(answer(503, reset), rule)).toEqual({ verdict: 'retry', reason: 'HTTP 503' });
    expect(httpVerdict(answer(501, reset), rule).verdict).toBe('fail');
    expect(httpVerdict(answer(429, reset), rule)).toMatchObject({ verdict: 'retry-after' });
  });

  it('judges no answer as a network failure', () => {
    expect(httpVerdict({ ok: false, error: new Error('socket hang up') })).toEqual({
      verdict: 'retry',
      reason: 'socket hang up',
    });
  });
});
