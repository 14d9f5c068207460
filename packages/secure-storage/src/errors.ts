import { BwdcError } from '@bwdc/core';

/** Why a secret could not be read or written; each has its own advice. */
export type SecretStoreProblem =
  | 'no-dbus-session'
  | 'no-secret-service'
  | 'keyring-locked'
  | 'libsecret-missing'
  | 'keychain-module-missing'
  | 'keychain-off'
  | 'secret-file-unreadable'
  | 'plaintext-file-failed'
  | 'unknown';

const ALTERNATIVES = [
  'Or set BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true to keep secrets in data.json (file mode 0600), ' +
    'then set the secret again, off the command line: bwdc config ldap.password --secretenv LDAP_PWD.',
  'Or give secrets read-only through the environment or files: BW_CLIENTID and BW_CLIENTSECRET for the API key, ' +
    'BWDC_LDAP_PASSWORD, BWDC_ENTRA_KEY, BWDC_GSUITE_PRIVATE_KEY, BWDC_OKTA_TOKEN or BWDC_ONELOGIN_SECRET ' +
    '(each also as <NAME>_FILE naming a file that holds the value).',
];

const DBUS_HINT =
  "Start a session for the command: dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock --components=secrets " +
  "< password-file; bwdc ...'.";

const EXPLANATIONS: Readonly<
  Record<SecretStoreProblem, { why: string; actions: readonly string[] }>
> = {
  'no-dbus-session': {
    why: 'there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset or points nowhere), so no Secret Service can answer',
    actions: [DBUS_HINT, ...ALTERNATIVES],
  },
  'no-secret-service': {
    why: 'the D-Bus session has no Secret Service (no gnome-keyring, KeePassXC or similar is running or installed)',
    actions: [
      'Install and start gnome-keyring (apt-get install gnome-keyring) in the session.',
      ...ALTERNATIVES,
    ],
  },
  'keyring-locked': {
    why: 'the keyring is locked or has no default collection, and there is no desktop to ask for its password',
    actions: [
      'Unlock it first: gnome-keyring-daemon --unlock --components=secrets < password-file.',
      ...ALTERNATIVES,
    ],
  },
  'libsecret-missing': {
    why: 'libsecret (libsecret-1.so.0) is not installed',
    actions: [
      "Install it: apt-get install libsecret-1-0 (or your distribution's libsecret package).",
      ...ALTERNATIVES,
    ],
  },
  'keychain-module-missing': {
    why: 'the keychain module is missing (the optional dependency @github/keytar, or keytar.node beside the standalone bwdc binary)',
    actions: [
      'Reinstall bwdc with optional dependencies (npm install --include=optional), or put keytar.node from the release back beside the bwdc binary.',
      ...ALTERNATIVES,
    ],
  },
  'keychain-off': {
    why: 'the OS keychain is turned off in this configuration',
    actions: ALTERNATIVES,
  },
  'secret-file-unreadable': {
    why: 'the file named by a *_FILE variable cannot be read',
    actions: ['Check the path and its permissions.'],
  },
  'plaintext-file-failed': {
    why: 'data.json could not be read or written',
    actions: ['Check the data folder and its permissions.'],
  },
  unknown: {
    why: 'the keychain reported an error',
    actions: ALTERNATIVES,
  },
};

/**
 * No secret store could serve the request. The message says why and what to use instead; it
 * names the secret's account, never its value.
 */
export class SecretStoreUnavailableError extends BwdcError {
  readonly problem: SecretStoreProblem;

  constructor(
    problem: SecretStoreProblem,
    what: string,
    options?: { cause?: unknown; detail?: string },
  ) {
    const { why, actions } = EXPLANATIONS[problem];
    const detail = options?.detail ? ` (${options.detail})` : '';
    super('SECRET_STORE_FAILED', `Cannot ${what}: ${why}${detail}.`, {
      cause: options?.cause,
      actions,
    });
    this.problem = problem;
  }
}
