import { describe, expect, it } from '@jest/globals';
import {
  escapeFilterValue,
  guidToString,
  isDnLike,
  normalizeDn,
  parseGeneralizedTime,
  toGeneralizedTime,
} from './values';

describe('escapeFilterValue', () => {
  it('escapes the RFC 4515 specials', () => {
    expect(escapeFilterValue('a*b(c)d\\e\0')).toBe('a\\2ab\\28c\\29d\\5ce\\00');
    expect(escapeFilterValue('inetOrgPerson')).toBe('inetOrgPerson');
  });
});

describe('guidToString', () => {
  it("matches the official connector's byte order", () => {
    // The GUID {00112233-4455-6677-8899-aabbccddeeff} as AD sends it: first three fields little-endian.
    const wire = Buffer.from('33221100554477668899aabbccddeeff', 'hex');
    expect(guidToString(wire)).toBe('00112233-4455-6677-8899-aabbccddeeff');
  });
  it('rejects values that are not 16 bytes', () => {
    expect(() => guidToString(Buffer.alloc(3))).toThrow('16 bytes');
  });
});

describe('generalized time', () => {
  const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
  it('formats whole seconds, with a fraction for AD', () => {
    expect(toGeneralizedTime(date, false)).toBe('20240102030405Z');
    expect(toGeneralizedTime(date, true)).toBe('20240102030405.0Z');
  });
  it('parses both forms and rejects others', () => {
    expect(parseGeneralizedTime('20240102030405Z')?.toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(parseGeneralizedTime('20240102030405.5Z')?.toISOString()).toBe(
      '2024-01-02T03:04:05.500Z',
    );
    expect(parseGeneralizedTime('2024-01-02')).toBeUndefined();
  });
});

describe('normalizeDn', () => {
  it('ignores case and optional spaces, keeping escapes', () => {
    expect(normalizeDn('CN=Alice Smith, OU=People ,DC=Example,DC=com')).toBe(
      'cn=alice smith,ou=people,dc=example,dc=com',
    );
    expect(normalizeDn('cn=a\\, b,dc=x')).toBe('cn=a\\, b,dc=x');
    expect(normalizeDn('uid=bob,ou=people')).toBe('uid=bob,ou=people');
  });
  it('tells DNs from memberUid values', () => {
    expect(isDnLike('uid=bob,ou=people,dc=x')).toBe(true);
    expect(isDnLike('cn=admins')).toBe(true);
    expect(isDnLike('bob')).toBe(false);
  });
});
