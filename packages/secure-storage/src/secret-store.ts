/** Where secrets live. Values are plain strings; absent secrets read as undefined. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** Deleting an absent key is not an error. */
  delete(key: string): Promise<void>;
  /** `keychain`, `plaintext`, `memory`, `none`, with `env+` in front when overrides are set. */
  readonly kind: string;
}

/** For tests and for embedding callers that hand secrets in directly. */
export class InMemorySecretStore implements SecretStore {
  readonly kind = 'memory';
  private readonly values = new Map<string, string>();

  constructor(initial?: Readonly<Record<string, string>>) {
    for (const [key, value] of Object.entries(initial ?? {})) this.values.set(key, value);
  }

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  /** The keys held, for tests. */
  keys(): string[] {
    return [...this.values.keys()];
  }
}
