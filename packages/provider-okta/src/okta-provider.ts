import { Agent } from 'node:https';
import {
  DirectoryType,
  isLoopbackHost,
  throwIfCancelled,
  type DirectoryGroup,
  type DirectorySnapshot,
  type DirectoryUser,
  type Logger,
  type OktaConfig,
  type SyncConfig,
} from '@bwdc/core';
import {
  parseFilter,
  type DirectoryProvider,
  type FetchProgress,
  type FetchRequest,
} from '@bwdc/directory-provider';
import { Client } from '@okta/okta-sdk-nodejs';
import { OktaError, toOktaError } from './errors';
import { RateLimitGovernor } from './rate-limit';
import { GovernedRequestExecutor } from './request-executor';

export interface OktaProviderIo {
  /** Extra CA certificate(s), PEM, trusted for the org URL (a TLS-inspecting proxy, a test emulator). */
  ca?: string | Buffer;
  /** Waits between rate-limited calls; tests inject a fast one. */
  sleep?: (ms: number) => Promise<void>;
  /** Replaces the SDK's node-fetch transport; `ca` does not apply to it. */
  fetch?: typeof fetch;
  /** Share (0..1] of each Okta rate-limit bucket this connector may use per window. Default 0.5. */
  rateLimitShare?: number;
  /** Group member lists read at once. Default 4. */
  memberConcurrency?: number;
  /** Retries of a 429 or transient 5xx per call. Default 4. */
  maxRetries?: number;
}

/** Okta's maximum page for the users list. */
const USER_PAGE = 200;
const GROUP_PAGE = 200;
/** Okta's maximum page for a group's members. */
const MEMBER_PAGE = 1000;

interface OktaUserLike {
  id?: string;
  status?: string;
  profile?: { email?: string | null };
}
interface OktaGroupLike {
  id?: string;
  profile?: { name?: string | null };
}

/**
 * Reads users and groups from Okta through the official SDK (`@okta/okta-sdk-nodejs`).
 * Users: `GET /api/v1/users?limit=200` plus the DEPROVISIONED users Okta leaves out of an
 * unfiltered list; groups: `GET /api/v1/groups` and each group's `/users`. Incremental reads
 * (`mode: 'incremental'` with the cursor of an earlier read, an ISO time) ask only for entries
 * whose `lastUpdated` (groups also `lastMembershipUpdated`) is later.
 */
export class OktaDirectoryProvider implements DirectoryProvider {
  readonly type = DirectoryType.Okta;
  private readonly orgUrl: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly share: number;
  private readonly concurrency: number;
  private readonly maxRetries: number;
  private agent: Agent | undefined;

  constructor(
    private readonly config: OktaConfig,
    private readonly sync: SyncConfig,
    private readonly logger: Logger,
    private readonly io: OktaProviderIo = {},
  ) {
    this.orgUrl = (config.orgUrl ?? '').replace(/\/+$/, '');
    this.sleep = io.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    // `okta.rateLimitShare` is read when the config schema carries it; until then the io option sets it.
    const configured = (config as OktaConfig & { rateLimitShare?: number }).rateLimitShare;
    this.share = io.rateLimitShare ?? configured ?? 0.5;
    this.concurrency = Math.max(1, io.memberConcurrency ?? 4);
    this.maxRetries = Math.max(0, io.maxRetries ?? 4);
  }

  async verify(signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal, 'Okta verification');
    const { client } = this.connect(signal);
    try {
      const users = await client.userApi.listUsers({ limit: 1 });
      await users.next();
    } catch (error) {
      throw toOktaError(error, this.orgUrl, 'Reading users');
    }
  }

  async fetch(request: FetchRequest): Promise<DirectorySnapshot> {
    const { signal } = request;
    throwIfCancelled(signal, 'The Okta read');
    const userFilter = parseFilter(this.sync.userFilter).native;
    const groupFilter = parseFilter(this.sync.groupFilter).native;
    const since = request.mode === 'incremental' ? parseCursor(request.cursor) : undefined;
    const { client, executor } = this.connect(signal);
    const warnings: string[] = [];

    let users: DirectoryUser[] | undefined;
    if (request.users) {
      users = await this.readUsers(client, userFilter, since, request);
    }
    let groups: DirectoryGroup[] | undefined;
    if (request.groups) {
      groups = await this.readGroups(client, groupFilter, since, request, warnings);
    }

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

  private connect(signal: AbortSignal | undefined): {
    client: Client;
    executor: GovernedRequestExecutor;
  } {
    if (!this.orgUrl) {
      throw new OktaError('DIRECTORY_NOT_CONFIGURED', 'okta', 'okta.orgUrl is not set', {
        actions: ['Set okta.orgUrl to your Okta org, e.g. https://example.okta.com.'],
      });
    }
    let url: URL;
    try {
      url = new URL(this.orgUrl);
    } catch (cause) {
      throw new OktaError('DIRECTORY_NOT_CONFIGURED', this.orgUrl, 'okta.orgUrl is not a URL', {
        cause,
      });
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
      throw new OktaError(
        'DIRECTORY_NOT_CONFIGURED',
        this.orgUrl,
        'okta.orgUrl must be an https:// URL',
      );
    }
    if (!this.config.token) {
      throw new OktaError('DIRECTORY_NOT_CONFIGURED', this.orgUrl, 'okta.token is not set', {
        actions: [
          'Create an API token in the Okta Admin Console (Security > API > Tokens) and save it as okta.token.',
        ],
      });
    }
    if (this.io.ca && url.protocol === 'https:' && !this.agent) {
      this.agent = new Agent({ ca: this.io.ca, keepAlive: true });
    }
    const executor = new GovernedRequestExecutor({
      orgUrl: this.orgUrl,
      governor: new RateLimitGovernor(this.share, this.sleep),
      sleep: this.sleep,
      logger: this.logger,
      maxRetries: this.maxRetries,
      agent: this.agent,
      fetch: this.io.fetch,
      signal,
    });
    const client = new Client({
      orgUrl: this.orgUrl,
      token: this.config.token,
      authorizationMode: 'SSWS',
      requestExecutor: executor,
      // The SDK's default cache would answer a second read from memory.
      cacheMiddleware: null,
    });
    return { client, executor };
  }

  private async readUsers(
    client: Client,
    native: string | undefined,
    since: string | undefined,
    request: FetchRequest,
  ): Promise<DirectoryUser[]> {
    const base = and(native, since && `lastUpdated gt "${since}"`);
    // Okta omits DEPROVISIONED users from an unfiltered list; ask for them separately and
    // merge by id, which is also safe where a filter does return them.
    const queries = [base, and(base, 'status eq "DEPROVISIONED"')];
    const byId = new Map<string, DirectoryUser>();
    for (const filter of queries) {
      await this.each(
        () => client.userApi.listUsers({ filter, limit: USER_PAGE }),
        (user: OktaUserLike) => {
          if (user.id) byId.set(user.id, toDirectoryUser(user));
        },
        {
          phase: 'users',
          request,
          base: byId.size,
          what: 'Reading users',
          filterSetting: native ? 'sync.userFilter' : undefined,
        },
      );
    }
    return [...byId.values()];
  }

  private async readGroups(
    client: Client,
    native: string | undefined,
    since: string | undefined,
    request: FetchRequest,
    warnings: string[],
  ): Promise<DirectoryGroup[]> {
    const filter = and(
      native,
      since && `(lastUpdated gt "${since}" or lastMembershipUpdated gt "${since}")`,
    );
    const found: { id: string; name: string }[] = [];
    await this.each(
      () => client.groupApi.listGroups({ filter, limit: GROUP_PAGE }),
      (group: OktaGroupLike) => {
        if (!group.id) return;
        const name = group.profile?.name ?? '';
        if (!name) warnings.push(`Okta group ${group.id} has no name`);
        found.push({ id: group.id, name });
      },
      {
        phase: 'groups',
        request,
        base: 0,
        what: 'Reading groups',
        filterSetting: native ? 'sync.groupFilter' : undefined,
      },
    );

    // Members of several groups at once: the governor paces them, where upstream slept 500 ms per group.
    const groups: DirectoryGroup[] = new Array(found.length);
    let next = 0;
    let done = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      // One failure ends the read; the other workers stop at their next group.
      while (!failed && next < found.length) {
        const index = next++;
        const group = found[index]!;
        const members: string[] = [];
        try {
          await this.each(
            () => client.groupApi.listGroupUsers({ groupId: group.id, limit: MEMBER_PAGE }),
            (user: OktaUserLike) => {
              if (user.id) members.push(user.id);
            },
            { request, what: `Reading the members of group "${group.name}"` },
          );
        } catch (error) {
          // A group deleted between the list and its members is gone, not a failed read.
          if (error instanceof OktaError && error.status === 404) {
            warnings.push(
              `Okta group "${group.name}" (${group.id}) disappeared during the read; left out`,
            );
            done++;
            continue;
          }
          failed = true;
          throw error;
        }
        groups[index] = {
          externalId: group.id,
          referenceId: group.id,
          name: group.name,
          userMemberExternalIds: members,
          groupMemberReferenceIds: [],
        };
        done++;
        this.progress(request, { phase: 'members', done, total: found.length });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, found.length) }, worker));
    return groups.filter((group) => group !== undefined);
  }

  /** Iterates an SDK collection (which follows `Link: rel="next"`), reporting progress per page. */
  private async each<T>(
    open: () => Promise<AsyncIterable<T | null>>,
    visit: (item: T) => void,
    context: {
      request: FetchRequest;
      what: string;
      phase?: FetchProgress['phase'];
      base?: number;
      filterSetting?: string;
    },
  ): Promise<void> {
    const { request, phase } = context;
    try {
      let count = 0;
      for await (const item of await open()) {
        if (item) visit(item);
        count++;
        if (phase && count % USER_PAGE === 0)
          this.progress(request, { phase, done: (context.base ?? 0) + count });
        throwIfCancelled(request.signal, 'The Okta read');
      }
      if (phase) this.progress(request, { phase, done: (context.base ?? 0) + count });
    } catch (error) {
      throw toOktaError(error, this.orgUrl, context.what, context.filterSetting);
    }
  }

  private progress(request: FetchRequest, progress: FetchProgress): void {
    request.onProgress?.(progress);
    throwIfCancelled(request.signal, 'The Okta read');
  }
}

function toDirectoryUser(user: OktaUserLike): DirectoryUser {
  const email = user.profile?.email?.trim().toLowerCase();
  return {
    externalId: user.id!,
    referenceId: user.id!,
    email: email || undefined,
    disabled: user.status === 'SUSPENDED',
    deleted: user.status === 'DEPROVISIONED',
  };
}

function and(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b || undefined;
  if (!b) return a;
  return `(${a}) and ${b}`;
}

/** The cursor is an ISO instant; Okta wants milliseconds and a Z. Anything else means a full read. */
function parseCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const time = Date.parse(cursor);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
