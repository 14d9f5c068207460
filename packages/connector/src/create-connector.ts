import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  container as rootContainer,
  instanceCachingFactory,
  type DependencyContainer,
} from 'tsyringe';
import {
  SecretRedactor,
  createLogger,
  stderrSink,
  type LogLevel,
  type LogSink,
  type Logger,
} from '@bwdc/core';
import {
  PLAINTEXT_SECRETS_VARIABLE,
  createSecretStore,
  type SecretStore,
} from '@bwdc/secure-storage';
import { StateStore, resolveDataDir } from '@bwdc/state';
import { SyncEngine } from '@bwdc/sync-engine';
import { ConfigService } from './config-service';
import { cachedPlaintextFile } from './cached-plaintext-file';
import { Connector } from './connector';
import { createDirectoryProvider } from './directory-provider-factory';
import { bitwardenApi } from './lazy';
import { MigratingSecretStore } from './migrating-secret-store';
import {
  BITWARDEN_CLIENT_FACTORY,
  DIRECTORY_PROVIDER_FACTORY,
  LOGGER,
  REDACTOR,
  RUNTIME,
  SECRET_STORE,
  STATE_STORE,
  SYNC_ENGINE_FACTORY,
} from './tokens';

export interface ConnectorOptions {
  /** The data folder; by default found as the official connector finds it. */
  readonly dataDir?: string;
  /** Environment to read BW_*, BITWARDENCLI_* and secret variables from; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where log lines go; default stderr at `logLevel`. */
  readonly logger?: Logger;
  /** For the default logger: default `warn` (a CLI's stdout and stderr stay quiet), `debug` with BITWARDENCLI_CONNECTOR_DEBUG=true. */
  readonly logLevel?: LogLevel;
  /** For the default logger: where its (redacted) records go; default one line each on stderr. */
  readonly logSink?: LogSink;
  /** Replaces the keychain/plaintext/env secret store, e.g. with an in-memory one. */
  readonly secrets?: SecretStore;
  /** Reported to the Bitwarden server in the User-Agent. */
  readonly version?: string;
  /** For the Bitwarden API; default the global fetch. */
  readonly fetch?: typeof fetch;
  /**
   * The connector only reads settings (`bwdc config <setting>`): data.json's member lists of the
   * last sync are not parsed (see StateStoreOptions.settingsOnly). Not for a connector that syncs.
   */
  readonly settingsOnly?: boolean;
}

/**
 * The composition root: a connector for one data folder, resolved from a child container of its
 * own, so embedding tools can run several connectors (one per data folder) side by side.
 */
export function createConnector(options: ConnectorOptions = {}): Connector {
  return connectorContainer(options).resolve(Connector);
}

/**
 * The child container `createConnector` resolves from. Everything is a factory, built on first
 * use, so a spec can register a fake over any of them before resolving `Connector`.
 */
export function connectorContainer(options: ConnectorOptions = {}): DependencyContainer {
  const env = options.env ?? process.env;
  const container = rootContainer.createChildContainer();
  const single = <T>(build: (c: DependencyContainer) => T) => ({
    useFactory: instanceCachingFactory(build),
  });

  container.register(
    REDACTOR,
    single(() => new SecretRedactor()),
  );
  container.register(
    LOGGER,
    single(
      (c) =>
        options.logger ??
        createLogger({
          sink: options.logSink ?? stderrSink,
          redactor: c.resolve(REDACTOR),
          level:
            env.BITWARDENCLI_CONNECTOR_DEBUG === 'true' ? 'debug' : (options.logLevel ?? 'warn'),
        }),
    ),
  );
  container.register(
    STATE_STORE,
    single(() =>
      StateStore.open(options.dataDir ?? resolveDataDir(env), {
        settingsOnly: options.settingsOnly,
      }),
    ),
  );
  // Plaintext mode: data.json is the store, directory secrets in their sections as the official
  // connector keeps them.
  const secretsInSections = !options.secrets && env[PLAINTEXT_SECRETS_VARIABLE] === 'true';
  container.register(RUNTIME, { useValue: { env, secretsInSections } });
  // Otherwise secrets a migrated data.json still holds in plaintext move to the keychain on first use.
  container.register(
    SECRET_STORE,
    single((c) => {
      if (options.secrets) return options.secrets;
      const state = c.resolve(STATE_STORE);
      return secretsInSections
        ? new MigratingSecretStore(
            createSecretStore({
              env,
              plaintextFile: cachedPlaintextFile(state.plaintextSecrets(), state.filePath),
            }),
            () => state.moveSecretsIntoSections(),
          )
        : new MigratingSecretStore(createSecretStore({ env }), (inner) =>
            state.moveSecretsTo(inner),
          );
    }),
  );
  container.register(
    ConfigService,
    single(
      (c) =>
        new ConfigService(c.resolve(STATE_STORE), c.resolve(SECRET_STORE), c.resolve(REDACTOR), {
          secretsInSections,
        }),
    ),
  );

  container.register(DIRECTORY_PROVIDER_FACTORY, {
    useFactory: (c) => {
      const logger = c.resolve(LOGGER);
      return (directory, sync) => createDirectoryProvider(directory, sync, logger);
    },
  });
  container.register(BITWARDEN_CLIENT_FACTORY, {
    useFactory: (c) => {
      const logger = c.resolve(LOGGER);
      const version = options.version ?? packageVersion();
      return async (settings) =>
        new (await bitwardenApi()).BitwardenApiClient({
          ...settings,
          version,
          logger,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
    },
  });
  container.register(SYNC_ENGINE_FACTORY, {
    useFactory: (c) => {
      const logger = c.resolve(LOGGER);
      return (deps) => new SyncEngine({ ...deps, logger });
    },
  });
  return container;
}

function packageVersion(): string {
  return (
    JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
  ).version;
}
