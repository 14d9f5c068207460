import { accountToFlat } from './03-account-to-flat';
import { PENDING_SECRET_COPIES } from './types';

const clientId = 'organization.abc';
const v3 = {
  activeUserId: clientId,
  appId: 'app-id',
  global: {
    stateVersion: 3,
    enableTray: true,
    window: { width: 1 },
    environmentUrls: { base: 'https://vault.example.com' },
  },
  [clientId]: {
    profile: { apiKeyClientId: clientId },
    keys: { apiKeyClientSecret: 'client-secret' },
    tokens: { accessToken: 'access-token' },
    directoryConfigurations: {
      ldap: { hostname: 'dc1', password: '[STORED SECURELY]' },
      azure: { tenant: 't' },
      oneLogin: { clientId: 'ol' },
    },
    directorySettings: {
      organizationId: 'abc',
      directoryType: 1,
      sync: { users: true },
      lastUserSync: '2025-01-01T00:00:00.000Z',
      userDelta: 'u-delta',
      groupDelta: 'g-delta',
      syncingDir: false,
    },
  },
};

describe('03-account-to-flat (state 3 and 4 → 5)', () => {
  it('flattens the account and global objects into upstream version 5 keys', () => {
    const out = accountToFlat.apply(v3);
    expect(out).toMatchObject({
      stateVersion: 5,
      appId: 'app-id',
      directoryLdap: { hostname: 'dc1', password: '[STORED SECURELY]' },
      directoryEntra: { tenant: 't' },
      directoryOnelogin: { clientId: 'ol' },
      organizationId: 'abc',
      directoryType: 1,
      sync: { users: true },
      lastUserSync: '2025-01-01T00:00:00.000Z',
      userDeltaToken: 'u-delta',
      groupDeltaToken: 'g-delta',
      syncingDir: false,
      enableTray: true,
      window: { width: 1 },
      environmentUrls: { base: 'https://vault.example.com' },
    });
  });

  it('moves secrets out of the account object and drops the object', () => {
    const out = accountToFlat.apply(v3);
    expect(out).toMatchObject({
      apiKeyClientId: clientId,
      apiKeyClientSecret: 'client-secret',
      accessToken: 'access-token',
    });
    expect(out[clientId]).toBeUndefined();
    expect(out.activeUserId).toBeUndefined();
    expect(out.global).toBeUndefined();
  });

  it('records the keychain renames of {clientId}_* entries for the keychain holder', () => {
    const copies = accountToFlat.apply(v3)[PENDING_SECRET_COPIES] as Array<{
      from: string;
      to: string;
    }>;
    expect(copies).toContainEqual({ from: `${clientId}_ldapPassword`, to: 'secretLdap' });
    expect(copies).toContainEqual({ from: `${clientId}_entraIdKey`, to: 'secretEntra' });
    expect(copies).toContainEqual({
      from: `${clientId}_oneLoginClientSecret`,
      to: 'secretOneLogin',
    });
  });

  it('moves {clientId}_* secrets kept in data.json itself (plaintext mode) to their new keys', () => {
    const out = accountToFlat.apply({
      ...v3,
      [`${clientId}_ldapPassword`]: 'plain-pw',
      [`${clientId}_oktaToken`]: 'plain-token',
    });
    expect(out).toMatchObject({ secretLdap: 'plain-pw', secretOkta: 'plain-token' });
    expect(out[`${clientId}_ldapPassword`]).toBeUndefined();
    expect(out[`${clientId}_oktaToken`]).toBeUndefined();
    const copies = out[PENDING_SECRET_COPIES] as Array<{ from: string; to: string }>;
    expect(copies.map((c) => c.to)).not.toContain('secretLdap');
  });

  it('prefers an entra configuration over the legacy azure one, and leaves its input alone', () => {
    const input = {
      ...v3,
      [clientId]: {
        directoryConfigurations: { entra: { tenant: 'new' }, azure: { tenant: 'old' } },
      },
    };
    const before = JSON.stringify(input);
    expect(accountToFlat.apply(input).directoryEntra).toEqual({ tenant: 'new' });
    expect(JSON.stringify(input)).toBe(before);
  });

  it('only stamps version 5 when there is no account', () => {
    expect(accountToFlat.apply({ global: { stateVersion: 4 } })).toEqual({ stateVersion: 5 });
  });
});
