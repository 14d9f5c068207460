import { inviteFlag } from './07-invite-flag';

describe('07-invite-flag (7 → 8)', () => {
  it('backfills inviteUsersAfterProvisioning=true into an existing sync configuration', () => {
    expect(inviteFlag.apply({ stateVersion: 7, sync: { users: true } })).toEqual({
      stateVersion: 8,
      sync: { users: true, inviteUsersAfterProvisioning: true },
    });
  });

  it('keeps an explicit value', () => {
    const out = inviteFlag.apply({
      stateVersion: 7,
      sync: { inviteUsersAfterProvisioning: false },
    });
    expect(out.sync).toEqual({ inviteUsersAfterProvisioning: false });
  });

  it('creates no sync configuration', () => {
    expect(inviteFlag.apply({ stateVersion: 7 })).toEqual({ stateVersion: 8 });
  });
});
