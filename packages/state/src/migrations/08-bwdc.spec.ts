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

  // Where the official connector reads them: it must still run from a folder bwdc has written.
  it('leaves plaintext secrets in their sections, and the delta tokens and sync hash as they are', () => {
    const before = {
      stateVersion: 8,
      directoryLdap: { id: 'c1', hostname: 'dc1', password: 'ldap-pw' },
      directoryOkta: { orgUrl: 'https://x.okta.com', token: 'okta-token' },
      directoryEntra: { id: 'c2', key: '[STORED SECURELY]' },
      userDeltaToken: 'u',
      groupDeltaToken: 'g',
      lastSyncHash: 'h',
    };
    const { stateVersion: _v, sync: _s, writtenBy: _w, ...rest } = bwdcFirstVersion.apply(before);
    const { stateVersion: _v8, ...unchanged } = before;
    expect(rest).toEqual(unchanged);
  });
});
