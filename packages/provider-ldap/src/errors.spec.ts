import { describe, expect, it } from '@jest/globals';
import {
  TimeLimitExceededError,
  InvalidCredentialsError,
  InvalidDNSyntaxError,
  ProtocolError,
  UnwillingToPerformError,
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

  it('says search paths are relative to the root path when a base does not exist', () => {
    const mapped = toLdapError(new NoSuchObjectError(), {
      ...search,
      base: 'ou=people,dc=example,dc=org,dc=example,dc=com',
    });
    expect(mapped.message).toBe(
      `${url}: the search base "ou=people,dc=example,dc=org,dc=example,dc=com" does not exist. ` +
        'sync.userPath and sync.groupPath are relative to ldap.rootPath: bwdc searches <path>,<root DN> ' +
        '(a path that already ends with the root DN is used as it is). ' +
        'Check ldap.rootPath, sync.userPath and sync.groupPath, e.g. bwdc config sync.userPath ou=people.',
    );
  });

  it('turns raw results into what to change: a DN that is none, StartTLS the server lacks', () => {
    const invalidDn = new InvalidDNSyntaxError('invalid DN');
    const bind = toLdapError(invalidDn, { url, operation: 'bind', username: 'reader' });
    expect(bind).toMatchObject({ code: 'DIRECTORY_AUTH_FAILED', reason: 'bind-rejected' });
    expect(bind.message).toContain('ldap.username "reader" is not a DN');
    expect(bind.message).toContain('bwdc config ldap.username cn=reader,dc=example,dc=com');
    const base = toLdapError(invalidDn, { ...search, base: 'example.com' });
    expect(base.message).toContain('the search base "example.com" is not a DN');
    expect(base.message).toContain('bwdc config ldap.rootPath dc=example,dc=com');
    for (const m of [bind.message, base.message]) {
      expect(m).not.toMatch(/LDAP result|Code: 0x/);
    }

    const starttls = toLdapError(new ProtocolError('unsupported extended operation'), {
      url: 'ldap://dc1.example.com:389',
      operation: 'starttls',
    });
    expect(starttls).toMatchObject({ code: 'DIRECTORY_UNREACHABLE', reason: 'tls' });
    expect(starttls.message).toBe(
      'ldap://dc1.example.com:389: the server does not offer StartTLS (unsupported extended operation): it has no TLS set up on port 389. ' +
        'Set up TLS on the server, use ldaps instead (bwdc config ldap.startTls false, and the ldaps port, usually 636), ' +
        'or turn encryption off (bwdc config ldap.ssl false; the password then crosses the network in clear).',
    );

    // Any other result is named in words, without ldapts' hex suffix.
    expect(
      toLdapError(new UnwillingToPerformError('no global superior knowledge'), search).message,
    ).toBe(
      `${url}: search failed: the server answered LDAP result 53 (search base "ou=people,dc=example,dc=com", filter (objectClass=person)): no global superior knowledge`,
    );
  });

  it('says ldaps met a plain port when the server resets the TLS start', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const mapped = toLdapError(reset, { url: 'ldaps://dc1.example.com:389', operation: 'bind' });
    expect(mapped).toMatchObject({ reason: 'tls', code: 'DIRECTORY_UNREACHABLE' });
    expect(mapped.message).toContain('port 389 probably speaks plain LDAP, not ldaps');
    expect(mapped.message).toContain('bwdc config ldap.port 636');
    // Plain ldap:// keeps the old words.
    expect(toLdapError(reset, { url: 'ldap://dc1:389', operation: 'search' }).message).toContain(
      'the server reset the connection',
    );
  });

  it('says why a TLS file cannot be read in the words config uses', () => {
    const missing = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    expect(
      toLdapError(missing, {
        url,
        operation: 'read-file',
        setting: 'ldap.sslCaPath',
        path: '/etc/ca.pem',
      }).message,
    ).toBe(
      `${url}: ldap.sslCaPath: cannot read /etc/ca.pem: there is no such file. Give the full path of the file: bwdc config ldap.sslCaPath <path>`,
    );
  });

  it('passes an LdapError through unchanged', () => {
    const error = LdapError.notConfigured(url, 'x');
    expect(toLdapError(error, search)).toBe(error);
  });
});
