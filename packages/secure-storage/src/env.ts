import { readFile } from 'node:fs/promises';
import { SecretStoreUnavailableError } from './errors';
import { DIRECTORY_SECTIONS, LOGIN_SECRET_KEYS, type DirectorySection } from '@bwdc/core';
import { legacyPartOf } from './keys';
import type { SecretStore } from './secret-store';

/**
 * The environment variable that overrides each secret, read-only, for containers and systemd
 * units. Each also works as `<NAME>_FILE`, naming a file that holds the value (Docker and systemd
 * credentials); the variable itself wins when both are set. An override applies to every
 * configuration id of its secret (`secretLdap` and `secretLdap:<id>`).
 */
export const DIRECTORY_SECRET_VARIABLES: Readonly<Partial<Record<DirectorySection, string>>> = {
  ldap: 'BWDC_LDAP_PASSWORD',
  entra: 'BWDC_ENTRA_KEY',
  gsuite: 'BWDC_GSUITE_PRIVATE_KEY',
  okta: 'BWDC_OKTA_TOKEN',
  onelogin: 'BWDC_ONELOGIN_SECRET',
};

/** The variable of each secret-store account (a directory's current and former accounts share one). */
export const SECRET_ENV_VARIABLES: Readonly<Record<string, string>> = {
  [LOGIN_SECRET_KEYS.apiKeyClientId]: 'BW_CLIENTID',
  [LOGIN_SECRET_KEYS.apiKeyClientSecret]: 'BW_CLIENTSECRET',
  ...Object.fromEntries(
    (Object.entries(DIRECTORY_SECRET_VARIABLES) as [DirectorySection, string][]).flatMap(
      ([section, variable]) => {
        const secret = DIRECTORY_SECTIONS[section].secret!;
        return [secret.storeKey, ...secret.formerStoreKeys].map((key) => [key, variable]);
      },
    ),
  ),
};

/** Tokens are a cache of a login; with the API key in the environment they can live in memory. */
const SESSION_KEYS = new Set<string>([
  LOGIN_SECRET_KEYS.accessToken,
  LOGIN_SECRET_KEYS.refreshToken,
  LOGIN_SECRET_KEYS.twoFactorToken,
]);

/** The variable (or `<NAME>_FILE`) that overrides `key` in `env`, if one is set. */
export function secretEnvSource(key: string, env: NodeJS.ProcessEnv): string | undefined {
  const name = SECRET_ENV_VARIABLES[legacyPartOf(key)];
  if (!name) return undefined;
  if (env[name]) return name;
  if (env[`${name}_FILE`]) return `${name}_FILE`;
  return undefined;
}

/** Reads `key`'s override from the environment or the file it names; undefined when none is set. */
export async function readSecretFromEnv(
  key: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const source = secretEnvSource(key, env);
  if (!source) return undefined;
  let value: string;
  if (source.endsWith('_FILE')) {
    const file = env[source]!;
    try {
      // A file written with `echo` ends in a newline that is not part of the secret.
      value = (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new SecretStoreUnavailableError('secret-file-unreadable', `read ${source}`, {
        cause: error,
        detail: `${file}: ${reason}`,
      });
    }
  } else {
    value = env[source]!;
  }
  // A private key pasted into one line keeps its line breaks as `\n`, which the official connector also accepts.
  if (legacyPartOf(key) === DIRECTORY_SECTIONS.gsuite.secret!.storeKey)
    value = value.replace(/\\n/g, '\n');
  return value;
}

/** True when any override variable is set. */
export function hasSecretEnvOverrides(env: NodeJS.ProcessEnv): boolean {
  return Object.values(SECRET_ENV_VARIABLES).some((name) => env[name] || env[`${name}_FILE`]);
}

/**
 * Environment and file overrides layered over a store. Reads prefer the override; writes go to
 * the store underneath, except a value the environment already supplies, which is never copied
 * into the store. When the store is unreachable and the API key comes from the environment,
 * login tokens are kept in memory for this process only.
 */
export class EnvOverlaySecretStore implements SecretStore {
  readonly kind: string;
  private readonly session = new Map<string, string>();

  constructor(
    private readonly base: SecretStore,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.kind = hasSecretEnvOverrides(env) ? `env+${base.kind}` : base.kind;
  }

  async get(key: string): Promise<string | undefined> {
    const override = await readSecretFromEnv(key, this.env);
    if (override !== undefined) return override;
    if (this.session.has(key)) return this.session.get(key);
    return this.base.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    try {
      await this.base.set(key, value);
      this.session.delete(key);
    } catch (error) {
      if (!(error instanceof SecretStoreUnavailableError)) throw error;
      // Nowhere to keep it, but the environment supplies it on every run anyway.
      if (secretEnvSource(key, this.env) && (await readSecretFromEnv(key, this.env)) === value)
        return;
      if (!this.mayKeepInMemory(key)) throw error;
      this.session.set(key, value);
    }
  }

  async delete(key: string): Promise<void> {
    this.session.delete(key);
    try {
      await this.base.delete(key);
    } catch (error) {
      const tolerable = secretEnvSource(key, this.env) !== undefined || this.mayKeepInMemory(key);
      if (!(error instanceof SecretStoreUnavailableError) || !tolerable) throw error;
    }
  }

  private mayKeepInMemory(key: string): boolean {
    return (
      SESSION_KEYS.has(key) &&
      secretEnvSource(LOGIN_SECRET_KEYS.apiKeyClientId, this.env) !== undefined &&
      secretEnvSource(LOGIN_SECRET_KEYS.apiKeyClientSecret, this.env) !== undefined
    );
  }
}
