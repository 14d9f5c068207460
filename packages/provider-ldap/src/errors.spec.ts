import { describe, expect, it } from '@jest/globals';
import {
  TimeLimitExceededError,
  InvalidCredentialsError,
  SizeLimitExceededError,
  NoSuchObjectError,
  StrongAuthRequiredError,
} from 'ldapts';
import { LdapError, toLdapError } from './errors';

const url = 'ldaps://dc1.example.com:636';
const search = {
  url,
  operation: 'search' as const,
  base: 'ou=people,dc=example,dc=com',
  filter: '(objectClass=person)',
  timeLimit: 30,
};

describe('toLdapError', () => {
  it('maps LDAP result codes to reasons with actionable messages', () => {
    const cases: [unknown, string, string, string][] = [
      [new InvalidCredentialsError(), 'bind-rejected', 'DIRECTORY_AUTH_FAILED', 'ldap.password'],
      [new StrongAuthRequiredError(), 'encryption-required', 'DIRECTORY_AUTH_FAILED', 'ldap.ssl'],
      [
        new TimeLimitExceededError(),
        'time-limit',
        'DIRECTORY_READ_FAILED',
        'ldap.timeLimit = 30 s',
      ],
      [new SizeLimitExceededError(), 'size-limit', 'DIRECTORY_READ_FAILED', 'ldap.pagedSearch'],
      [
        new NoSuchObjectError(),
        'no-such-base',
        'DIRECTORY_READ_FAILED',
        'ou=people,dc=example,dc=com',
      ],
    ];
    for (const [error, reason, code, text] of cases) {
      const mapped = toLdapError(error, {
        ...search,
        operation:
          reason === 'bind-rejected' || reason === 'encryption-required' ? 'bind' : 'search',
        username: 'cn=svc',
      });
      expect(mapped).toBeInstanceOf(LdapError);
      expect([mapped.reason, mapped.code]).toEqual([reason, code]);
      expect(mapped.message).toContain(url);
      expect(mapped.message).toContain(text);
      expect(mapped.cause).toBe(error);
    }
  });

  it('maps socket and TLS failures', () => {
    const sys = (code: string, message = code): Error =>
      Object.assign(new Error(message), { code });
    expect(toLdapError(sys('ECONNREFUSED'), { url, operation: 'connect' })).toMatchObject({
      reason: 'unreachable',
      code: 'DIRECTORY_UNREACHABLE',
    });
    expect(toLdapError(sys('ECONNREFUSED'), { url, operation: 'connect' }).message).toContain(
      'dc1.example.com:636',
    );
    expect(toLdapError(sys('ENOTFOUND'), { url, operation: 'connect' }).message).toContain(
      'does not resolve',
    );
    expect(
      toLdapError(sys('SELF_SIGNED_CERT_IN_CHAIN'), { url, operation: 'connect' }),
    ).toMatchObject({ reason: 'tls' });
    expect(toLdapError(sys('CERT_HAS_EXPIRED'), { url, operation: 'connect' }).message).toContain(
      'not valid now',
    );
    expect(
      toLdapError(sys('ERR_SSL_WRONG_VERSION_NUMBER'), { url, operation: 'connect' }).message,
    ).toContain('ldap.port');
    expect(toLdapError(new Error('SearchRequest: Operation timed out'), search)).toMatchObject({
      reason: 'time-limit',
    });
    expect(
      toLdapError(new Error('Connection timeout'), { url, operation: 'connect' }),
    ).toMatchObject({ reason: 'unreachable' });
  });

  it('passes an LdapError through unchanged', () => {
    const error = LdapError.notConfigured(url, 'x');
    expect(toLdapError(error, search)).toBe(error);
  });
});
