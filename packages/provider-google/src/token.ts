import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { GoogleError } from './errors';

/** The scopes the official connector asks for: read users, groups and group members. */
export const GOOGLE_DIRECTORY_SCOPES: readonly string[] = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
];

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * Parses the service account key. Keys pasted into settings often carry literal `\n` sequences
 * (the JSON key file's escaping); those become newlines, as the official connector does on save.
 */
export function parsePrivateKey(pem: string, source: string): KeyObject {
  const text = pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem;
  try {
    const key = createPrivateKey(text.trim());
    if (key.asymmetricKeyType !== 'rsa')
      throw new Error(`a ${key.asymmetricKeyType ?? 'non-RSA'} key`);
    return key;
  } catch (error) {
    // The key text itself never goes into the message.
    throw new GoogleError(
      'bad-private-key',
      source,
      'gsuite.privateKey is not an RSA private key in PEM form. Use the "private_key" of the service ' +
        "account's JSON key file (it starts with -----BEGIN PRIVATE KEY-----), or load the key file itself.",
      { cause: error instanceof Error ? new Error(error.message) : undefined },
    );
  }
}

export interface AssertionInput {
  readonly clientEmail: string;
  readonly subject: string;
  readonly scopes: readonly string[];
  readonly audience: string;
  readonly nowSeconds: number;
}

/** A signed JWT-bearer assertion (RFC 7523) as Google's token endpoint expects it. */
export function signAssertion(input: AssertionInput, key: KeyObject): string {
  const encode = (value: unknown): string =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({
    iss: input.clientEmail,
    sub: input.subject,
    scope: input.scopes.join(' '),
    aud: input.audience,
    iat: input.nowSeconds,
    exp: input.nowSeconds + 3600,
  })}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
}

/**
 * Turns the token endpoint's OAuth error into an error that names what to fix. Google's answers:
 * `unauthorized_client` (no domain-wide delegation for these scopes), `invalid_grant` with
 * "Invalid email or User ID" (the subject is no user), "Invalid JWT Signature." (key deleted or
 * not this account's), "account not found" (client email unknown), or a clock complaint.
 */
export function tokenError(
  source: string,
  settings: { clientEmail: string; adminUser: string; scopes: readonly string[]; tokenUri: string },
  status: number,
  error: string | undefined,
  description: string | undefined,
): GoogleError {
  const said =
    `Google answered ${status} ${error ?? ''}${description ? `: "${description}"` : ''}`.trim();
  const options = { status, reason: error };
  const text = description ?? '';
  if (error === 'unauthorized_client') {
    return new GoogleError(
      'delegation-not-granted',
      source,
      `domain-wide delegation is not granted: service account ${settings.clientEmail} may not act as ` +
        `${settings.adminUser} with the scopes ${settings.scopes.join(', ')} (${said}).`,
      {
        ...options,
        actions: [
          "In the Google Admin console, open Security > Access and data control > API controls > Domain-wide delegation, add the service account's client ID (its Unique ID) and exactly these scopes: " +
            settings.scopes.join(','),
        ],
      },
    );
  }
  if (error === 'invalid_grant' && /invalid email or user id/i.test(text)) {
    return new GoogleError(
      'unknown-admin-user',
      source,
      `gsuite.adminUser "${settings.adminUser}" is not a user of this Google Workspace account (${said}).`,
      {
        ...options,
        actions: ['Set gsuite.adminUser to the email address of a super administrator.'],
      },
    );
  }
  if (error === 'invalid_grant' && /signature/i.test(text)) {
    return new GoogleError(
      'bad-private-key',
      source,
      `gsuite.privateKey does not belong to service account ${settings.clientEmail}: Google could not verify the signature, so the key was deleted, rotated or belongs to another account (${said}).`,
      {
        ...options,
        actions: [
          'Create a new JSON key for the service account and load it (gsuite.clientEmail and gsuite.privateKey).',
        ],
      },
    );
  }
  if (error === 'invalid_grant' && /account not found|invalid_client|no such/i.test(text)) {
    return new GoogleError(
      'service-account-not-found',
      source,
      `gsuite.clientEmail "${settings.clientEmail}" is not an existing service account (${said}).`,
      {
        ...options,
        actions: [
          'Check gsuite.clientEmail, or load a current JSON key file of the service account.',
        ],
      },
    );
  }
  if (error === 'invalid_grant' && /iat|exp|timeframe|short-lived/i.test(text)) {
    return new GoogleError(
      'clock-skew',
      source,
      `Google refused the sign-in assertion as expired or from the future; this machine's clock is probably wrong (${said}).`,
      { ...options, actions: ['Synchronise the system clock (NTP) and try again.'] },
    );
  }
  return new GoogleError(
    'token-failed',
    source,
    `could not get an access token from ${settings.tokenUri} (${said}).`,
    options,
  );
}
