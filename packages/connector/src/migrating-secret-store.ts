import type { SecretStore } from '@bwdc/secure-storage';

/**
 * Runs a one-time move of secrets before the first secret is read or written: in keychain mode,
 * secrets a data.json still holds in plaintext go to the keychain (`StateStore.moveSecretsTo`);
 * in plaintext mode, secrets an earlier bwdc kept as top-level keys go back into their sections
 * (`StateStore.moveSecretsIntoSections`), where the official connector reads them.
 */
export class MigratingSecretStore implements SecretStore {
  private moved: Promise<unknown> | undefined;

  constructor(
    private readonly inner: SecretStore,
    private readonly move: (inner: SecretStore) => Promise<unknown>,
  ) {}

  get kind(): string {
    return this.inner.kind;
  }

  async get(key: string): Promise<string | undefined> {
    await this.ready();
    return this.inner.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    await this.ready();
    return this.inner.set(key, value);
  }

  async delete(key: string): Promise<void> {
    await this.ready();
    return this.inner.delete(key);
  }

  private ready(): Promise<unknown> {
    this.moved ??= this.move(this.inner).catch((error: unknown) => {
      this.moved = undefined;
      throw error;
    });
    return this.moved;
  }
}
