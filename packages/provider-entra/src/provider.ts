import {
  DirectoryType,
  throwIfCancelled,
  type DirectorySnapshot,
  type EntraConfig,
  type Logger,
  type SyncConfig,
} from '@bwdc/core';
import {
  resilienceOf,
  type DirectoryProvider,
  type FetchRequest,
  type FilterSyntax,
  type ResilienceIo,
} from '@bwdc/directory-provider';
import { ENTRA_RETRY_POLICY, GraphReader, fetchTrusting } from './client';
import { DeltaExpired, decodeCursor } from './delta';
import { ENTRA_FILTER_SYNTAX, parseGroupFilter, parseUserFilter } from './filters';
import { CALLS, EntraRead } from './read';
import { resolveSettings } from './settings';
import { ClientCredentialsToken } from './token';

/**
 * Seams for tests and unusual networks; production passes nothing. `retry` overrides
 * `ENTRA_RETRY_POLICY`, for the token request and every Graph call.
 */
export interface EntraIo extends ResilienceIo {
  /** Replaces the global fetch for the token and Graph calls. */
  readonly fetch?: typeof fetch;
  /**
   * Extra certificate authority (PEM) to trust for the token endpoint and Graph, e.g. a test
   * emulator's or a TLS-inspecting proxy's. Used only when `fetch` is not given.
   */
  readonly ca?: string | Buffer;
}

/**
 * Entra ID (Azure AD) through Microsoft Graph with an app registration's client credentials.
 *
 * A full read lists users (`/users`, after opening a user delta round with `$deltatoken=latest`)
 * and reads groups with their direct members through the initial group delta round (nested
 * groups stay references for the engine to flatten). The two delta links become the cursor. An
 * incremental read follows them: changed users, deleted users (`deleted: true`) and changed
 * groups with their whole membership re-read, as a snapshot with `complete: false`. The cursor
 * is only returned; the engine commits it after a successful sync.
 */
export class EntraDirectoryProvider implements DirectoryProvider {
  readonly type = DirectoryType.EntraId;
  readonly filterSyntax: FilterSyntax = ENTRA_FILTER_SYNTAX;
  private connection: { token: ClientCredentialsToken; graph: GraphReader } | undefined;

  constructor(
    private readonly config: EntraConfig,
    private readonly sync: SyncConfig,
    private readonly logger: Logger,
    private readonly io: EntraIo = {},
  ) {}

  /** Signs in and reads one user (and one group when groups are synced) to prove the permissions. */
  async verify(signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal, 'Entra verification');
    // A filter mistake is a setup mistake too; say so before the first sync.
    parseUserFilter(this.sync.userFilter);
    parseGroupFilter(this.sync.groupFilter);
    const { token, graph } = this.connect();
    await token.get(signal);
    await graph.get(`/users?$select=id&$top=1`, CALLS.users, signal);
    if (this.sync.groups) await graph.get(`/groups?$select=id&$top=1`, CALLS.groups, signal);
  }

  async fetch(request: FetchRequest): Promise<DirectorySnapshot> {
    throwIfCancelled(request.signal, 'Entra read');
    const userFilter = parseUserFilter(this.sync.userFilter);
    const groupFilter = parseGroupFilter(this.sync.groupFilter);
    const warnings: string[] = [];
    const read = new EntraRead(this.connect().graph, request, userFilter, groupFilter, warnings);

    if (request.mode === 'incremental') {
      const prior = decodeCursor(request.cursor);
      const usable = prior && (!request.users || prior.users) && (!request.groups || prior.groups);
      if (usable) {
        try {
          return await read.incremental(prior);
        } catch (error) {
          if (!(error instanceof DeltaExpired)) throw error;
          warnings.push(
            `Entra no longer accepts the saved delta link (${error.what}); doing a full read instead.`,
          );
        }
      } else {
        warnings.push(
          request.cursor === undefined
            ? 'No Entra delta link saved yet; doing a full read.'
            : 'The saved Entra cursor does not cover what this sync reads; doing a full read.',
        );
      }
    }
    return read.full();
  }

  private connect(): { token: ClientCredentialsToken; graph: GraphReader } {
    if (this.connection) return this.connection;
    const settings = resolveSettings(this.config);
    const fetchFn =
      this.io.fetch ?? (this.io.ca !== undefined ? fetchTrusting(this.io.ca) : globalThis.fetch);
    const resilience = resilienceOf(ENTRA_RETRY_POLICY, this.io);
    const token = new ClientCredentialsToken(
      settings.endpoints,
      settings.tenant,
      settings.applicationId,
      settings.key,
      fetchFn,
      this.logger,
      resilience,
    );
    const graph = new GraphReader(
      settings.endpoints.graphUrl,
      token,
      fetchFn,
      resilience.policy,
      (event) =>
        this.logger.warn('Microsoft Graph asked to retry later; waiting as its Retry-After says', {
          ...event,
        }),
      resilience.timer,
    );
    this.connection = { token, graph };
    return this.connection;
  }
}
