import { windowsSecretCatchUp } from './06-windows-secret-catch-up';

describe('06-windows-secret-catch-up (6 → 7)', () => {
  it('changes only the version: the catch-up copy happens in the Windows credential store', () => {
    const input = { stateVersion: 6, directoryLdap: { hostname: 'dc1' } };
    expect(windowsSecretCatchUp.apply(input)).toEqual({ ...input, stateVersion: 7 });
  });
});
