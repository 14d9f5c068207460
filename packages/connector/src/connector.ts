import {
  BwdcError,
  DIRECTORY_SECTIONS,
  LOGIN_SECRET_KEYS,
  SECTION_OF_TYPE,
  SecretRedactor,
  DirectoryType,
  parseConfig,
  parseDirectoryConfig,
  type DirectoryConfig,
  type Logger,
  type SyncCheckpoint,
  type SyncConfig,
} from '@bwdc/core';
import type { ResolvedUrls } from '@bwdc/bitwarden-api';
import type { DirectoryProvider } from '@bwdc/directory-provider';
import {
  SecretStoreUnavailableError,
  secretEnvSource,
  type SecretStore,
} from '@bwdc/secure-storage';
import { clearSyncCache, selectTarget, type ConnectorState, type StateStore } from '@bwdc/state';
import {
  toTestResponse,
  type CheckpointStore,
  type SyncEngine,
  type GuardVerdict,
  type OrganizationChanges,
  type SyncProgress,
  type SyncReport,
  type TestResponse,
} from '@bwdc/sync-engine';
import { inject, injectable } from 'tsyringe';
import { ConfigService } from './config-service';
import { readDirectorySecret } from './directory-secrets';
import { NoDirectoryError, NotLoggedInError } from './errors';
import { bitwardenApi } from './lazy';
import {
  BITWARDEN_CLIENT_FACTORY,
  DIRECTORY_PROVIDER_FACTORY,
  LOGGER,
  REDACTOR,
  RUNTIME,
  SECRET_STORE,
  STATE_STORE,
  SYNC_ENGINE_FACTORY,
  type BitwardenClient,
  type BitwardenClientFactory,
  type ConnectorRuntime,
  type DirectoryProviderFactory,
  type SyncEngineFactory,
} from './tokens';

export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SyncProgress) => void;
}

/** What the safety guard would say about a sync of the plan, for a person to read before it. */
export type GuardSummary = Pick<
  GuardVerdict,
  'refused' | 'forceable' | 'reason' | 'check' | 'groupLosses'
>;

/** `bwdc test`: the official JSON, and the guard's verdict on the same plan. */
export interface TestReport {
  readonly test: TestResponse;
  /** Whether a sync would be refused, with every removal and group loss it counted. */
  readonly guard: GuardSummary & Pick<GuardVerdict, 'removals'>;
}

/** `bwdc test --changes`: the plan and what it would change in the organization. */
export interface ChangesReport {
  /** The official `bwdc test` JSON of the same directory read, when asked for (`withTest`). */
  readonly test: TestResponse | undefined;
  /** What a sync would change; undefined only with `optional`, when the organization could not be read. */
  readonly changes: OrganizationChanges | undefined;
  /** Why the organization could not be read (with `optional`). */
  readonly unavailable: string | undefined;
  /** Whether the safety guard would refuse the sync, why, and the groups it would take members from. */
  readonly guard: GuardSummary;
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
  constructor(
    @inject(STATE_STORE) private readonly state: StateStore,
    @inject(SECRET_STORE) private readonly secrets: SecretStore,
    @inject(REDACTOR) private readonly redactor: SecretRedactor,
    /** Every setting by the names admins type, validated; secrets go to the secret store. */
    @inject(ConfigService) readonly config: ConfigService,
    @inject(DIRECTORY_PROVIDER_FACTORY) private readonly providers: DirectoryProviderFactory,
    @inject(BITWARDEN_CLIENT_FACTORY) private readonly bitwarden: BitwardenClientFactory,
    @inject(SYNC_ENGINE_FACTORY) private readonly engines: SyncEngineFactory,
    @inject(LOGGER) private readonly logger: Logger,
    @inject(RUNTIME) private readonly runtime: ConnectorRuntime,
  ) {}

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
   * Checks the organization API key against the server, then keeps it as the official connector
   * does: the key and the access token in the secret store (the official connector counts a
   * stored access token as being logged in), the organization in data.json. A different
   * organization than before starts from an empty sync cache; the same one keeps it.
   */
  async login(
    clientId: string,
    clientSecret: string,
    signal?: AbortSignal,
  ): Promise<{ organizationId: string }> {
    this.redactor.register(clientSecret);
    const state = await this.state.read();
    const api = await this.apiClient(state, clientId.trim(), clientSecret.trim());
    let accessToken: string | undefined;
    try {
      await api.login(signal);
      accessToken = api.accessToken;
    } finally {
      await api.close();
    }
    this.redactor.register(accessToken);
    await this.secrets.set(LOGIN_SECRET_KEYS.apiKeyClientId, clientId.trim());
    await this.secrets.set(LOGIN_SECRET_KEYS.apiKeyClientSecret, clientSecret.trim());
    // A refresh token of an earlier login would renew that login's token, not this one's.
    await this.secrets.delete(LOGIN_SECRET_KEYS.refreshToken);
    if (accessToken !== undefined)
      await this.secrets.set(LOGIN_SECRET_KEYS.accessToken, accessToken);
    await this.state.update((current) => ({
      ...selectTarget(current, { organizationId: api.organizationId }),
      entityId: api.organizationId,
      loggedOut: undefined,
    }));
    return { organizationId: api.organizationId };
  }

  /**
   * Clears what the official connector's logout clears (the API key and the tokens) and keeps
   * the rest: the organization, so logging in to it again keeps the last sync times and cursors.
   */
  async logout(): Promise<void> {
    for (const key of Object.values(LOGIN_SECRET_KEYS)) await this.secrets.delete(key);
    await this.state.update((state) => ({ ...state, loggedOut: true }));
  }

  /** A simulated sync: what would be sent, changing nothing. Full unless `sinceLast`. */
  async test(options: RunOptions & { sinceLast?: boolean } = {}): Promise<TestResponse> {
    return (await this.testReport(options)).test;
  }

  /**
   * `test()` with the safety guard's verdict on the same plan: whether a sync would be refused,
   * and whom and which groups it would take away. With overwriteExisting, or groups the last sync
   * did not record, the organization is read for it (as a sync would); nothing is sent.
   */
  async testReport(options: RunOptions & { sinceLast?: boolean } = {}): Promise<TestReport> {
    const state = await this.state.read();
    const checkpoints = { load: async () => state.checkpoint, commit: async () => {} };
    return this.withEngine(state, checkpoints, async (engine) => {
      const plan = await engine.test({
        sinceLast: options.sinceLast,
        signal: options.signal,
        onProgress: options.onProgress,
      });
      const { refused, forceable, reason, check, groupLosses, removals } = plan.guard;
      return {
        test: toTestResponse(plan),
        guard: { refused, forceable, reason, check, groupLosses, removals },
      };
    });
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
      const { refused, forceable, reason, check, groupLosses } = plan.guard;
      return {
        test: options.withTest ? toTestResponse(plan) : undefined,
        changes,
        unavailable,
        guard: { refused, forceable, reason, check, groupLosses },
        warnings: plan.warnings,
      };
    });
  }

  /**
   * Reads the directory and sends what changed. `force` lets a run through the safety guard and
   * sends everything again even when nothing changed since the last sync. Holds the data folder's
   * lock throughout, so two syncs never interleave.
   */
  async sync(options: RunOptions & { force?: boolean } = {}): Promise<SyncReport> {
    return this.state.withLock(async () => {
      const state = await this.state.read();
      const checkpoints = {
        load: async () => state.checkpoint,
        commit: async (checkpoint: SyncCheckpoint) => {
          await this.state.save((current) => ({ ...current, checkpoint }));
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
    for (const warning of await this.config.standingWarnings(state)) this.logger.warn(warning);
    const { provider, sync } = await this.directory(state);
    const { clientId, clientSecret } = await this.apiKey();
    const urls = await this.urls(state);
    const api = await this.apiClient(state, clientId, clientSecret);
    try {
      return await run(
        this.engines({
          provider,
          api,
          checkpoints,
          config: sync,
          context: { organizationId: state.organizationId!, apiUrl: urls.api },
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
    const secretField = DIRECTORY_SECTIONS[section].secret?.field;
    if (secretField) raw[secretField] = secret ?? null;
    const directory: DirectoryConfig = parseDirectoryConfig(state.directoryType, raw);
    // LDAP defaults for unset classes and attributes are the provider's to apply, as it reads.
    const sync = parseConfig('sync', state.sync);
    return { provider: await this.providers(directory, sync), sync };
  }

  /**
   * Logged in, as the official connector counts it: an organization in data.json and an access
   * token in the secret store. Where no store can keep a login (no keychain; the API key comes
   * from the environment), the key in the environment is the login until `logout`.
   */
  private async isLoggedIn(state: ConnectorState): Promise<boolean> {
    if (!state.organizationId) return false;
    try {
      return (await this.secrets.get(LOGIN_SECRET_KEYS.accessToken)) !== undefined;
    } catch (error) {
      if (!(error instanceof SecretStoreUnavailableError)) throw error;
      const env = this.runtime.env;
      const keyInEnvironment =
        secretEnvSource(LOGIN_SECRET_KEYS.apiKeyClientId, env) !== undefined &&
        secretEnvSource(LOGIN_SECRET_KEYS.apiKeyClientSecret, env) !== undefined;
      if (!keyInEnvironment) throw error;
      return !state.loggedOut;
    }
  }

  private async apiKey(): Promise<{ clientId: string; clientSecret: string }> {
    const clientId = await this.secrets.get(LOGIN_SECRET_KEYS.apiKeyClientId);
    const clientSecret = await this.secrets.get(LOGIN_SECRET_KEYS.apiKeyClientSecret);
    if (!clientId || !clientSecret) throw new NotLoggedInError();
    this.redactor.register(clientSecret);
    return { clientId, clientSecret };
  }

  private async urls(state: ConnectorState): Promise<ResolvedUrls> {
    return (await bitwardenApi()).resolveEnvironmentUrls(state.environmentUrls);
  }

  private async apiClient(
    state: ConnectorState,
    clientId: string,
    clientSecret: string,
  ): Promise<BitwardenClient> {
    if (!clientId.startsWith('organization.')) {
      throw new BwdcError(
        'BITWARDEN_AUTH_FAILED',
        'The client id must be an organization API key, like organization.<id>.',
      );
    }
    return this.bitwarden({
      urls: await this.urls(state),
      clientId,
      clientSecret,
      deviceIdentifier: state.appId,
    });
  }
}
