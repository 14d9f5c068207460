import {
  DirectoryType,
  throwIfCancelled,
  type DirectoryGroup,
  type DirectorySnapshot,
  type DirectoryUser,
  type GSuiteConfig,
  type Logger,
  type SyncConfig,
} from '@bwdc/core';
import {
  OFFICIAL_FILTER_SYNTAX,
  parseFilter,
  resilienceOf,
  type DirectoryProvider,
  type FetchRequest,
  type ResilienceIo,
} from '@bwdc/directory-provider';
import { GOOGLE_RETRY_POLICY, GoogleClient } from './client';
import { GoogleRead } from './read';
import { resolveSettings, sourceOf, type GoogleSettings } from './settings';

/** I/O seams and tuning; tests inject a fetch and a fast sleep. `retry` overrides `GOOGLE_RETRY_POLICY`. */
export interface GoogleProviderIo extends ResilienceIo {
  /** Used for the token request and, through gaxios, for every API call. */
  fetch?: typeof fetch;
  /** Jitter source in [0, 1); default Math.random. */
  random?: () => number;
  /** Member lists fetched at once; default 4. */
  memberConcurrency?: number;
}

/**
 * Google Workspace through the Admin SDK Directory API (googleapis' `@googleapis/admin`), as a
 * service account with domain-wide delegation acting as `gsuite.adminUser`, with the three
 * read-only directory scopes.
 *
 * Google has no change feed for these calls: every read is full, `mode: 'incremental'` included.
 */
export class GoogleDirectoryProvider implements DirectoryProvider {
  readonly type = DirectoryType.GSuite;
  readonly filterSyntax = OFFICIAL_FILTER_SYNTAX;
  private connection: { settings: GoogleSettings; client: GoogleClient } | undefined;

  constructor(
    private readonly config: GSuiteConfig,
    private readonly sync: SyncConfig,
    private readonly logger: Logger,
    private readonly io: GoogleProviderIo = {},
  ) {}

  /** Names the account in messages: the customer id or domain the admin configured. */
  get source(): string {
    return sourceOf(this.config);
  }

  async verify(signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal, 'Google Workspace verification');
    await this.reader({ signal }).probe();
  }

  async fetch(request: FetchRequest): Promise<DirectorySnapshot> {
    const signal = request.signal;
    throwIfCancelled(signal, 'Google Workspace read');
    const userQuery = parseFilter(this.sync.userFilter).native;
    const groupQuery = parseFilter(this.sync.groupFilter).native;
    const read = this.reader(request);
    if (request.mode === 'incremental') {
      this.logger.debug('Google Workspace has no incremental read; reading everything.', {
        source: this.source,
      });
    }

    let users: DirectoryUser[] | undefined;
    if (request.users) users = await read.allUsers(userQuery);

    let groups: DirectoryGroup[] | undefined;
    if (request.groups) {
      // CUSTOMER members mean "everyone"; without a user read they need one, made at most once.
      let everyone: Promise<readonly DirectoryUser[]> | undefined;
      const everyoneActive = async (): Promise<readonly string[]> => {
        everyone ??= users ? Promise.resolve(users) : read.users(userQuery, false);
        return (await everyone).filter((u) => !u.deleted && !u.disabled).map((u) => u.externalId);
      };
      groups = await read.groups(groupQuery, everyoneActive);
    }
    throwIfCancelled(signal, 'Google Workspace read');
    return { users, groups, complete: true, cursor: undefined, warnings: read.warnings };
  }

  /** A read with the settings checked once and one client (and token) kept across reads. */
  private reader(request: Pick<FetchRequest, 'signal' | 'onProgress'>): GoogleRead {
    if (!this.connection) {
      const settings = resolveSettings(this.config, this.logger);
      const client = new GoogleClient(settings, this.source, this.logger, {
        fetch: this.io.fetch ?? ((input, init) => fetch(input, init)),
        ...resilienceOf(GOOGLE_RETRY_POLICY, this.io),
        ...(this.io.random ? { random: this.io.random } : {}),
      });
      this.connection = { settings, client };
    }
    const { settings, client } = this.connection;
    client.activeSignal = request.signal;
    return new GoogleRead(client, settings, request, Math.max(1, this.io.memberConcurrency ?? 4));
  }
}
