import type { KeyObject } from 'node:crypto';
import {
  CancelledError,
  DirectoryType,
  isLoopbackHost,
  throwIfCancelled,
  type DirectoryGroup,
  type DirectorySnapshot,
  type DirectoryUser,
  type GSuiteConfig,
  type Logger,
  type SyncConfig,
} from '@bwdc/core';
import { parseFilter, type DirectoryProvider, type FetchRequest } from '@bwdc/directory-provider';
import { admin, type admin_directory_v1 } from '@googleapis/admin';
import { OAuth2Client } from 'google-auth-library';
import {
  describeHttpFailure,
  GoogleError,
  isRetryable,
  retryAfterMs,
  type HttpFailure,
} from './errors';
import { mapWithConcurrency } from './pool';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  defaultSleep,
  sleepUnlessCancelled,
  type RetryPolicy,
} from './retry';
import {
  GOOGLE_DIRECTORY_SCOPES,
  JWT_BEARER_GRANT,
  parsePrivateKey,
  signAssertion,
  tokenError,
} from './token';

export const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
export const DEFAULT_ROOT_URL = 'https://admin.googleapis.com/';

/** The most Google returns per page of each call; fewer pages means fewer requests against the quota. */
export const PAGE_SIZE = { users: 500, groups: 200, members: 200 } as const;

/** Field masks: only what the mapping reads, so pages stay small. */
export const FIELD_MASKS = {
  users: 'nextPageToken,users(id,primaryEmail,suspended,archived)',
  groups: 'nextPageToken,groups(id,email,name)',
  members: 'nextPageToken,members(id,type,status)',
} as const;

const LOOPBACK_URL = /^https?:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?\//i;

/** I/O seams and tuning; tests inject a fetch and a fast sleep. */
export interface GoogleProviderIo {
  /** Used for the token request and, through gaxios, for every API call. */
  fetch?: typeof fetch;
  /** Waits between retries; default a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); default Math.random. */
  random?: () => number;
  /** Member lists fetched at once; default 4. */
  memberConcurrency?: number;
  retry?: Partial<RetryPolicy>;
  /** Per-request timeout; default 60 s. */
  requestTimeoutMs?: number;
}

interface Settings {
  readonly clientEmail: string;
  readonly key: KeyObject;
  readonly adminUser: string;
  readonly customer: string | undefined;
  readonly domain: string | undefined;
  readonly tokenUri: string;
  readonly rootUrl: string;
}

interface ReadContext {
  readonly signal: AbortSignal | undefined;
  readonly onProgress: FetchRequest['onProgress'];
  readonly warnings: string[];
}

type ListCall = 'users.list' | 'groups.list' | 'members.list';

/**
 * Google Workspace through the Admin SDK Directory API (googleapis' `@googleapis/admin`).
 *
 * Auth is a service account with domain-wide delegation acting as `gsuite.adminUser`, with the
 * three read-only directory scopes. google-auth-library's JWT client always posts to Google's own
 * token URL, so the JWT-bearer exchange is done here (signed with node:crypto, posted to
 * `gsuite.tokenUri`) and handed to an OAuth2Client as its refresh handler.
 *
 * Google has no change feed for these calls: every read is full, `mode: 'incremental'` included.
 */
export class GoogleDirectoryProvider implements DirectoryProvider {
  readonly type = DirectoryType.GSuite;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly retryPolicy: RetryPolicy;
  private readonly memberConcurrency: number;
  private readonly timeoutMs: number;
  private settings: Settings | undefined;
  private client: { auth: OAuth2Client; directory: admin_directory_v1.Admin } | undefined;
  private pendingToken: Promise<{ access_token: string; expiry_date: number }> | undefined;
  /** The signal of the read in progress, so a token request inside it can be cancelled too. */
  private activeSignal: AbortSignal | undefined;

  constructor(
    private readonly config: GSuiteConfig,
    private readonly sync: SyncConfig,
    private readonly logger: Logger,
    io: GoogleProviderIo = {},
  ) {
    this.fetchImpl = io.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = io.sleep ?? defaultSleep;
    this.random = io.random ?? Math.random;
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...io.retry };
    this.memberConcurrency = Math.max(1, io.memberConcurrency ?? 4);
    this.timeoutMs = io.requestTimeoutMs ?? 60_000;
  }

  /** Names the account in messages: the customer id or domain the admin configured. */
  get source(): string {
    const scope = this.config.customer?.trim() || this.config.domain?.trim();
    return scope ? `Google Workspace ${scope}` : 'Google Workspace';
  }

  async verify(signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal, 'Google Workspace verification');
    this.activeSignal = signal;
    const ctx: ReadContext = { signal, onProgress: undefined, warnings: [] };
    const { directory } = this.connect();
    const scope = this.scopeParams();
    // One smallest page of each call proves the key, the delegation, the admin's rights and the API.
    await this.call(ctx, 'users.list', undefined, (options) =>
      directory.users.list({ ...scope, maxResults: 1, fields: 'users(id)' }, options),
    );
    await this.call(ctx, 'groups.list', undefined, (options) =>
      directory.groups.list({ ...scope, maxResults: 1, fields: 'groups(id)' }, options),
    );
  }

  async fetch(request: FetchRequest): Promise<DirectorySnapshot> {
    const signal = request.signal;
    throwIfCancelled(signal, 'Google Workspace read');
    this.activeSignal = signal;
    const userQuery = parseFilter(this.sync.userFilter).native;
    const groupQuery = parseFilter(this.sync.groupFilter).native;
    const ctx: ReadContext = { signal, onProgress: request.onProgress, warnings: [] };
    this.connect();
    if (request.mode === 'incremental') {
      this.logger.debug('Google Workspace has no incremental read; reading everything.', {
        source: this.source,
      });
    }

    let users: DirectoryUser[] | undefined;
    if (request.users) users = await this.readAllUsers(ctx, userQuery);

    let groups: DirectoryGroup[] | undefined;
    if (request.groups) {
      // CUSTOMER members mean "everyone"; without a user read they need one, made at most once.
      let everyone: Promise<readonly DirectoryUser[]> | undefined;
      const everyoneActive = async (): Promise<readonly string[]> => {
        everyone ??= users ? Promise.resolve(users) : this.readUsers(ctx, userQuery, false);
        return (await everyone).filter((u) => !u.deleted && !u.disabled).map((u) => u.externalId);
      };
      groups = await this.readGroups(ctx, groupQuery, everyoneActive);
    }
    throwIfCancelled(signal, 'Google Workspace read');
    return { users, groups, complete: true, cursor: undefined, warnings: ctx.warnings };
  }

  // ---- users ----------------------------------------------------------------------------------

  /** Active and suspended users, then deleted ones: Google returns deleted users only when asked. */
  private async readAllUsers(
    ctx: ReadContext,
    query: string | undefined,
  ): Promise<DirectoryUser[]> {
    const live = await this.readUsers(ctx, query, false);
    const deleted = await this.readUsers(ctx, query, true, live.length);
    return [...live, ...deleted];
  }

  private async readUsers(
    ctx: ReadContext,
    query: string | undefined,
    deleted: boolean,
    offset = 0,
  ): Promise<DirectoryUser[]> {
    const { directory } = this.connect();
    const scope = this.scopeParams();
    const out: DirectoryUser[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.call(ctx, 'users.list', query, (options) =>
        directory.users.list(
          {
            ...scope,
            maxResults: PAGE_SIZE.users,
            ...(pageToken ? { pageToken } : {}),
            ...(query ? { query } : {}),
            ...(deleted ? { showDeleted: 'true' } : {}),
            fields: FIELD_MASKS.users,
          },
          options,
        ),
      );
      for (const user of page.users ?? []) {
        const mapped = this.mapUser(user, deleted, ctx);
        if (mapped) out.push(mapped);
      }
      pageToken = page.nextPageToken ?? undefined;
      this.progress(ctx, { phase: 'users', done: offset + out.length });
    } while (pageToken);
    return out;
  }

  private mapUser(
    user: admin_directory_v1.Schema$User,
    deleted: boolean,
    ctx: ReadContext,
  ): DirectoryUser | undefined {
    if (!user.id) return undefined;
    const email = user.primaryEmail?.trim().toLowerCase() || undefined;
    if (!email && !deleted) {
      ctx.warnings.push(`Google user ${user.id} has no primary email and was skipped.`);
      return undefined;
    }
    return {
      externalId: user.id,
      referenceId: user.id,
      email,
      disabled: user.suspended === true || user.archived === true,
      deleted,
    };
  }

  // ---- groups ---------------------------------------------------------------------------------

  private async readGroups(
    ctx: ReadContext,
    query: string | undefined,
    everyoneActive: () => Promise<readonly string[]>,
  ): Promise<DirectoryGroup[]> {
    const { directory } = this.connect();
    const scope = this.scopeParams();
    const listed: admin_directory_v1.Schema$Group[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.call(ctx, 'groups.list', query, (options) =>
        directory.groups.list(
          {
            ...scope,
            maxResults: PAGE_SIZE.groups,
            ...(pageToken ? { pageToken } : {}),
            ...(query ? { query } : {}),
            fields: FIELD_MASKS.groups,
          },
          options,
        ),
      );
      listed.push(...(page.groups ?? []).filter((g) => g.id));
      pageToken = page.nextPageToken ?? undefined;
      this.progress(ctx, { phase: 'groups', done: listed.length });
    } while (pageToken);

    let done = 0;
    const groups = await mapWithConcurrency(
      listed,
      this.memberConcurrency,
      ctx.signal,
      async (group, signal) => {
        const members = await this.readMembers({ ...ctx, signal }, group.id!, everyoneActive);
        done += 1;
        this.progress(ctx, { phase: 'members', done, total: listed.length });
        return {
          externalId: group.id!,
          referenceId: group.id!,
          name: group.name?.trim() || group.email || group.id!,
          userMemberExternalIds: members.users,
          groupMemberReferenceIds: members.groups,
        } satisfies DirectoryGroup;
      },
    );
    throwIfCancelled(ctx.signal, 'Google Workspace read');
    return groups;
  }

  /**
   * Direct members of one group: ACTIVE users (suspended and archived members are left out, as
   * upstream does), nested groups by reference, and the CUSTOMER member expanded to every active user.
   */
  private async readMembers(
    ctx: ReadContext,
    groupId: string,
    everyoneActive: () => Promise<readonly string[]>,
  ): Promise<{ users: string[]; groups: string[] }> {
    const { directory } = this.connect();
    const users = new Set<string>();
    const groups = new Set<string>();
    let pageToken: string | undefined;
    do {
      const page = await this.call(ctx, 'members.list', undefined, (options) =>
        directory.members.list(
          {
            groupKey: groupId,
            maxResults: PAGE_SIZE.members,
            ...(pageToken ? { pageToken } : {}),
            fields: FIELD_MASKS.members,
          },
          options,
        ),
      );
      for (const member of page.members ?? []) {
        const type = member.type?.toUpperCase();
        if (type === 'USER' && member.id && member.status?.toUpperCase() === 'ACTIVE')
          users.add(member.id);
        else if (type === 'GROUP' && member.id) groups.add(member.id);
        else if (type === 'CUSTOMER') for (const id of await everyoneActive()) users.add(id);
      }
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return { users: [...users], groups: [...groups] };
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private progress(
    ctx: ReadContext,
    progress: Parameters<NonNullable<FetchRequest['onProgress']>>[0],
  ): void {
    ctx.onProgress?.(progress);
    throwIfCancelled(ctx.signal, 'Google Workspace read');
  }

  /**
   * `customer` when set, else `domain`. Google restricts a list to `domain` whenever it is sent,
   * even next to `customer`, which is how upstream lost every user of a secondary domain (#1193);
   * with a customer id set, the domain is not sent and every domain of the account is read.
   */
  private scopeParams(): { customer: string } | { domain: string } {
    const settings = this.resolve();
    return settings.customer ? { customer: settings.customer } : { domain: settings.domain! };
  }

  private resolve(): Settings {
    if (this.settings) return this.settings;
    const c = this.config;
    const text = (v: string | undefined | null): string | undefined =>
      v == null || v.trim() === '' ? undefined : v.trim();
    const missing = [
      text(c.clientEmail) ? undefined : 'gsuite.clientEmail',
      text(c.privateKey) ? undefined : 'gsuite.privateKey',
      text(c.adminUser) ? undefined : 'gsuite.adminUser',
      text(c.domain) || text(c.customer) ? undefined : 'gsuite.domain (or gsuite.customer)',
    ].filter((m): m is string => m !== undefined);
    if (missing.length > 0) {
      throw new GoogleError(
        'not-configured',
        this.source,
        `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set.`,
        {
          actions: [
            "Load the service account's JSON key file and set the admin user and domain in the Google Workspace settings.",
          ],
        },
      );
    }
    const customer = text(c.customer);
    const domain = text(c.domain);
    if (customer && domain) {
      this.logger.debug(
        'gsuite.customer is set, so every domain of the account is read; gsuite.domain is not sent.',
        {
          customer,
          domain,
        },
      );
    }
    this.settings = {
      clientEmail: text(c.clientEmail)!,
      key: parsePrivateKey(c.privateKey!, this.source),
      adminUser: text(c.adminUser)!,
      customer,
      domain,
      tokenUri: this.endpoint('gsuite.tokenUri', c.tokenUri, DEFAULT_TOKEN_URI),
      rootUrl: this.endpoint('gsuite.rootUrl', c.rootUrl, DEFAULT_ROOT_URL),
    };
    return this.settings;
  }

  /** https only, except loopback http for emulators (the config schema says the same; this guards raw objects). */
  private endpoint(setting: string, value: string | undefined, fallback: string): string {
    if (!value?.trim()) return fallback;
    let url: URL;
    try {
      url = new URL(value.trim());
    } catch {
      throw new GoogleError('not-configured', this.source, `${setting} "${value}" is not a URL.`);
    }
    if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))
      return url.toString();
    throw new GoogleError(
      'not-configured',
      this.source,
      `${setting} must use https:// (http:// only for loopback hosts), not "${value}".`,
    );
  }

  private connect(): { auth: OAuth2Client; directory: admin_directory_v1.Admin } {
    if (this.client) return this.client;
    const settings = this.resolve();
    // Always hand gaxios a fetch: its default is a dynamic import of node-fetch, which breaks under
    // Jest. Loopback is exempt from HTTPS_PROXY, which would otherwise make gaxios import a proxy
    // agent that native fetch ignores anyway.
    const auth = new OAuth2Client({
      transporterOptions: { fetchImplementation: this.fetchImpl, noProxy: [LOOPBACK_URL] },
    });
    auth.refreshHandler = () => this.accessToken();
    const directory = admin({
      version: 'directory_v1',
      // googleapis-common pins its own google-auth-library; it only calls `request` on this client.
      auth: auth as unknown as admin_directory_v1.Options['auth'],
      rootUrl: settings.rootUrl,
    });
    this.client = { auth, directory };
    return this.client;
  }

  /** One token request at a time: concurrent member-list workers share it. */
  private accessToken(): Promise<{ access_token: string; expiry_date: number }> {
    this.pendingToken ??= this.requestToken().finally(() => {
      this.pendingToken = undefined;
    });
    return this.pendingToken;
  }

  private async requestToken(): Promise<{ access_token: string; expiry_date: number }> {
    const s = this.resolve();
    const signal = this.activeSignal;
    const described = {
      clientEmail: s.clientEmail,
      adminUser: s.adminUser,
      scopes: GOOGLE_DIRECTORY_SCOPES,
      tokenUri: s.tokenUri,
    };
    for (let attempt = 0; ; attempt += 1) {
      throwIfCancelled(signal, 'Google Workspace sign-in');
      const assertion = signAssertion(
        {
          clientEmail: s.clientEmail,
          subject: s.adminUser,
          scopes: GOOGLE_DIRECTORY_SCOPES,
          audience: s.tokenUri,
          nowSeconds: Math.floor(Date.now() / 1000),
        },
        s.key,
      );
      let failure: HttpFailure;
      try {
        const timeout = AbortSignal.timeout(this.timeoutMs);
        const response = await this.fetchImpl(s.tokenUri, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString(),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        const body = (await response.json().catch(() => ({}))) as {
          access_token?: unknown;
          expires_in?: unknown;
          error?: unknown;
          error_description?: unknown;
        };
        if (response.ok && typeof body.access_token === 'string') {
          const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 3600;
          return { access_token: body.access_token, expiry_date: Date.now() + lifetime * 1000 };
        }
        failure = {
          status: response.status,
          reason: typeof body.error === 'string' ? body.error : undefined,
          message:
            typeof body.error_description === 'string'
              ? body.error_description
              : `HTTP ${response.status}`,
          retryAfterMs: retryAfterMs(response.headers.get('retry-after') ?? undefined),
          networkCode: undefined,
        };
        if (!isRetryable(failure)) {
          throw tokenError(
            this.source,
            described,
            response.status,
            failure.reason,
            failure.message,
          );
        }
      } catch (error) {
        if (error instanceof GoogleError) throw error;
        if (signal?.aborted) throw new CancelledError('Google Workspace sign-in');
        failure = describeHttpFailure(error);
      }
      if (!isRetryable(failure) || attempt + 1 >= this.retryPolicy.maxAttempts) {
        throw this.giveUp('token', s.tokenUri, failure, attempt + 1);
      }
      await this.backoff(signal, 'token', failure, attempt);
    }
  }

  /**
   * Runs one API call with retries: rate limits, 429, 5xx and dropped connections back off
   * exponentially with jitter; a 401 gets one fresh token. Everything else becomes a GoogleError
   * saying what to fix.
   */
  private async call<T>(
    ctx: ReadContext,
    what: ListCall,
    query: string | undefined,
    run: (options: { signal?: AbortSignal; retry: false; timeout: number }) => Promise<{ data: T }>,
  ): Promise<T> {
    let reauthorized = false;
    for (let attempt = 0; ; attempt += 1) {
      throwIfCancelled(ctx.signal, 'Google Workspace read');
      let failure: HttpFailure;
      try {
        const response = await run({
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          retry: false,
          timeout: this.timeoutMs,
        });
        return response.data;
      } catch (error) {
        if (error instanceof CancelledError || error instanceof GoogleError) throw error;
        if (ctx.signal?.aborted) throw new CancelledError('Google Workspace read');
        failure = describeHttpFailure(error);
        if (failure.status === 401 && !reauthorized) {
          reauthorized = true;
          this.connect().auth.credentials = {};
          attempt -= 1;
          continue;
        }
        if (!isRetryable(failure)) throw this.apiError(what, query, failure, error);
        if (attempt + 1 >= this.retryPolicy.maxAttempts)
          throw this.giveUp(what, this.resolve().rootUrl, failure, attempt + 1);
      }
      await this.backoff(ctx.signal, what, failure, attempt);
    }
  }

  private async backoff(
    signal: AbortSignal | undefined,
    what: string,
    failure: HttpFailure,
    attempt: number,
  ): Promise<void> {
    const delayMs = backoffDelay(this.retryPolicy, attempt, this.random, failure.retryAfterMs);
    this.logger.warn(
      `Google answered ${describe(failure)} to ${what}; retrying in ${delayMs} ms.`,
      {
        source: this.source,
        call: what,
        attempt: attempt + 1,
        delayMs,
      },
    );
    await sleepUnlessCancelled(this.sleep, delayMs, signal, 'Google Workspace read');
  }

  private giveUp(what: string, url: string, failure: HttpFailure, attempts: number): GoogleError {
    if (failure.status === undefined) {
      return new GoogleError(
        'unreachable',
        this.source,
        `cannot reach ${url} for ${what} (${failure.networkCode ?? failure.message}) after ${attempts} attempt(s).`,
        {
          actions: [
            'Check the network, proxy and firewall, and gsuite.tokenUri / gsuite.rootUrl if you set them.',
          ],
        },
      );
    }
    return new GoogleError(
      'rate-limited',
      this.source,
      `Google kept answering ${describe(failure)} to ${what}; gave up after ${attempts} attempts.`,
      {
        status: failure.status,
        reason: failure.reason,
        actions: [
          'Try again later; if it persists, raise the Admin SDK quota of the Google Cloud project or sync less often.',
        ],
      },
    );
  }

  private apiError(
    what: ListCall,
    query: string | undefined,
    failure: HttpFailure,
    cause: unknown,
  ): GoogleError {
    const s = this.resolve();
    const said = `Google answered ${describe(failure)}: "${failure.message}"`;
    const options = { status: failure.status, reason: failure.reason, cause: stripped(cause) };
    const reason = failure.reason;
    if (
      failure.status === 403 &&
      (reason === 'accessNotConfigured' ||
        reason === 'SERVICE_DISABLED' ||
        /has not been used|is disabled/i.test(failure.message))
    ) {
      return new GoogleError(
        'api-not-enabled',
        this.source,
        `the Admin SDK API is not enabled in the Google Cloud project of service account ${s.clientEmail} (${said}).`,
        {
          ...options,
          actions: [
            'Enable "Admin SDK API" in the Google Cloud console (APIs & Services > Library) for that project, wait a few minutes, and try again.',
          ],
        },
      );
    }
    if (
      failure.status === 403 &&
      (reason === 'insufficientPermissions' || reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT')
    ) {
      return new GoogleError(
        'delegation-not-granted',
        this.source,
        `the access token lacks a scope that ${what} needs: the domain-wide delegation of ${s.clientEmail} is missing a scope (${said}).`,
        {
          ...options,
          actions: [
            `Grant exactly these scopes under Security > API controls > Domain-wide delegation: ${GOOGLE_DIRECTORY_SCOPES.join(',')}`,
          ],
        },
      );
    }
    if (failure.status === 403 || failure.status === 401) {
      return new GoogleError(
        'admin-not-authorized',
        this.source,
        `gsuite.adminUser "${s.adminUser}" may not read this account's directory (${said}).` +
          (s.customer
            ? ` Also check that gsuite.customer "${s.customer}" is this account's customer id.`
            : ''),
        {
          ...options,
          actions: [
            'Set gsuite.adminUser to a super administrator (or an admin with the Users and Groups read privileges).',
          ],
        },
      );
    }
    if (failure.status === 400 && reason === 'badRequest' && s.customer) {
      return new GoogleError(
        'invalid-customer',
        this.source,
        `gsuite.customer "${s.customer}" is not this account's customer id (${said}).`,
        {
          ...options,
          actions: [
            'Copy the customer ID from Admin console > Account > Account settings, or use "my_customer".',
          ],
        },
      );
    }
    if (failure.status === 404 && what !== 'members.list' && !s.customer && s.domain) {
      return new GoogleError(
        'invalid-domain',
        this.source,
        `gsuite.domain "${s.domain}" is not a domain of this Google Workspace account (${said}).`,
        {
          ...options,
          actions: [
            'Set gsuite.domain to a primary or secondary domain of the account, or set gsuite.customer to read every domain.',
          ],
        },
      );
    }
    if (failure.status === 400 && query) {
      const setting = what === 'users.list' ? 'sync.userFilter' : 'sync.groupFilter';
      return new GoogleError(
        'invalid-query',
        this.source,
        `${setting}: Google rejected the query "${query}" after "|" (${said}).`,
        {
          ...options,
          actions: [
            'Fix the query; see "Search for users" / "Search for groups" in the Directory API documentation.',
          ],
        },
      );
    }
    return new GoogleError('request-failed', this.source, `${what} failed (${said}).`, options);
  }
}

function describe(failure: HttpFailure): string {
  if (failure.status === undefined) return failure.networkCode ?? 'a network error';
  return `${failure.status}${failure.reason ? ` ${failure.reason}` : ''}`;
}

/** gaxios errors carry the request config (headers with the bearer token); keep only the text. */
function stripped(error: unknown): Error | undefined {
  return error instanceof Error ? new Error(error.message) : undefined;
}
