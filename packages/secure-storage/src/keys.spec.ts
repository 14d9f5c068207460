import { SECRET_KEYS, legacyPartOf, scopedSecretKey } from './keys';

describe('secret keys', () => {
  it("uses the official connector's account names", () => {
    expect(SECRET_KEYS).toEqual({
      apiKeyClientId: 'apiKeyClientId',
      apiKeyClientSecret: 'apiKeyClientSecret',
      accessToken: 'accessToken',
      refreshToken: 'refreshToken',
      ldap: 'secretLdap',
      gsuite: 'secretGsuite',
      entra: 'secretEntra',
      okta: 'secretOkta',
      onelogin: 'secretOneLogin',
    });
  });

  it('scopes a secret to its configuration id as <legacyKey>:<id>', () => {
    expect(scopedSecretKey(SECRET_KEYS.ldap, '0f8e2a51')).toBe('secretLdap:0f8e2a51');
    expect(scopedSecretKey(SECRET_KEYS.ldap)).toBe('secretLdap');
    expect(scopedSecretKey(SECRET_KEYS.ldap, '')).toBe('secretLdap');
    expect(legacyPartOf('secretLdap:0f8e2a51')).toBe('secretLdap');
    expect(legacyPartOf('accessToken')).toBe('accessToken');
  });
});
