import type { InjectionToken } from 'tsyringe';
import type { DirectoryConfig, Logger, SecretRedactor, SyncConfig } from '@bwdc/core';
import type { BitwardenApiOptions } from '@bwdc/bitwarden-api';
import type { DirectoryProvider } from '@bwdc/directory-provider';
import type { SecretStore } from '@bwdc/secure-storage';
import type { StateStore } from '@bwdc/state';
import type { ImportApi, OrganizationReader, SyncEngine, SyncEngineDeps } from '@bwdc/sync-engine';

/**
 * What the facade is built from, each under one token of the connector's child container. Only
 * this package knows the container: the packages below take plain constructor arguments.
 */
export const LOGGER: InjectionToken<Logger> = Symbol.for('bwdc.Logger');
export const REDACTOR: InjectionToken<SecretRedactor> = Symbol.for('bwdc.SecretRedactor');
export const STATE_STORE: InjectionToken<StateStore> = Symbol.for('bwdc.StateStore');
export const SECRET_STORE: InjectionToken<SecretStore> = Symbol.for('bwdc.SecretStore');
export const RUNTIME: InjectionToken<ConnectorRuntime> = Symbol.for('bwdc.Runtime');
export const DIRECTORY_PROVIDER_FACTORY: InjectionToken<DirectoryProviderFactory> = Symbol.for(
  'bwdc.DirectoryProviderFactory',
);
export const BITWARDEN_CLIENT_FACTORY: InjectionToken<BitwardenClientFactory> = Symbol.for(
  'bwdc.BitwardenClientFactory',
);
export const SYNC_ENGINE_FACTORY: InjectionToken<SyncEngineFactory> =
  Symbol.for('bwdc.SyncEngineFactory');

/** Builds the provider of the directory type a run's settings name. */
export type DirectoryProviderFactory = (
  directory: DirectoryConfig,
  sync: SyncConfig,
) => Promise<DirectoryProvider>;

/** What the facade does with the Bitwarden server: log in, import, and close the connections. */
export interface BitwardenClient extends ImportApi, OrganizationReader {
  readonly organizationId: string;
  /** The access token of the last login, kept as the official connector keeps it. */
  readonly accessToken: string | undefined;
  login(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** Process-level facts the facade reads, injectable so tests control them. */
export interface ConnectorRuntime {
  readonly env: NodeJS.ProcessEnv;
  /** Plaintext mode: directory secrets live in their data.json sections (see ConfigServiceOptions). */
  readonly secretsInSections: boolean;
}

/** The settings of one client; the factory adds the version, logger and fetch it was built with. */
export type BitwardenClientSettings = Pick<
  BitwardenApiOptions,
  'urls' | 'clientId' | 'clientSecret' | 'deviceIdentifier'
>;

/** Builds a client for one organization API key, one per run. */
export type BitwardenClientFactory = (
  settings: BitwardenClientSettings,
) => Promise<BitwardenClient>;

/** Builds the engine of one run; the factory adds the logger. */
export type SyncEngineFactory = (deps: Omit<SyncEngineDeps, 'logger'>) => SyncEngine;
