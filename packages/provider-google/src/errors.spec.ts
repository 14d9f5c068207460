import { describe, expect, it } from '@jest/globals';
import { describeHttpFailure, isRetryable } from './errors';

describe('describeHttpFailure', () => {
  it('reads status, reason and Retry-After from a gaxios-shaped error', () => {
    const failure = describeHttpFailure({
      message: 'x',
      response: {
        status: 403,
        headers: new Headers({ 'retry-after': '2' }),
        data: {
          error: {
            code: 403,
            message: 'User Rate Limit Exceeded',
            errors: [{ reason: 'userRateLimitExceeded' }],
          },
        },
      },
    });
    expect(failure).toEqual({
      status: 403,
      reason: 'userRateLimitExceeded',
      message: 'User Rate Limit Exceeded',
      retryAfterMs: 2000,
      networkCode: undefined,
    });
    expect(isRetryable(failure)).toBe(true);
  });

  it('falls back to the AIP-193 status and to OAuth error bodies', () => {
    expect(
      describeHttpFailure({
        response: { status: 403, data: { error: { message: 'm', status: 'PERMISSION_DENIED' } } },
      }).reason,
    ).toBe('PERMISSION_DENIED');
    expect(
      describeHttpFailure({
        response: { status: 401, data: { error: 'unauthorized_client', error_description: 'd' } },
      }),
    ).toMatchObject({
      reason: 'unauthorized_client',
      message: 'd',
    });
  });

  it('reads the network code of a failed fetch', () => {
    const error = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(describeHttpFailure(error)).toMatchObject({
      status: undefined,
      networkCode: 'ECONNREFUSED',
    });
    expect(isRetryable(describeHttpFailure(error))).toBe(true);
  });
});

describe('isRetryable', () => {
  const f = (status: number, reason?: string) => ({
    status,
    reason,
    message: '',
    retryAfterMs: undefined,
    networkCode: undefined,
  });
  it('retries quota errors, 429 and 5xx, nothing else', () => {
    expect(
      ['userRateLimitExceeded', 'quotaExceeded', 'rateLimitExceeded'].map((r) =>
        isRetryable(f(403, r)),
      ),
    ).toEqual([true, true, true]);
    expect([429, 500, 502, 503, 504].map((s) => isRetryable(f(s)))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([
      isRetryable(f(403, 'forbidden')),
      isRetryable(f(400, 'badRequest')),
      isRetryable(f(404, 'notFound')),
    ]).toEqual([false, false, false]);
  });
});
