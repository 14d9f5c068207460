import { DIRECTORY_SECTIONS } from '@bwdc/core';
import { legacyPartOf, scopedSecretKey } from './keys';

describe('secret keys', () => {
  it('scopes a secret to its configuration id as <storeKey>:<id>', () => {
    const ldap = DIRECTORY_SECTIONS.ldap.secret!.storeKey;
    expect(scopedSecretKey(ldap, '0f8e2a51')).toBe('secretLdap:0f8e2a51');
    expect(scopedSecretKey(ldap)).toBe('secretLdap');
    expect(scopedSecretKey(ldap, '')).toBe('secretLdap');
    expect(legacyPartOf('secretLdap:0f8e2a51')).toBe('secretLdap');
    expect(legacyPartOf('accessToken')).toBe('accessToken');
  });
});
