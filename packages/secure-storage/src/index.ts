/**
 * @bwdc/secure-storage: where bwdc keeps its secrets. The OS keychain by default (loaded lazily,
 * so a machine without libsecret still runs), data.json in plaintext when
 * `BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true`, and read-only overrides from environment
 * variables or files on top. Account names are the official connector's.
 */
export { InMemorySecretStore, type SecretStore } from './secret-store';
export { KEYCHAIN_SERVICE, legacyPartOf, scopedSecretKey } from './keys';
export { SecretStoreUnavailableError, type SecretStoreProblem } from './errors';
export {
  KeychainSecretStore,
  classifyKeychainError,
  loadKeytar,
  type KeytarLike,
} from './keychain';
export { PlaintextSecretStore, type PlaintextSecretFile } from './plaintext';
export {
  DIRECTORY_SECRET_VARIABLES,
  EnvOverlaySecretStore,
  SECRET_ENV_VARIABLES,
  hasSecretEnvOverrides,
  readSecretFromEnv,
  secretEnvSource,
} from './env';
export {
  NoSecretStore,
  PLAINTEXT_SECRETS_VARIABLE,
  createSecretStore,
  type CreateSecretStoreOptions,
} from './create';
