import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '@bwdc/core';
import { LdapError } from './errors';
import { resolveSettings, searchPath } from './settings';

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
    expect(s).toMatchObject({
      userObjectClass: 'inetOrgPerson',
      groupObjectClass: 'groupOfNames',
      userEmailAttribute: 'mail',
      groupNameAttribute: 'cn',
      memberAttribute: 'member',
      revisionDateAttribute: 'modifyTimestamp',
      userBase: 'DC=example,DC=com',
    });
    expect(
      resolveSettings(ldap({ ad: false }), sync({ memberAttribute: 'uniqueMember' }))
        .memberAttribute,
    ).toBe('uniqueMember');
  });

  it('uses the values an admin set on AD too, such as userPrincipalName for the email', () => {
    const s = resolveSettings(
      ldap({ ad: true }),
      sync({ userEmailAttribute: 'userPrincipalName', userPath: 'OU=Staff' }),
    );
    expect(s).toMatchObject({
      userEmailAttribute: 'userPrincipalName',
      userObjectClass: 'person',
      userBase: 'OU=Staff,DC=example,DC=com',
      groupBase: 'CN=Users,DC=example,DC=com',
    });
  });

  it('searches the whole domain on AD when the path is empty, as the official app saves it', () => {
    expect(resolveSettings(ldap({ ad: true }), sync({ userPath: '' })).userBase).toBe(
      'DC=example,DC=com',
    );
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

  it('uses a path that already ends with the root as it is, whatever its case and spacing', () => {
    expect(searchPath('OU=Staff, DC=Example,DC=com', 'dc=example,dc=com')).toBe(
      'OU=Staff, DC=Example,DC=com',
    );
    expect(searchPath('DC=example,DC=com', 'dc=example,dc=com')).toBe('DC=example,DC=com');
    // Only a whole RDN counts: "xdc=example" is not the root.
    expect(searchPath('ou=a,xdc=example,dc=com', 'dc=example,dc=com')).toBe(
      'ou=a,xdc=example,dc=com,dc=example,dc=com',
    );
  });
});

describe('filters', () => {
  const filters = (userFilter?: string, groupFilter?: string) => {
    const s = resolveSettings(ldap({}), sync({ userFilter, groupFilter }));
    return [s.userFilter, s.groupFilter];
  };

  it("passes the official help pages' LDAP filters whole", () => {
    for (const filter of [
      '(memberOf=CN=Bitwarden,OU=Groups,DC=corp,DC=example)',
      '(&(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))',
      '(|(memberOf=cn=a,dc=x)(memberOf=cn=b,dc=x))',
      '(&(objectCategory=Person)(sAMAccountName=*)(memberOf:1.2.840.113556.1.4.1941:=cn=Heroes,ou=users,dc=company,dc=com))',
      '(|(ou:dn:=Miami)(ou:dn:=Orlando))',
    ]) {
      expect(filters(filter, filter)).toEqual([filter, filter]);
    }
  });

  it('takes the LDAP part after an include/exclude list, and parenthesizes a bare filter', () => {
    expect(filters('include:A@x.com|(uid=a*)', 'exclude:sales')).toEqual(['(uid=a*)', undefined]);
    expect(filters('mail=*', 'include:a|cn=a')).toEqual(['(mail=*)', '(cn=a)']);
  });

  it('refuses a filter the server would misread, naming the setting and what to write', () => {
    expect(() => filters('inclde:a@x.com')).toThrow(
      /sync\.userFilter: "inclde:a@x\.com" is not a valid LDAP filter: .*start with include: or exclude:/,
    );
    expect(() => filters(undefined, '(cn=a')).toThrow('sync.groupFilter');
  });
});
