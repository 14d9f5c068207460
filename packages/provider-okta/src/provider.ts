import type { Agent } from 'node:https';
import { Agent as HttpsAgent } from 'node:https';
import {
  DirectoryType,
  throwIfCancelled,
  type DirectorySnapshot,
  type Logger,
  type OktaConfig,
  type SyncConfig,
} from '@bwdc/core';
import {
  OFFICIAL_FILTER_SYNTAX,
  parseFilter,
  resilienceOf,
  type DirectoryProvider,
  type FetchRequest,
  type OfficialSyncTimes,
  type ResilienceIo,
} from '@bwdc/directory-provider';
import { OKTA_RETRY_POLICY, connectOkta } from './client';
import { toOktaError } from './errors';
import { OktaRead } from './read';
import { resolveSettings, type OktaSettings } from './settings';

/** `sleep` also paces the rate-limited calls; `retry` overrides `OKTA_RETRY_POLICY`. */
export interface OktaProviderIo extends ResilienceIo {
  /** Extra CA certificate(s), PEM, trusted for the org URL (a TLS-inspecting proxy, a test emulator). */
  ca?: string | Buffer;
  /** Replaces the SDK's node-fetch transport; `ca` does not apply to it. */
  fetch?: typeof fetch;
  /** Share (0..1] of each Okta rate-limit bucket this connector may use per window. Default 0.5. */
  rateLimitShare?: number;
  /** Group member lists read at once. Default 4. */
  memberConcurrency?: number;
}

/**
 * Reads users and groups from Okta through the official SDK (`@okta/okta-sdk-nodejs`) with
 * `SSWS` token auth. Incremental reads (`mode: 'incremental'` with the cursor of an earlier read,
 * an ISO time) ask only for what changed since.
 */
export class OktaDirectoryProvider implements DirectoryProvider {
  readonly type = DirectoryType.Okta;
  readonly filterSyntax = OFFICIAL_FILTER_SYNTAX;
  private settings: OktaSettings | undefined;
  private agent: Agent | undefined;

  constructor(
    private readonly config: OktaConfig,
    private readonly sync: SyncConfig,
    private readonly logger: Logger,
    private readonly io: OktaProviderIo = {},
  ) {}

  async verify(signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal, 'Okta verification');
    const { client } = this.connect(signal);
    try {
      const users = await client.userApi.listUsers({ limit: 1 });
      await users.next();
    } catch (error) {
      throw toOktaError(error, this.settings!.orgUrl, 'Reading users');
    }
  }

  /**
   * The official connector reads users updated since its lastUserSync and groups since its
   * lastGroupSync; the cursor is one time for both, so the earlier of the two.
   */
  cursorFromOfficialSync(
    times: OfficialSyncTimes,
    read: { readonly users: boolean; readonly groups: boolean },
  ): string | undefined {
    return officialCursor(times, read);
  }

  async fetch(request: FetchRequest): Promise<DirectorySnapshot> {
    const { signal } = request;
    throwIfCancelled(signal, 'The Okta read');
    const userFilter = parseFilter(this.sync.userFilter).native;
    const groupFilter = parseFilter(this.sync.groupFilter).native;
    const since = request.mode === 'incremental' ? parseCursor(request.cursor) : undefined;
    const { client, executor } = this.connect(signal);
    const warnings: string[] = [];
    const read = new OktaRead(
      client,
      this.settings!.orgUrl,
      request,
      Math.max(1, this.io.memberConcurrency ?? 4),
      warnings,
    );
    const users = request.users ? await read.users(userFilter, since) : undefined;
    const groups = request.groups ? await read.groups(groupFilter, since) : undefined;

    // Everything Okta changes from the start of this read on has a later lastUpdated; the
    // second of slack covers the Date header's whole-second resolution.
    const start = (executor.firstServerTime ?? Date.now()) - 1000;
    this.logger.info('Read Okta directory', {
      users: users?.length,
      groups: groups?.length,
      incremental: since !== undefined,
      requests: executor.requestCount,
    });
    return {
      users,
      groups,
      complete: since === undefined,
      cursor: new Date(start).toISOString(),
      warnings,
    };
  }

  private connect(signal: AbortSignal | undefined): ReturnType<typeof connectOkta> {
    this.settings ??= resolveSettings(this.config, this.io.rateLimitShare);
    const settings = this.settings;
    if (this.io.ca && settings.orgUrl.startsWith('https:') && !this.agent) {
      this.agent = new HttpsAgent({ ca: this.io.ca, keepAlive: true });
    }
    return connectOkta(
      settings,
      this.logger,
      {
        ...resilienceOf(OKTA_RETRY_POLICY, this.io),
        ...(this.agent ? { agent: this.agent } : {}),
        ...(this.io.fetch ? { fetch: this.io.fetch } : {}),
      },
      signal,
    );
  }
}

/** See `OktaDirectoryProvider.cursorFromOfficialSync`. */
export function officialCursor(
  times: OfficialSyncTimes,
  read: { readonly users: boolean; readonly groups: boolean },
): string | undefined {
  const kinds = [...(read.users ? [times.users] : []), ...(read.groups ? [times.groups] : [])];
  if (kinds.length === 0 || kinds.some((t) => t === undefined)) return undefined;
  return new Date(Math.min(...kinds.map((t) => t!.getTime()))).toISOString();
}

/** The cursor is an ISO instant; Okta wants milliseconds and a Z. Anything else means a full read. */
function parseCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const time = Date.parse(cursor);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
