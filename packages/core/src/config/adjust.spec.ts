import { ldapSyncDefaults, withLdapSyncDefaults } from './adjust';
import { parseConfig } from './validate';

const ad = parseConfig('ldap', { ad: true });
const openLdap = parseConfig('ldap', { ad: false });

describe('withLdapSyncDefaults', () => {
  it('fills what is unset with the Active Directory defaults, CN=Users paths included', () => {
    expect(withLdapSyncDefaults(ad, parseConfig('sync', {}))).toMatchObject({
      userObjectClass: 'person',
      groupObjectClass: 'group',
      userEmailAttribute: 'mail',
      groupNameAttribute: 'name',
      memberAttribute: 'member',
      emailPrefixAttribute: 'sAMAccountName',
      revisionDateAttribute: 'whenChanged',
      creationDateAttribute: 'whenCreated',
      userPath: 'CN=Users',
      groupPath: 'CN=Users',
    });
  });

  it('fills what is unset with the other-LDAP defaults, and no path', () => {
    const sync = withLdapSyncDefaults(openLdap, parseConfig('sync', {}));
    expect(sync).toMatchObject({
      userObjectClass: 'inetOrgPerson',
      groupObjectClass: 'groupOfNames',
      userEmailAttribute: 'mail',
      groupNameAttribute: 'cn',
      memberAttribute: 'member',
      revisionDateAttribute: 'modifyTimestamp',
    });
    expect(sync.emailPrefixAttribute).toBeUndefined();
    expect(sync.userPath).toBeUndefined();
    expect(sync.groupPath).toBeUndefined();
  });

  it('uses every value the admin set as it is, on AD too (the userPrincipalName hand edit)', () => {
    const explicit = {
      userObjectClass: 'user',
      groupObjectClass: 'groupOfUniqueNames',
      userEmailAttribute: 'userPrincipalName',
      groupNameAttribute: 'displayName',
      memberAttribute: 'uniqueMember',
      emailPrefixAttribute: 'uid',
      revisionDateAttribute: 'modifyTimestamp',
      userPath: 'OU=Staff',
      groupPath: 'OU=Groups',
    };
    for (const ldap of [ad, openLdap]) {
      expect(withLdapSyncDefaults(ldap, parseConfig('sync', explicit))).toMatchObject(explicit);
    }
  });

  it('keeps an empty path (a cleared field in the official app) as the root path, not CN=Users', () => {
    const sync = withLdapSyncDefaults(ad, parseConfig('sync', { userPath: '', groupPath: null }));
    expect(sync.userPath).toBe('');
    expect(sync.groupPath).toBe('CN=Users');
  });

  it('treats blank classes and attributes as unset', () => {
    const sync = withLdapSyncDefaults(openLdap, parseConfig('sync', { userObjectClass: '  ' }));
    expect(sync.userObjectClass).toBe('inetOrgPerson');
  });

  it('does not change its input', () => {
    const input = parseConfig('sync', {});
    withLdapSyncDefaults(ad, input);
    expect(input.userObjectClass).toBeUndefined();
  });
});

describe('ldapSyncDefaults', () => {
  it('differs by directory kind where the schemas differ', () => {
    expect(ldapSyncDefaults(true).groupNameAttribute).toBe('name');
    expect(ldapSyncDefaults(false).groupNameAttribute).toBe('cn');
  });
});
