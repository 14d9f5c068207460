import { windowsCredentialEncoding } from './05-windows-credential-encoding';

describe('05-windows-credential-encoding (5 → 6)', () => {
  it('changes only the version: the re-encoding happens in the Windows credential store', () => {
    const input = { stateVersion: 5, sync: { users: true }, directoryType: 0 };
    expect(windowsCredentialEncoding.apply(input)).toEqual({ ...input, stateVersion: 6 });
    expect(input.stateVersion).toBe(5);
  });
});
