import { SecretStoreUnavailableError } from './errors';
import type { SecretStore } from './secret-store';

/**
 * Where plaintext secrets live: in practice top-level keys of data.json, through an adapter the
 * composition root builds on the state store (this package must not know the state package).
 * `update`, when given, is a locked read-modify-write, so two processes never lose each other's secret.
 */
export interface PlaintextSecretFile {
  read(): Promise<Record<string, string>>;
  write(values: Record<string, string>): Promise<void>;
  update?(fn: (values: Record<string, string>) => Record<string, string>): Promise<void>;
}

/** `BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true`: secrets in data.json, as the official connector allows. */
export class PlaintextSecretStore implements SecretStore {
  readonly kind = 'plaintext';

  constructor(private readonly file: PlaintextSecretFile) {}

  async get(key: string): Promise<string | undefined> {
    const values = await this.guard(`read the secret "${key}" from data.json`, () =>
      this.file.read(),
    );
    return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined;
  }

  async set(key: string, value: string): Promise<void> {
    await this.change(`save the secret "${key}" in data.json`, (values) => ({
      ...values,
      [key]: value,
    }));
  }

  async delete(key: string): Promise<void> {
    await this.change(`delete the secret "${key}" from data.json`, (values) => {
      const { [key]: _removed, ...rest } = values;
      return rest;
    });
  }

  private async change(
    what: string,
    fn: (values: Record<string, string>) => Record<string, string>,
  ): Promise<void> {
    const file = this.file;
    await this.guard(what, async () => {
      if (file.update) await file.update(fn);
      else await file.write(fn(await file.read()));
    });
  }

  private async guard<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      if (error instanceof SecretStoreUnavailableError) throw error;
      // The adapter's own error (a corrupt data.json, a lock held) already names the file; keep it as the cause.
      const detail = error instanceof Error ? error.message.split('\n')[0] : undefined;
      throw new SecretStoreUnavailableError('plaintext-file-failed', what, {
        cause: error,
        detail,
      });
    }
  }
}
