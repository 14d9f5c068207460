import { secretLabel } from '@bwdc/core';
import { SecretStoreUnavailableError, type SecretStoreProblem } from './errors';
import { KEYCHAIN_SERVICE } from './keys';
import type { SecretStore } from './secret-store';

/** The part of keytar bwdc uses; @github/keytar and keytar share it. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/**
 * Loaded on first use, never at import: the module links libsecret, and a server without it (or
 * without the optional package) must still run with the other secret stores.
 */
export function loadKeytar(): KeytarLike {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional native module, loaded lazily on purpose
  const loaded = require('@github/keytar') as KeytarLike & { default?: KeytarLike };
  return loaded.default ?? loaded;
}

/** Maps what libsecret, GLib's D-Bus client and the module loader say onto advice an admin can act on. */
export function classifyKeychainError(
  error: unknown,
  env: NodeJS.ProcessEnv = process.env,
): SecretStoreProblem {
  const message = error instanceof Error ? error.message : String(error);
  if (/libsecret-1\.so|cannot open shared object/i.test(message)) return 'libsecret-missing';
  if (/Cannot find module/i.test(message) && /keytar/i.test(message))
    return 'keychain-module-missing';
  if (
    /org\.freedesktop\.secrets was not provided|ServiceUnknown|name has no owner/i.test(message)
  ) {
    return 'no-secret-service';
  }
  if (/locked collection|Object does not exist at path|prompt|dismissed|is locked/i.test(message))
    return 'keyring-locked';
  if (
    /autolaunch D-Bus|Could not connect|Failed to connect to socket|DBUS_SESSION_BUS_ADDRESS/i.test(
      message,
    )
  ) {
    return 'no-dbus-session';
  }
  if (process.platform === 'linux' && !env.DBUS_SESSION_BUS_ADDRESS) return 'no-dbus-session';
  return 'unknown';
}

/**
 * The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows).
 * Values are stored JSON-encoded, as the official connector stores them, so either program reads
 * the other's entries.
 */
export class KeychainSecretStore implements SecretStore {
  readonly kind = 'keychain';
  private module: KeytarLike | undefined;

  constructor(
    private readonly options: {
      service?: string;
      load?: () => KeytarLike;
      env?: NodeJS.ProcessEnv;
    } = {},
  ) {}

  async get(key: string): Promise<string | undefined> {
    const raw = await this.call(`read ${secretLabel(key)} from the OS keychain`, (k, service) =>
      k.getPassword(service, key),
    );
    return raw == null ? undefined : decodeValue(raw);
  }

  async set(key: string, value: string): Promise<void> {
    await this.call(`save ${secretLabel(key)} in the OS keychain`, (k, service) =>
      k.setPassword(service, key, JSON.stringify(value)),
    );
  }

  async delete(key: string): Promise<void> {
    await this.call(`delete ${secretLabel(key)} from the OS keychain`, (k, service) =>
      k.deletePassword(service, key),
    );
  }

  /** Resolves when the keychain answers a read; throws SecretStoreUnavailableError saying why it does not. */
  async checkAvailable(): Promise<void> {
    await this.call('reach the OS keychain', (k, service) =>
      k.getPassword(service, 'bwdc-availability-check'),
    );
  }

  private async call<T>(
    what: string,
    op: (k: KeytarLike, service: string) => Promise<T>,
  ): Promise<T> {
    const service = this.options.service ?? KEYCHAIN_SERVICE;
    try {
      this.module ??= (this.options.load ?? loadKeytar)();
      return await op(this.module, service);
    } catch (error) {
      throw new SecretStoreUnavailableError(classifyKeychainError(error, this.options.env), what, {
        cause: error,
        detail: `the keychain said: ${firstLine(error)}`,
      });
    }
  }
}

/** Entries written by keytar-era versions may hold the bare string instead of its JSON. */
function decodeValue(raw: string): string {
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'string' ? parsed : raw;
  } catch {
    return raw;
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}
