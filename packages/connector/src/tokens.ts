import type { InjectionToken } from 'tsyringe';
import type { Logger, SecretRedactor } from '@bwdc/core';
import type { SecretStore } from '@bwdc/secure-storage';
import type { StateStore } from '@bwdc/state';

/** Everything the facade needs, each under one token; only this package knows the container. */
export const LOGGER: InjectionToken<Logger> = Symbol.for('bwdc.Logger');
export const REDACTOR: InjectionToken<SecretRedactor> = Symbol.for('bwdc.SecretRedactor');
export const STATE_STORE: InjectionToken<StateStore> = Symbol.for('bwdc.StateStore');
export const SECRET_STORE: InjectionToken<SecretStore> = Symbol.for('bwdc.SecretStore');
export const RUNTIME: InjectionToken<ConnectorRuntime> = Symbol.for('bwdc.Runtime');

/** Process-level facts the facade reads, injectable so tests control them. */
export interface ConnectorRuntime {
  readonly env: NodeJS.ProcessEnv;
  readonly version: string;
  readonly fetch: typeof fetch | undefined;
  /** Plaintext mode: directory secrets live in their data.json sections (see ConfigServiceOptions). */
  readonly secretsInSections?: boolean;
}
