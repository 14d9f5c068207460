import { describe, expect, it } from '@jest/globals';
import { CancelledError } from '@bwdc/core';
import { OktaError, toOktaError } from './errors';

describe('toOktaError', () => {
  const org = 'https://example.okta.com';
  it('maps statuses and network failures to codes that say what to do', () => {
    expect(
      toOktaError({ status: 401, errorSummary: 'Invalid token provided' }, org, 'Reading users'),
    ).toMatchObject({
      code: 'DIRECTORY_AUTH_FAILED',
    });
    expect(toOktaError({ status: 403, errorSummary: 'no' }, org, 'Reading users')).toMatchObject({
      code: 'DIRECTORY_AUTH_FAILED',
    });
    const filter = toOktaError(
      { status: 400, errorSummary: 'Invalid search criteria' },
      org,
      'Reading users',
      'sync.userFilter',
    );
    expect(filter.message).toContain('sync.userFilter');
    expect(
      toOktaError(
        { name: 'FetchError', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
        org,
        'x',
      ),
    ).toMatchObject({
      code: 'DIRECTORY_UNREACHABLE',
    });
    expect(toOktaError({ name: 'AbortError' }, org, 'x')).toBeInstanceOf(CancelledError);
    const same = new OktaError('DIRECTORY_READ_FAILED', org, 'x');
    expect(toOktaError(same, org, 'y')).toBe(same);
  });
});
