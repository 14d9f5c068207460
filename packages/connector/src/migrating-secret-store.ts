import type { SecretStore } from '@bwdc/secure-storage';
import type { StateStore } from '@bwdc/state';

/**
 * Before the first secret is read or written, moves secrets that a data.json migrated from the
 * official connector still holds in plaintext into the real store (and out of the file).
 */
export class MigratingSecretStore implements SecretStore {
  private moved: Promise<unknown> | undefined;

  constructor(
    private readonly inner: SecretStore,
    private readonly state: StateStore,
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
    this.moved ??= this.state.moveSecretsTo(this.inner).catch((error: unknown) => {
      this.moved = undefined;
      throw error;
    });
    return this.moved;
  }
}
