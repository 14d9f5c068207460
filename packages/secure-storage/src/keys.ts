/**
 * Account names in the secret store are the official connector's (`LOGIN_SECRET_KEYS` and each
 * directory's `storeKey` in @bwdc/core's catalogue), so a keychain it filled is read as it stands
 * after switching to bwdc.
 */

/** The service name every keychain entry is filed under, as the official connector files it. */
export const KEYCHAIN_SERVICE = 'Bitwarden Directory Connector';

/**
 * `<storeKey>:<configId>`: each directory configuration has its own slot, so swapping data.json
 * files never pairs one configuration's username with another's password. Without an id the
 * unscoped key is used, as upstream does for configurations saved before ids existed.
 */
export function scopedSecretKey(storeKey: string, configId?: string): string {
  return configId ? `${storeKey}:${configId}` : storeKey;
}

/** The unscoped part of a possibly scoped key: `secretLdap:1234` → `secretLdap`. */
export function legacyPartOf(key: string): string {
  const colon = key.indexOf(':');
  return colon < 0 ? key : key.slice(0, colon);
}
