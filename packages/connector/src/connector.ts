import {
  BwdcError,
  SECRET_FIELDS,
  SECTION_OF_TYPE,
  SecretRedactor,
  applyActiveDirectoryDefaults,
  DirectoryType,
  parseConfig,
  parseDirectoryConfig,
  type DirectoryConfig,
  type Logger,
  type SyncCheckpoint,
  type SyncConfig,
} from '@bwdc/core';
import { BitwardenApiClient, resolveEnvironmentUrls, type ResolvedUrls } from '@bwdc/bitwarden-api';
import type { DirectoryProvider } from '@bwdc/directory-provider';
import { SECRET_KEYS, type SecretStore } from '@bwdc/secure-storage';
import { clearSyncCache, selectTarget, type ConnectorState, type StateStore } from '@bwdc/state';
import {
  SyncEngine,
  toTestResponse,
  type CheckpointStore,
  type GuardVerdict,
  type OrganizationChanges,
  type SyncProgress,
  type SyncReport,
  type TestResponse,
} from '@bwdc/sync-engine';
import { inject, injectable } from 'tsyringe';
import { ConfigService } from './config-service';
import { createDirectoryProvider } from './directory-provider-factory';
import { readDirectorySecret } from './directory-secrets';
import { NoDirectoryError, NotLoggedInError } from './errors';
import {
  LOGGER,
  REDACTOR,
  RUNTIME,
  SECRET_STORE,
  STATE_STORE,
  type ConnectorRuntime,
} from './tokens';

export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SyncProgress) => void;
}

/** `bwdc test --changes`: the plan and what it would change in the organization. */
export interface ChangesReport {
  /** The official `bwdc test` JSON of the same directory read, when asked for (`withTest`). */
  readonly test: TestResponse | undefined;
  /** What a sync would change; undefined only with `optional`, when the organization could not be read. */
  readonly changes: OrganizationChanges | undefined;
  /** Why the organization could not be read (with `optional`). */
  readonly unavailable: string | undefined;
  /** Whether the safety guard would refuse the sync, and why. */
  readonly guard: Pick<GuardVerdict, 'refused' | 'forceable' | 'reason'>;
  /** The plan's warnings (entries left out and why, nested groups not read, ...). */
  readonly warnings: readonly string[];
}

/** Who is logged in and what the last syncs did, for dashboards and `bwdc` status lines. */
export interface ConnectorStatus {
  readonly loggedIn: boolean;
  readonly organizationId: string | undefined;
  readonly directoryType: DirectoryType | undefined;
  readonly lastUserSync: string | undefined;
  readonly lastGroupSync: string | undefined;
}

/**
 * The embedding facade: everything the CLI, the desktop app and other Node tools do with bwdc.
 * Built by `createConnector`; every method reads data.json afresh, so several processes can share
 * one data folder, and a sync holds the folder's lock from its first read to its commit.
 */
@injectable()
export class Connector {
  readonly config: ConfigService;

  constructor(
    @inject(STATE_STORE) private readonly state: StateStore,
    @inject(SECRET_STORE) private readonly secrets: SecretStore,
    @inject(LOGGER) private readonly logger: Logger,
    @inject(REDACTOR) private readonly redactor: SecretRedactor,
    @inject(RUNTIME) private readonly runtime: ConnectorRuntime,
  ) {
    this.config = new ConfigService(state, secrets, redactor);
  }

  /** `<dataDir>/data.json`. */
  get dataFile(): string {
    return this.state.filePath;
  }

  async status(): Promise<ConnectorStatus> {
    const state = await this.state.read();
    return {
      loggedIn: await this.isLoggedIn(state),
      organizationId: state.organizationId,
      directoryType: state.directoryType,
      lastUserSync: state.checkpoint.lastUserSync,
      lastGroupSync: state.checkpoint.lastGroupSync,
    };
  }

  /**
   * Checks the organization API key against the server, then keeps it. A different organization
   * than before starts from an empty sync cache.
   */
  async login(
    clientId: string,
    clientSecret: string,
    signal?: AbortSignal,
  ): Promise<{ organizationId: string }> {
    this.redactor.register(clientSecret);
    const state = await this.state.read();
    const api = this.apiClient(state, clientId.trim(), clientSecret.trim());
    try {
      await api.login(signal);
    } finally {
      await api.close();
    }
    await this.secrets.set(SECRET_KEYS.apiKeyClientId, clientId.trim());
    await this.secrets.set(SECRET_KEYS.apiKeyClientSecret, clientSecret.trim());
    await this.state.update((current) => ({
      ...selectTarget(current, { organizationId: api.organizationId }),
      entityId: api.organizationId,
    }));
    return { organizationId: api.organizationId };
  }

  async logout(): Promise<void> {
    for (const key of [
      SECRET_KEYS.apiKeyClientId,
      SECRET_KEYS.apiKeyClientSecret,
      SECRET_KEYS.accessToken,
      SECRET_KEYS.refreshToken,
    ]) {
      await this.secrets.delete(key);
    }
    await this.state.update((state) => ({
      ...state,
      organizationId: undefined,
      entityId: undefined,
    }));
  }

  /** A simulated sync: what would be sent, changing nothing. Full unless `sinceLast`. */
  async test(options: RunOptions & { sinceLast?: boolean } = {}): Promise<TestResponse> {
    const state = await this.state.read();
    const checkpoints = { load: async () => state.checkpoint, commit: async () => {} };
    return this.withEngine(state, checkpoints, async (engine) =>
      toTestResponse(
        await engine.test({
          sinceLast: options.sinceLast,
          signal: options.signal,
          onProgress: options.onProgress,
        }),
      ),
    );
  }

  /**
   * A simulated sync compared with the organization: reads the directory and then, through the
   * Public API, every member, every group and the members of each group the sync would send.
   * Sends and saves nothing. With `optional`, an organization that cannot be read (Vaultwarden has
   * no such routes) leaves `changes` undefined instead of failing. `withTest` also returns the
   * official test JSON of the same read (sorting it costs about a second at 100k users).
   */
  async changes(
    options: RunOptions & { sinceLast?: boolean; optional?: boolean; withTest?: boolean } = {},
  ): Promise<ChangesReport> {
    const state = await this.state.read();
    const checkpoints = { load: async () => state.checkpoint, commit: async () => {} };
    return this.withEngine(state, checkpoints, async (engine) => {
      const { plan, changes, unavailable } = await engine.changes({
        sinceLast: options.sinceLast,
        optional: options.optional,
        signal: options.signal,
        onProgress: options.onProgress,
      });
      const { refused, forceable, reason } = plan.guard;
      return {
        test: options.withTest ? toTestResponse(plan) : undefined,
        changes,
        unavailable,
        guard: { refused, forceable, reason },
        warnings: plan.warnings,
      };
    });
  }

  /**
   * Reads the directory and sends what changed. `force` lets a run through the safety guard.
   * Holds the data folder's lock throughout, so two syncs never interleave.
   */
  async sync(options: RunOptions & { force?: boolean } = {}): Promise<SyncReport> {
    return this.state.withLock(async () => {
      const state = await this.state.read();
      const checkpoints = {
        load: async () => state.checkpoint,
        commit: async (checkpoint: SyncCheckpoint) => {
          await this.state.update((current) => ({ ...current, checkpoint }));
        },
      };
      return this.withEngine(state, checkpoints, (engine) =>
        engine.sync({
          force: options.force,
          signal: options.signal,
          onProgress: options.onProgress,
        }),
      );
    });
  }

  /** The ISO time of the last successful user or group sync, if any. */
  async lastSync(object: 'users' | 'groups'): Promise<string | undefined> {
    const { checkpoint } = await this.state.read();
    return object === 'users' ? checkpoint.lastUserSync : checkpoint.lastGroupSync;
  }

  /** Forgets the sync cache (hash, cursors, last sync times), so the next sync sends everything. */
  async clearCache(): Promise<void> {
    await this.state.update(clearSyncCache);
  }

  /** Connects to the configured directory and checks its credentials. */
  async verifyDirectory(signal?: AbortSignal): Promise<void> {
    const state = await this.state.read();
    const { provider } = await this.directory(state);
    await provider.verify(signal);
  }

  /** Builds the engine for one run and closes its Bitwarden connections afterwards. */
  private async withEngine<T>(
    state: ConnectorState,
    checkpoints: CheckpointStore,
    run: (engine: SyncEngine) => Promise<T>,
  ): Promise<T> {
    if (!(await this.isLoggedIn(state))) throw new NotLoggedInError();
    const { provider, sync } = await this.directory(state);
    const { clientId, clientSecret } = await this.apiKey();
    const api = this.apiClient(state, clientId, clientSecret);
    try {
      return await run(
        new SyncEngine({
          provider,
          api,
          checkpoints,
          config: sync,
          context: { organizationId: state.organizationId!, apiUrl: this.urls(state).api },
          logger: this.logger,
          organization: api,
        }),
      );
    } finally {
      await api.close();
    }
  }

  private async directory(
    state: ConnectorState,
  ): Promise<{ provider: DirectoryProvider; sync: SyncConfig }> {
    if (state.directoryType === undefined) throw new NoDirectoryError();
    const section = SECTION_OF_TYPE[state.directoryType];
    const raw = { ...(state.directories[section] ?? {}) };
    const secret = await readDirectorySecret(this.secrets, section, raw, this.redactor);
    const secretField = SECRET_FIELDS[section]?.field;
    if (secretField) raw[secretField] = secret ?? null;
    const directory: DirectoryConfig = parseDirectoryConfig(state.directoryType, raw);
    let sync = parseConfig('sync', state.sync);
    if (directory.type === DirectoryType.Ldap)
      sync = applyActiveDirectoryDefaults(directory.config, sync);
    return { provider: await createDirectoryProvider(directory, sync, this.logger), sync };
  }

  private async isLoggedIn(state: ConnectorState): Promise<boolean> {
    if (!state.organizationId) return false;
    return (await this.secrets.get(SECRET_KEYS.apiKeyClientSecret)) !== undefined;
  }

  private async apiKey(): Promise<{ clientId: string; clientSecret: string }> {
    const clientId = await this.secrets.get(SECRET_KEYS.apiKeyClientId);
    const clientSecret = await this.secrets.get(SECRET_KEYS.apiKeyClientSecret);
    if (!clientId || !clientSecret) throw new NotLoggedInError();
    this.redactor.register(clientSecret);
    return { clientId, clientSecret };
  }

  private urls(state: ConnectorState): ResolvedUrls {
    return resolveEnvironmentUrls(state.environmentUrls);
  }

  private apiClient(
    state: ConnectorState,
    clientId: string,
    clientSecret: string,
  ): BitwardenApiClient {
    if (!clientId.startsWith('organization.')) {
      throw new BwdcError(
        'BITWARDEN_AUTH_FAILED',
        'The client id must be an organization API key, like organization.<id>.',
      );
    }
    return new BitwardenApiClient({
      urls: this.urls(state),
      clientId,
      clientSecret,
      deviceIdentifier: state.appId,
      version: this.runtime.version,
      logger: this.logger,
      ...(this.runtime.fetch ? { fetch: this.runtime.fetch } : {}),
    });
  }
}
