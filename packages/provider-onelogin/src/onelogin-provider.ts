import {
  CancelledError,
  DirectoryType,
  isLoopbackHost,
  throwIfCancelled,
  type DirectoryGroup,
  type DirectorySnapshot,
  type DirectoryUser,
  type Logger,
  type OneLoginConfig,
  type SyncConfig,
} from '@bwdc/core';
import {
  parseFilter,
  type DirectoryProvider,
  type FetchProgress,
  type FetchRequest,
} from '@bwdc/directory-provider';
import { OneLoginError, oneLoginMessage, toOneLoginNetworkError } from './errors';

export interface OneLoginProviderIo {
  fetch?: typeof fetch;
  /** Waits between retries; tests inject a fast one. */
  sleep?: (ms: number) => Promise<void>;
  /** Retries of a 429 or transient 5xx per call. Default 4. */
  maxRetries?: number;
}

/** The fields of a OneLogin API v1 user this provider reads. */
interface OneLoginUser {
  id: number | string;
  email?: string | null;
  username?: string | null;
  status?: number | null;
  role_id?: (number | string)[] | null;
}
interface OneLoginRole {
  id: number | string;
  name?: string | null;
}
interface Page<T> {
  pagination?: { next_link?: string | null } | null;
  data?: T[] | null;
}

/** The official connector's test for "looks like an email". */
const VALID_EMAIL = /^\S+@\S+\.\S+$/;
/** OneLogin status 2 is "suspended"; every other status is an account that exists and may sign in. */
const SUSPENDED = 2;
const TRANSIENT = new Set([500, 502, 503, 504]);
/** Renew the token this long before OneLogin says it expires. */
const TOKEN_SLACK_MS = 60_000;

/**
 * Reads users and roles (as groups) from OneLogin's REST API with client-credentials auth.
 * Users come from `GET /api/1/users[?<native filter>]`, roles from `GET /api/1/roles`, both paged
 * by `pagination.next_link`; role members come from each user's `role_id`, so they are read
 * even when user sync is off. Every read is a full read.
 */
export class OneLoginDirectoryProvider implements DirectoryProvider {
  readonly type = DirectoryType.OneLogin;
  private readonly apiUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxRetries: number;
  private token: { value: string; expiresAt: number } | undefined;
  private requestCount = 0;

  constructor(
    private readonly config: OneLoginConfig,
    private readonly sync: SyncConfig,
    private readonly logger: Logger,
    io: OneLoginProviderIo = {},
  ) {
    this.apiUrl = (config.apiUrl ?? `https://api.${config.region ?? 'us'}.onelogin.com`).replace(
      /\/+$/,
      '',
    );
    this.fetchImpl = io.fetch ?? globalThis.fetch;
    this.sleep = io.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.maxRetries = Math.max(0, io.maxRetries ?? 4);
  }

  async verify(signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal, 'OneLogin verification');
    this.checkConfig();
    this.token = undefined;
    await this.get<OneLoginUser>(
      this.url('/api/1/users', undefined, 'sync.userFilter'),
      signal,
      'Reading users',
    );
  }

  async fetch(request: FetchRequest): Promise<DirectorySnapshot> {
    const { signal } = request;
    throwIfCancelled(signal, 'The OneLogin read');
    const userNative = parseFilter(this.sync.userFilter).native;
    const groupNative = parseFilter(this.sync.groupFilter).native;
    this.checkConfig();
    const startCount = this.requestCount;

    let users: DirectoryUser[] | undefined;
    let oneLoginUsers: OneLoginUser[] = [];
    if (request.users) {
      oneLoginUsers = await this.list<OneLoginUser>(
        this.url('/api/1/users', userNative, 'sync.userFilter'),
        request,
        'users',
        'Reading users',
      );
      users = oneLoginUsers.map((u) => this.toDirectoryUser(u));
    }

    let groups: DirectoryGroup[] | undefined;
    if (request.groups) {
      const roles = await this.list<OneLoginRole>(
        this.url('/api/1/roles', groupNative, 'sync.groupFilter'),
        request,
        'groups',
        'Reading roles',
      );
      // Upstream fills roles only when users are synced too; membership lives on the users, so read them anyway.
      const members = request.users
        ? oneLoginUsers
        : await this.list<OneLoginUser>(
            this.url('/api/1/users', undefined, 'sync.userFilter'),
            request,
            'members',
            'Reading role members',
          );
      const byRole = new Map<string, string[]>();
      for (const user of members) {
        for (const roleId of user.role_id ?? []) {
          const key = String(roleId);
          let list = byRole.get(key);
          if (!list) byRole.set(key, (list = []));
          list.push(String(user.id));
        }
      }
      groups = roles.map((role) => ({
        externalId: String(role.id),
        referenceId: String(role.id),
        name: role.name ?? '',
        userMemberExternalIds: byRole.get(String(role.id)) ?? [],
        groupMemberReferenceIds: [],
      }));
    }

    this.logger.info('Read OneLogin directory', {
      users: users?.length,
      groups: groups?.length,
      requests: this.requestCount - startCount,
    });
    return { users, groups, complete: true, cursor: undefined, warnings: [] };
  }

  /** email, else the username if it is an email, else username + sync.emailSuffix (when prefix/suffix is on). */
  private toDirectoryUser(user: OneLoginUser): DirectoryUser {
    let email = user.email?.trim();
    const username = user.username?.trim();
    if (!email || !VALID_EMAIL.test(email)) {
      if (username && VALID_EMAIL.test(username)) {
        email = username;
      } else if (username && this.sync.useEmailPrefixSuffix && this.sync.emailSuffix) {
        const suffix = this.sync.emailSuffix.trim();
        email = username + (suffix.startsWith('@') ? suffix : `@${suffix}`);
      }
    }
    email = email?.toLowerCase();
    return {
      externalId: String(user.id),
      referenceId: String(user.id),
      // An entry without a usable email is handed over without one; the engine reports it by id.
      email: email && VALID_EMAIL.test(email) ? email : undefined,
      disabled: user.status === SUSPENDED,
      deleted: false,
    };
  }

  private checkConfig(): void {
    let url: URL;
    try {
      url = new URL(this.apiUrl);
    } catch (cause) {
      throw new OneLoginError(
        'DIRECTORY_NOT_CONFIGURED',
        this.apiUrl,
        'onelogin.apiUrl is not a URL',
        { cause },
      );
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
      throw new OneLoginError(
        'DIRECTORY_NOT_CONFIGURED',
        this.apiUrl,
        'onelogin.apiUrl must be an https:// URL',
      );
    }
    if (!this.config.clientId || !this.config.clientSecret) {
      throw new OneLoginError(
        'DIRECTORY_NOT_CONFIGURED',
        this.apiUrl,
        `${this.config.clientId ? 'onelogin.clientSecret' : 'onelogin.clientId'} is not set`,
        {
          actions: [
            'Create API credentials ("Read users" or higher) in OneLogin under Developers > API Credentials.',
          ],
        },
      );
    }
  }

  private url(
    path: string,
    native: string | undefined,
    setting: string,
  ): { href: string; setting: string } {
    const url = new URL(this.apiUrl + path);
    if (native) {
      for (const [key, value] of new URLSearchParams(native.replace(/^[?&]+/, '')))
        url.searchParams.append(key, value);
    }
    return { href: url.toString(), setting };
  }

  /** Every page of a list, following `pagination.next_link`. */
  private async list<T>(
    first: { href: string; setting: string },
    request: FetchRequest,
    phase: FetchProgress['phase'],
    what: string,
  ): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = first.href;
    const origin = new URL(this.apiUrl).origin;
    while (next) {
      throwIfCancelled(request.signal, 'The OneLogin read');
      // A next_link pointing elsewhere would carry the access token off OneLogin.
      if (new URL(next).origin !== origin) {
        throw new OneLoginError(
          'DIRECTORY_READ_FAILED',
          this.apiUrl,
          `${what}: refusing to follow a link to ${new URL(next).origin}`,
        );
      }
      const page: Page<T> = await this.get<T>(
        { href: next, setting: first.setting },
        request.signal,
        what,
      );
      items.push(...(page.data ?? []));
      request.onProgress?.({ phase, done: items.length });
      throwIfCancelled(request.signal, 'The OneLogin read');
      next = page.pagination?.next_link || undefined;
    }
    return items;
  }

  private async get<T>(
    target: { href: string; setting: string },
    signal: AbortSignal | undefined,
    what: string,
  ): Promise<Page<T>> {
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(signal);
      const response = await this.send(target.href, {
        headers: { Authorization: `bearer:${token}`, Accept: 'application/json' },
        signal,
      });
      if (response.status === 401 && !renewed) {
        // Tokens expire or get revoked; one fresh token per call before calling it a failure.
        renewed = true;
        this.token = undefined;
        await discard(response);
        continue;
      }
      if (
        (response.status === 429 || TRANSIENT.has(response.status)) &&
        attempt < this.maxRetries
      ) {
        const delay = retryDelayMs(response, attempt);
        this.logger.warn('OneLogin asked to slow down; retrying', {
          status: response.status,
          delayMs: delay,
          attempt: attempt + 1,
        });
        await discard(response);
        await this.sleep(delay);
        continue;
      }
      const body = await this.json(response);
      if (response.ok) return body as Page<T>;
      throw this.httpError(response.status, body, what, target.setting);
    }
  }

  private async accessToken(signal: AbortSignal | undefined): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const basic = Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString(
      'base64',
    );
    for (let attempt = 0; ; attempt++) {
      const response = await this.send(`${this.apiUrl}/auth/oauth2/v2/token`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${basic}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
        signal,
      });
      if (
        (response.status === 429 || TRANSIENT.has(response.status)) &&
        attempt < this.maxRetries
      ) {
        await discard(response);
        await this.sleep(retryDelayMs(response, attempt));
        continue;
      }
      const body = (await this.json(response)) as
        | { access_token?: unknown; expires_in?: unknown }
        | undefined;
      if (response.status === 400 || response.status === 401 || response.status === 403) {
        throw new OneLoginError(
          'DIRECTORY_AUTH_FAILED',
          this.apiUrl,
          `Could not get an access token: OneLogin rejected onelogin.clientId / onelogin.clientSecret (${oneLoginMessage(body) ?? `HTTP ${response.status}`})`,
          {
            status: response.status,
            actions: [
              'Check the client id and secret under Developers > API Credentials in OneLogin, and onelogin.region.',
            ],
          },
        );
      }
      if (!response.ok)
        throw this.httpError(
          response.status,
          body,
          'Could not get an access token',
          'onelogin.apiUrl',
        );
      if (typeof body?.access_token !== 'string') {
        throw new OneLoginError(
          'DIRECTORY_READ_FAILED',
          this.apiUrl,
          'Could not get an access token: the answer held none',
          {
            status: response.status,
          },
        );
      }
      const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000;
      this.token = {
        value: body.access_token,
        expiresAt: Date.now() + Math.max(0, lifetimeMs - TOKEN_SLACK_MS),
      };
      return body.access_token;
    }
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    this.requestCount++;
    try {
      return await this.fetchImpl(url, init);
    } catch (error) {
      throw toOneLoginNetworkError(error, this.apiUrl);
    }
  }

  private async json(response: Response): Promise<unknown> {
    try {
      return await response.json();
    } catch (error) {
      if ((error as { name?: unknown }).name === 'AbortError')
        throw new CancelledError('The OneLogin read');
      return undefined;
    }
  }

  private httpError(status: number, body: unknown, what: string, setting: string): OneLoginError {
    const message = oneLoginMessage(body) ?? `HTTP ${status}`;
    if (status === 401 || status === 403) {
      return new OneLoginError(
        'DIRECTORY_AUTH_FAILED',
        this.apiUrl,
        `${what}: OneLogin refused the access token: ${message}`,
        {
          status,
          actions: ['Give the API credentials at least "Read users" access in OneLogin.'],
        },
      );
    }
    if (status === 400) {
      return new OneLoginError(
        'DIRECTORY_READ_FAILED',
        this.apiUrl,
        `${what}: OneLogin rejected the query in ${setting}: ${message}`,
        {
          status,
          actions: [
            `Fix the OneLogin query after the "|" in ${setting} (e.g. email=*@example.com&status=1).`,
          ],
        },
      );
    }
    if (status === 429) {
      return new OneLoginError(
        'DIRECTORY_READ_FAILED',
        this.apiUrl,
        `${what}: OneLogin's rate limit is still exceeded after retrying`,
        {
          status,
          actions: ['Run the sync later.'],
        },
      );
    }
    return new OneLoginError(
      'DIRECTORY_READ_FAILED',
      this.apiUrl,
      `${what} failed with HTTP ${status}: ${message}`,
      { status },
    );
  }
}

/** OneLogin's `X-RateLimit-Reset` is seconds until the window resets; else Retry-After; else exponential backoff. */
function retryDelayMs(response: Response, attempt: number): number {
  for (const name of ['x-ratelimit-reset', 'retry-after']) {
    const seconds = Number(response.headers.get(name));
    if (response.headers.get(name) !== null && Number.isFinite(seconds) && seconds >= 0)
      return seconds * 1000 + 250;
  }
  return Math.min(30_000, 1000 * 2 ** attempt);
}

/** Reads a response body we don't need, so its connection can be reused. */
async function discard(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined);
}
