import { describe, expect, it } from '@jest/globals';
import { describeNetworkError } from './network';

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
