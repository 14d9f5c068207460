import { describe, expect, it } from '@jest/globals';
import { DirectoryError } from '../errors';
import { describeNetworkError, networkVerdict } from './network';

describe('describeNetworkError', () => {
  it("adds fetch's hidden cause to its message", () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
        code: 'ECONNREFUSED',
      }),
    });
    expect(describeNetworkError(error)).toEqual({
      code: 'ECONNREFUSED',
      detail: 'fetch failed (ECONNREFUSED)',
      untrustedCertificate: false,
    });
  });

  it('tells an untrusted certificate from an outage', () => {
    const error = Object.assign(new Error('self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    expect(describeNetworkError(error).untrustedCertificate).toBe(true);
    expect(describeNetworkError(new Error('socket hang up'))).toEqual({
      code: undefined,
      detail: 'socket hang up',
      untrustedCertificate: false,
    });
  });
});

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
});
