import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { container as rootContainer } from 'tsyringe';
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
import { Connector } from './connector';
import { MigratingSecretStore } from './migrating-secret-store';
import { LOGGER, REDACTOR, RUNTIME, SECRET_STORE, STATE_STORE } from './tokens';

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
}

/**
 * The composition root: one child container per connector, so embedding tools can run several
 * connectors (one per data folder) side by side.
 */
export function createConnector(options: ConnectorOptions = {}): Connector {
  const env = options.env ?? process.env;
  const redactor = new SecretRedactor();
  const logger =
    options.logger ??
    createLogger({
      sink: options.logSink ?? stderrSink,
      redactor,
      level: env.BITWARDENCLI_CONNECTOR_DEBUG === 'true' ? 'debug' : (options.logLevel ?? 'warn'),
    });
  const state = StateStore.open(options.dataDir ?? resolveDataDir(env));
  // In plaintext mode data.json is the store, directory secrets in their sections as the official
  // connector keeps them; otherwise secrets a migrated data.json still holds in plaintext move to
  // the keychain on first use.
  const secretsInSections = !options.secrets && env[PLAINTEXT_SECRETS_VARIABLE] === 'true';
  const secrets =
    options.secrets ??
    (secretsInSections
      ? new MigratingSecretStore(
          createSecretStore({ env, plaintextFile: state.plaintextSecrets() }),
          () => state.moveSecretsIntoSections(),
        )
      : new MigratingSecretStore(createSecretStore({ env }), (inner) =>
          state.moveSecretsTo(inner),
        ));

  const container = rootContainer.createChildContainer();
  container.register(LOGGER, { useValue: logger });
  container.register(REDACTOR, { useValue: redactor });
  container.register(STATE_STORE, { useValue: state });
  container.register(SECRET_STORE, { useValue: secrets });
  container.register(RUNTIME, {
    useValue: {
      env,
      version: options.version ?? packageVersion(),
      fetch: options.fetch,
      secretsInSections,
    },
  });
  return container.resolve(Connector);
}

function packageVersion(): string {
  return (
    JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
  ).version;
}
