/**
 * Account names in the secret store. They are the official connector's, so a keychain it filled
 * is read as it stands after switching to bwdc.
 */
export const SECRET_KEYS = {
  apiKeyClientId: 'apiKeyClientId',
  apiKeyClientSecret: 'apiKeyClientSecret',
  accessToken: 'accessToken',
  refreshToken: 'refreshToken',
  ldap: 'secretLdap',
  gsuite: 'secretGsuite',
  entra: 'secretEntra',
  okta: 'secretOkta',
  onelogin: 'secretOneLogin',
} as const;

/** Names the official connector still reads or writes besides SECRET_KEYS. */
export const LEGACY_SECRET_KEYS = {
  /** Entra ID was Azure AD; upstream falls back to this name when `secretEntra` is absent. */
  azure: 'secretAzure',
  twoFactorToken: 'twoFactorToken',
} as const;

export type SecretKeyName = (typeof SECRET_KEYS)[keyof typeof SECRET_KEYS];

/** The service name every keychain entry is filed under, as the official connector files it. */
export const KEYCHAIN_SERVICE = 'Bitwarden Directory Connector';

/**
 * `<legacyKey>:<configId>`: each directory configuration has its own slot, so swapping data.json
 * files never pairs one configuration's username with another's password. Without an id the
 * unscoped legacy key is used, as upstream does for configurations saved before ids existed.
 */
export function scopedSecretKey(legacyKey: string, configId?: string): string {
  return configId ? `${legacyKey}:${configId}` : legacyKey;
}

/** The legacy part of a possibly scoped key: `secretLdap:1234` → `secretLdap`. */
export function legacyPartOf(key: string): string {
  const colon = key.indexOf(':');
  return colon < 0 ? key : key.slice(0, colon);
}
