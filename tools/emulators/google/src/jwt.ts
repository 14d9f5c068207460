import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** An OAuth error the token endpoint answers with, in Google's `{error, error_description}` form. */
export class TokenEndpointError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
}

export interface AssertionClaims {
  readonly iss: string;
  readonly sub: string | undefined;
  readonly scope: string;
  readonly aud: string;
  readonly iat: number;
  readonly exp: number;
}

function decodeJson(part: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object') return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new TokenEndpointError(
    400,
    'invalid_grant',
    'Invalid JWT: could not decode the assertion.',
  );
}

/**
 * Checks a JWT-bearer assertion the way Google's token endpoint does: RS256 signature by a key
 * registered for the issuing service account, audience = the token endpoint, a lifetime of at most
 * an hour around now. Returns the claims; scopes and subject are the caller's to judge.
 */
export function verifyAssertion(
  assertion: string,
  keyOf: (clientEmail: string) => KeyObject | undefined,
  audience: string,
  nowSeconds: number,
): AssertionClaims {
  const parts = assertion.split('.');
  if (parts.length !== 3)
    throw new TokenEndpointError(400, 'invalid_grant', 'Invalid JWT: malformed assertion.');
  const header = decodeJson(parts[0]!);
  const payload = decodeJson(parts[1]!);
  if (header['alg'] !== 'RS256') {
    throw new TokenEndpointError(
      400,
      'invalid_grant',
      `Invalid JWT: unsupported algorithm ${String(header['alg'])}.`,
    );
  }
  const iss = typeof payload['iss'] === 'string' ? payload['iss'] : '';
  const key = keyOf(iss);
  if (!key) throw new TokenEndpointError(400, 'invalid_grant', 'Invalid grant: account not found');
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  if (!verify('RSA-SHA256', signed, key, Buffer.from(parts[2]!, 'base64url'))) {
    throw new TokenEndpointError(400, 'invalid_grant', 'Invalid JWT Signature.');
  }
  const iat = Number(payload['iat']);
  const exp = Number(payload['exp']);
  if (
    !Number.isFinite(iat) ||
    !Number.isFinite(exp) ||
    exp - iat > 3600 ||
    exp <= nowSeconds ||
    iat > nowSeconds + 300
  ) {
    throw new TokenEndpointError(
      400,
      'invalid_grant',
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
    );
  }
  if (payload['aud'] !== audience) {
    throw new TokenEndpointError(
      400,
      'invalid_grant',
      `Invalid JWT: Failed audience check. The right audience is ${audience}`,
    );
  }
  const scope = typeof payload['scope'] === 'string' ? payload['scope'] : '';
  if (scope.trim() === '')
    throw new TokenEndpointError(
      400,
      'invalid_scope',
      'Invalid OAuth scope or ID token audience provided.',
    );
  return {
    iss,
    sub: typeof payload['sub'] === 'string' ? payload['sub'] : undefined,
    scope,
    aud: audience,
    iat,
    exp,
  };
}

export function publicKeyOf(privateKeyPem: string): KeyObject {
  return createPublicKey(privateKeyPem);
}
