import type { Migration } from './types';

/**
 * Version 7 re-copied directory secrets on Windows machines where the 3→5 copy had failed. Again
 * keychain-only; the document only changes version.
 */
export const windowsSecretCatchUp: Migration = {
  from: [6],
  to: 7,
  name: '06-windows-secret-catch-up',
  apply: (document) => ({ ...document, stateVersion: 7 }),
};
