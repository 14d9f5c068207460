import {
  DirectoryType,
  throwIfCancelled,
  type DirectorySnapshot,
  type Logger,
  type OneLoginConfig,
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
import { ONELOGIN_RETRY_POLICY, OneLoginClient } from './client';
import { OneLoginRead, listCall } from './read';
import { resolveSettings, type OneLoginSettings } from './settings';

/** `retry` overrides `ONELOGIN_RETRY_POLICY`. */
export interface OneLoginProviderIo extends ResilienceIo {
  fetch?: typeof fetch;
}

/**
 * Reads users and roles (as groups) from OneLogin's REST API with client-credentials auth.
 * Every read is a full read.
 */
export class OneLoginDirectoryProvider implements DirectoryProvider {
  readonly type = DirectoryType.OneLogin;
  readonly filterSyntax = OFFICIAL_FILTER_SYNTAX;
  private connection: { settings: OneLoginSettings; client: OneLoginClient } | undefined;

  constructor(
    private readonly config: OneLoginConfig,
    private readonly sync: SyncConfig,
    private readonly logger: Logger,
    private readonly io: OneLoginProviderIo = {},
  ) {}

  async verify(signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal, 'OneLogin verification');
    const { settings, client } = this.connect();
    // A fresh sign-in proves the credentials, not a token left from an earlier read.
    client.signOut();
    await client.page(
      listCall(settings.apiUrl, '/api/1/users', 'Reading users').href,
      { what: 'Reading users' },
      signal,
    );
  }

  async fetch(request: FetchRequest): Promise<DirectorySnapshot> {
    throwIfCancelled(request.signal, 'The OneLogin read');
    const filters = {
      users: parseFilter(this.sync.userFilter).native,
      groups: parseFilter(this.sync.groupFilter).native,
    };
    const { settings, client } = this.connect();
    const startCount = client.requestCount;
    const read = new OneLoginRead(client, settings.apiUrl, this.sync, request);
    const { users, groups } = await read.run(filters);
    this.logger.info('Read OneLogin directory', {
      users: users?.length,
      groups: groups?.length,
      requests: client.requestCount - startCount,
    });
    return { users, groups, complete: true, cursor: undefined, warnings: [] };
  }

  private connect(): { settings: OneLoginSettings; client: OneLoginClient } {
    if (this.connection) return this.connection;
    const settings = resolveSettings(this.config);
    const client = new OneLoginClient(settings, this.logger, {
      fetch: this.io.fetch ?? globalThis.fetch,
      ...resilienceOf(ONELOGIN_RETRY_POLICY, this.io),
    });
    this.connection = { settings, client };
    return this.connection;
  }
}
