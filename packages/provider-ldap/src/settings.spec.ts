import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '@bwdc/core';
import { LdapError } from './errors';
import {
  ldapFilterProblem,
  NON_AD_DEFAULTS,
  parseDirectoryFilter,
  resolveSettings,
  searchPath,
} from './settings';

const ldap = (raw: Record<string, unknown>) =>
  parseConfig('ldap', {
    hostname: 'dc1.example.com',
    username: 'u',
    password: 'p',
    rootPath: 'DC=example,DC=com',
    ...raw,
  });
const sync = (raw: Record<string, unknown> = {}) => parseConfig('sync', raw);

describe('resolveSettings', () => {
  it('builds ldaps, StartTLS and plain URLs like the official connector', () => {
    expect(resolveSettings(ldap({ ssl: true, port: 636 }), sync())).toMatchObject({
      url: 'ldaps://dc1.example.com:636',
      secure: true,
      startTls: false,
    });
    expect(resolveSettings(ldap({ ssl: true, startTls: true }), sync())).toMatchObject({
      url: 'ldap://dc1.example.com:389',
      secure: false,
      startTls: true,
    });
    expect(resolveSettings(ldap({ startTls: true }), sync())).toMatchObject({ startTls: false });
  });

  it('applies the AD defaults when ldap.ad is on', () => {
    const s = resolveSettings(ldap({ ad: true }), sync());
    expect(s).toMatchObject({
      userObjectClass: 'person',
      groupObjectClass: 'group',
      memberAttribute: 'member',
      groupNameAttribute: 'name',
      revisionDateAttribute: 'whenChanged',
      userBase: 'CN=Users,DC=example,DC=com',
      groupBase: 'CN=Users,DC=example,DC=com',
    });
  });

  it('uses the documented defaults off AD, and the configured values over them', () => {
    const s = resolveSettings(ldap({ ad: false }), sync());
    expect(s).toMatchObject({ ...NON_AD_DEFAULTS, userBase: 'DC=example,DC=com' });
    expect(
      resolveSettings(ldap({ ad: false }), sync({ memberAttribute: 'uniqueMember' }))
        .memberAttribute,
    ).toBe('uniqueMember');
  });

  it('uses the StartTLS CA from tlsCaPath and the ldaps CA from sslCaPath', () => {
    expect(resolveSettings(ldap({ ssl: true, sslCaPath: '/a' }), sync()).tls.caPath).toBe('/a');
    expect(
      resolveSettings(ldap({ ssl: true, startTls: true, tlsCaPath: '/b', sslCaPath: '/a' }), sync())
        .tls,
    ).toMatchObject({ caPath: '/b', caSetting: 'ldap.tlsCaPath' });
  });

  it('names the missing setting', () => {
    expect(() => resolveSettings(ldap({ hostname: '' }), sync())).toThrow(LdapError);
    expect(() => resolveSettings(ldap({ hostname: '' }), sync())).toThrow('ldap.hostname');
    expect(() => resolveSettings(ldap({ password: null }), sync())).toThrow('ldap.password');
    expect(() => resolveSettings(ldap({ rootPath: '', ad: false }), sync())).toThrow(
      'ldap.rootPath',
    );
    expect(() => resolveSettings(ldap({ ad: false }), sync({ userFilter: '(uid=a' }))).toThrow(
      'sync.userFilter',
    );
  });
});

describe('searchPath', () => {
  it("follows upstream's rule: the prefix, then rootPath from its first dc=", () => {
    expect(searchPath('ou=people', 'dc=example,dc=com')).toBe('ou=people,dc=example,dc=com');
    expect(searchPath(undefined, 'dc=example,dc=com')).toBe('dc=example,dc=com');
    expect(searchPath('ou=people', undefined)).toBe('ou=people');
    expect(
      resolveSettings(
        ldap({ ad: false, rootPath: 'ou=corp,DC=example,DC=com' }),
        sync({ userPath: 'ou=people' }),
      ).userBase,
    ).toBe('ou=people,DC=example,DC=com');
    expect(resolveSettings(ldap({ ad: false, rootPath: 'o=company' }), sync()).userBase).toBe(
      'o=company',
    );
  });
});

describe('parseDirectoryFilter', () => {
  it('keeps a parenthesized filter whole, as upstream', () => {
    expect(parseDirectoryFilter('(|(a=1)(b=2))')).toEqual({
      clause: undefined,
      ldap: '(|(a=1)(b=2))',
    });
  });
  it('reads the shared include/exclude language with an optional LDAP part', () => {
    expect(parseDirectoryFilter('include:A@x.com|(uid=a*)')).toEqual({
      clause: { keyword: 'include', values: ['a@x.com'] },
      ldap: '(uid=a*)',
    });
    expect(parseDirectoryFilter('exclude:b')).toEqual({
      clause: { keyword: 'exclude', values: ['b'] },
      ldap: undefined,
    });
    expect(parseDirectoryFilter('include:a|uid=a')).toMatchObject({ ldap: '(uid=a)' });
    expect(parseDirectoryFilter(undefined)).toEqual({ clause: undefined, ldap: undefined });
  });
  it('finds structural mistakes ldapts would let through', () => {
    expect(ldapFilterProblem('(&(a=1)(b=2))')).toBeUndefined();
    expect(ldapFilterProblem('(a=\\29)')).toBeUndefined();
    expect(ldapFilterProblem('(a=1')).toContain('unclosed');
    expect(ldapFilterProblem('(a=1))')).toContain('after the closing');
    expect(ldapFilterProblem(')(a=1)')).toContain('unmatched');
    expect(ldapFilterProblem('(a=1)(b=2)')).toContain('after the closing');
    expect(ldapFilterProblem('(&())')).toContain('empty');
  });
});
