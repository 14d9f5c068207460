import { SecretStoreUnavailableError } from './errors';
import { EnvOverlaySecretStore } from './env';
import { KeychainSecretStore, type KeytarLike } from './keychain';
import { PlaintextSecretStore, type PlaintextSecretFile } from './plaintext';
import type { SecretStore } from './secret-store';

export interface CreateSecretStoreOptions {
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Required when `BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true`. */
  plaintextFile?: PlaintextSecretFile;
  /** `off`: never touch the OS keychain; only overrides (and plaintext, if chosen) serve secrets. */
  keychain?: 'auto' | 'off';
  /** Replaces the keychain module, for tests. */
  loadKeychain?: () => KeytarLike;
}

/** The variable the official connector reads to keep secrets in data.json. */
export const PLAINTEXT_SECRETS_VARIABLE = 'BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS';

/**
 * Picks the store as the official connector does (plaintext only when the variable is exactly
 * `true`, else the OS keychain) and layers the read-only environment overrides on top.
 */
export function createSecretStore(options: CreateSecretStoreOptions = {}): SecretStore {
  const env = options.env ?? process.env;
  let base: SecretStore;
  if (env[PLAINTEXT_SECRETS_VARIABLE] === 'true') {
    if (!options.plaintextFile) {
      throw new SecretStoreUnavailableError('plaintext-file-failed', 'keep secrets in data.json', {
        detail: `${PLAINTEXT_SECRETS_VARIABLE}=true but no data.json adapter was given`,
      });
    }
    base = new PlaintextSecretStore(options.plaintextFile);
  } else if (options.keychain === 'off') {
    base = new NoSecretStore();
  } else {
    base = new KeychainSecretStore({ env, load: options.loadKeychain });
  }
  return new EnvOverlaySecretStore(base, env);
}

/** With the keychain turned off: nothing is stored, and saving says which option to use instead. */
export class NoSecretStore implements SecretStore {
  readonly kind = 'none';

  async get(): Promise<string | undefined> {
    return undefined;
  }

  async set(key: string): Promise<void> {
    throw new SecretStoreUnavailableError('keychain-off', `save the secret "${key}"`);
  }

  async delete(): Promise<void> {}
}
