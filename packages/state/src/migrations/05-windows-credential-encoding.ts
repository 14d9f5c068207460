import type { Migration } from './types';

/**
 * Version 6 re-encoded Windows Credential Manager entries from UTF-8 to UTF-16. That lives in the
 * keychain, not in data.json, and is a no-op on Linux and macOS: the document only changes version.
 */
export const windowsCredentialEncoding: Migration = {
  from: [5],
  to: 6,
  name: '05-windows-credential-encoding',
  apply: (document) => ({ ...document, stateVersion: 6 }),
};
