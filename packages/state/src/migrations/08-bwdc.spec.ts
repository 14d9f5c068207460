import { bwdcFirstVersion } from './08-bwdc';

describe('08-bwdc (official 8 → bwdc 9)', () => {
  it('keeps removeMissingUsers off for a folder migrated from the official connector', () => {
    expect(bwdcFirstVersion.apply({ stateVersion: 8, sync: { users: true } })).toMatchObject({
      stateVersion: 9,
      writtenBy: 'bwdc',
      sync: { users: true, removeMissingUsers: false },
    });
    expect(bwdcFirstVersion.apply({ stateVersion: 8 }).sync).toEqual({ removeMissingUsers: false });
  });

  it('keeps an explicit removeMissingUsers', () => {
    expect(
      bwdcFirstVersion.apply({ stateVersion: 8, sync: { removeMissingUsers: true } }).sync,
    ).toEqual({
      removeMissingUsers: true,
    });
  });

  it('moves plaintext secrets out of directory configurations, scoped by the configuration id', () => {
    const out = bwdcFirstVersion.apply({
      stateVersion: 8,
      directoryLdap: { id: 'c1', hostname: 'dc1', password: 'ldap-pw' },
      directoryOkta: { orgUrl: 'https://x.okta.com', token: 'okta-token' },
      directoryEntra: { id: 'c2', key: '[STORED SECURELY]' },
    });
    expect(out).toMatchObject({
      'secretLdap:c1': 'ldap-pw',
      secretOkta: 'okta-token',
      directoryLdap: { id: 'c1', hostname: 'dc1', password: '[STORED SECURELY]' },
      directoryOkta: { orgUrl: 'https://x.okta.com', token: '[STORED SECURELY]' },
      directoryEntra: { id: 'c2', key: '[STORED SECURELY]' },
    });
    expect(out['secretEntra:c2']).toBeUndefined();
  });

  it("drops upstream's delta tokens, which our providers cannot continue from", () => {
    const out = bwdcFirstVersion.apply({
      stateVersion: 8,
      userDeltaToken: 'u',
      groupDeltaToken: 'g',
      lastSyncHash: 'h',
    });
    expect(out).not.toHaveProperty('userDeltaToken');
    expect(out).not.toHaveProperty('groupDeltaToken');
    expect(out.lastSyncHash).toBe('h');
  });
});
