/**
 * The Bitwarden Public API as the connector uses it: organization API key login, the import, and
 * reading members and groups back. The token is cached and renewed five minutes before it expires,
 * as the official connector does; a 401 on an authorized call gets one fresh login and one retry.
 */
import {
  ConfigValidationError,
  silentLogger,
  type ImportRequest,
  type Logger,
  type MemberStatus,
  type MemberType,
  type RetryPolicy,
} from '@bwdc/core';
import type { EnvHttpProxyAgent } from 'undici';
import { z } from 'zod';
import type { ResolvedUrls } from './environment';
import { dispatcherFetcher } from './dispatcher-fetcher';
import { BitwardenApiError, BitwardenAuthError, type ServerErrorDetails } from './errors';
import { BITWARDEN_RETRY_POLICY, HttpTransport, type Fetcher, type HttpResponse } from './http';
import type { OrganizationGroup, OrganizationMember } from './models';
import {
  readOrganization,
  type OrganizationSnapshot,
  type ReadOrganizationOptions,
} from './organization-read';
import { readAllPages } from './paging';

export interface BitwardenApiOptions {
  urls: ResolvedUrls;
  /** The organization API key's client_id, `organization.<organization id>`. */
  clientId: string;
  clientSecret: string;
  /** data.json `appId`: identifies this installation to the server. */
  deviceIdentifier: string;
  /** bwdc's version, sent as `Bitwarden_DC/<version> (LINUX)` and `Bitwarden-Client-Version`. */
  version: string;
  logger?: Logger;
  /** Replaces undici's fetch (and with it the proxy support); for tests. */
  fetch?: typeof fetch;
  /**
   * Overrides of the retry policy (`BITWARDEN_RETRY_POLICY`): 4 attempts, backoff from 1 s
   * doubling to 30 s with jitter, Retry-After waited up to 120 s, 90 s per attempt.
   */
  retry?: Partial<RetryPolicy>;
  /** Proxy settings; by default HTTPS_PROXY, HTTP_PROXY and NO_PROXY (any case) are read from the environment. */
  proxy?: { httpProxy?: string; httpsProxy?: string; noProxy?: string };
  /** Platform for the device fields and User-Agent; default process.platform. */
  platform?: NodeJS.Platform;
}

/** Renew when fewer than five minutes remain, as the official connector does. */
const RENEW_MARGIN_MS = 5 * 60 * 1000;

const DEVICES: Partial<Record<NodeJS.Platform, { type: number; name: string; agent: string }>> = {
  win32: { type: 6, name: 'windows', agent: 'WINDOWS' },
  darwin: { type: 7, name: 'macos', agent: 'MACOS' },
};
const LINUX = { type: 8, name: 'linux', agent: 'LINUX' };

const TokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().optional(),
});
const MemberSchema = z.object({
  id: z.string(),
  userId: z.string().nullish(),
  email: z.string().nullish(),
  name: z.string().nullish(),
  externalId: z.string().nullish(),
  status: z.number(),
  type: z.number(),
  twoFactorEnabled: z.boolean().nullish(),
  resetPasswordEnrolled: z.boolean().nullish(),
  ssoExternalId: z.string().nullish(),
});
const GroupSchema = z.object({
  id: z.string(),
  name: z.string(),
  externalId: z.string().nullish(),
});
const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), continuationToken: z.string().nullish() });
// Built once: a zod schema costs far more to build than to run, and member ids are read per group.
const MemberList = listOf(MemberSchema);
const GroupList = listOf(GroupSchema);
const IdList = z.array(z.string());

export class BitwardenApiClient {
  readonly organizationId: string;
  private readonly options: BitwardenApiOptions;
  private readonly logger: Logger;
  private readonly transport: HttpTransport;
  private agent?: Promise<EnvHttpProxyAgent>;
  private readonly device: { type: number; name: string; agent: string };
  private token?: { value: string; expiresAt: number };
  private closed = false;
  private pendingLogin?: Promise<void>;

  constructor(options: BitwardenApiOptions) {
    const prefix = 'organization.';
    const orgId = options.clientId.startsWith(prefix)
      ? options.clientId.slice(prefix.length).trim()
      : '';
    if (!orgId) {
      throw new ConfigValidationError([
        {
          setting: 'clientId',
          message: 'must be an organization API key client_id, "organization.<organization id>"',
        },
      ]);
    }
    if (!options.clientSecret)
      throw new ConfigValidationError([{ setting: 'clientSecret', message: 'is empty' }]);
    this.organizationId = orgId;
    this.options = options;
    this.logger = options.logger ?? silentLogger;
    this.device = DEVICES[options.platform ?? process.platform] ?? LINUX;

    let fetcher: Fetcher;
    if (options.fetch) {
      const custom = options.fetch;
      fetcher = (url, init) => custom(url, init);
    } else {
      // undici takes ~80 ms to load: it is loaded with the first request, so a `bwdc test` that
      // sends none does not wait for it.
      let send: Fetcher | undefined;
      fetcher = async (url, init) => {
        if (!send) {
          if (this.closed) throw new Error('The Bitwarden API client was closed.');
          this.agent ??= import('undici').then((u) => new u.EnvHttpProxyAgent(options.proxy ?? {}));
          send = dispatcherFetcher(await this.agent);
        }
        return send(url, init);
      };
    }
    this.transport = new HttpTransport(
      fetcher,
      { ...BITWARDEN_RETRY_POLICY, ...options.retry },
      this.logger,
    );
  }

  /**
   * The access token of the last login, for a caller that keeps it where the official connector
   * looks for one (its sign of being logged in); undefined before the first login.
   */
  get accessToken(): string | undefined {
    return this.token?.value;
  }

  /** Exchanges the organization API key for an access token (client_credentials). */
  async login(signal?: AbortSignal): Promise<void> {
    const url = `${this.options.urls.identity}/connect/token`;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'api.organization',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      deviceType: String(this.device.type),
      deviceIdentifier: this.options.deviceIdentifier,
      deviceName: this.device.name,
    }).toString();
    const res = await this.transport.send(
      {
        method: 'POST',
        url,
        headers: {
          ...this.commonHeaders(),
          'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
        },
        body,
      },
      signal,
    );
    if (res.status !== 200) {
      const details = serverError(res);
      // 400/401 are the server's verdict on the key; anything else is the request failing.
      if (res.status === 400 || res.status === 401) {
        throw new BitwardenAuthError(
          `Bitwarden (${this.options.urls.identity}) rejected the organization API key ${this.options.clientId}: ${details.serverMessage}`,
          details,
          {
            actions: [
              'Check the client_id and client_secret in the Admin Console (Settings → Organization info → API key); rotate the key if unsure.',
              'Check that the server URL belongs to the same Bitwarden server (cloud US, cloud EU or your self-hosted base URL).',
            ],
          },
        );
      }
      throw new BitwardenApiError(`POST ${url}`, details);
    }
    const parsed = TokenResponse.safeParse(parseJson(res.text));
    if (!parsed.success) {
      throw new BitwardenApiError(`POST ${url}`, {
        status: res.status,
        serverMessage: 'the token response has no access_token',
      });
    }
    const { access_token: value, expires_in: expiresIn } = parsed.data;
    this.token = { value, expiresAt: jwtExpiry(value) ?? Date.now() + (expiresIn ?? 3600) * 1000 };
    this.logger.info('Logged in to Bitwarden', {
      organizationId: this.organizationId,
      identity: this.options.urls.identity,
    });
  }

  /** `POST /public/organization/import`; resolves when the server accepted the request (200, empty body). */
  async importOrganization(request: ImportRequest, signal?: AbortSignal): Promise<void> {
    this.logger.info('Posting import to Bitwarden', {
      groups: request.groups.length,
      members: request.members.length,
      overwriteExisting: request.overwriteExisting,
      largeImport: request.largeImport,
    });
    await this.authorized('POST', '/public/organization/import', JSON.stringify(request), signal);
  }

  /** `GET /public/members`: every member of the organization (following `continuationToken`). */
  async listMembers(signal?: AbortSignal): Promise<OrganizationMember[]> {
    const members = await readAllPages(
      '/public/members',
      async (path) =>
        this.parse(await this.authorized('GET', path, undefined, signal), path, MemberList),
      signal,
    );
    return members.map((m) => ({
      id: m.id,
      userId: m.userId ?? null,
      email: m.email ?? '',
      name: m.name ?? null,
      externalId: m.externalId ?? null,
      status: m.status as MemberStatus,
      type: m.type as MemberType,
      twoFactorEnabled: m.twoFactorEnabled ?? false,
      resetPasswordEnrolled: m.resetPasswordEnrolled ?? false,
      ssoExternalId: m.ssoExternalId ?? null,
    }));
  }

  /** `GET /public/groups`: every group (following `continuationToken`). */
  async listGroups(signal?: AbortSignal): Promise<OrganizationGroup[]> {
    const groups = await readAllPages(
      '/public/groups',
      async (path) =>
        this.parse(await this.authorized('GET', path, undefined, signal), path, GroupList),
      signal,
    );
    return groups.map((g) => ({
      id: g.id,
      name: g.name,
      externalId: g.externalId ?? null,
    }));
  }

  /** `GET /public/groups/{id}/member-ids`: the member ids of one group. */
  async listGroupMemberIds(groupId: string, signal?: AbortSignal): Promise<string[]> {
    const path = `/public/groups/${encodeURIComponent(groupId)}/member-ids`;
    const res = await this.authorized('GET', path, undefined, signal);
    return this.parse(res, path, IdList);
  }

  /**
   * The organization now: members, groups, and the member ids of the groups `options.groupMembers`
   * picks (a bounded number of reads at a time). Reads only.
   */
  readOrganization(options: ReadOrganizationOptions = {}): Promise<OrganizationSnapshot> {
    return readOrganization(this, this.options.urls.api, options, this.logger);
  }

  /** Closes pooled connections. Call once, when done with the client; it cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await (await this.agent)?.close();
  }

  private async authorized(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    const url = `${this.options.urls.api}${path}`;
    const send = async (): Promise<HttpResponse> => {
      if (!this.token || this.token.expiresAt - Date.now() < RENEW_MARGIN_MS)
        await this.renew(signal);
      return this.transport.send(
        {
          method,
          url,
          headers: {
            ...this.commonHeaders(),
            Authorization: `Bearer ${this.token!.value}`,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
          },
          ...(body === undefined ? {} : { body }),
        },
        signal,
      );
    };
    let res = await send();
    if (res.status === 401) {
      // The token was revoked or expired early (server restart, rotated key): log in once more.
      this.token = undefined;
      res = await send();
    }
    if (res.status >= 200 && res.status < 300) return res;
    const details = serverError(res);
    if (res.status === 401 || res.status === 403) {
      throw new BitwardenAuthError(
        `Bitwarden (${this.options.urls.api}) refused the access token for ${method} ${path} (HTTP ${res.status})${details.serverMessage ? `: ${details.serverMessage}` : ''}`,
        details,
        {
          actions: [
            'Check that the API key is the organization API key and that the organization may use the API.',
          ],
        },
      );
    }
    throw new BitwardenApiError(`${method} ${url}`, details, {
      actions: actionsFor(path, details),
    });
  }

  /** One login at a time: concurrent calls that all find the token stale share the same request. */
  private renew(signal?: AbortSignal): Promise<void> {
    this.pendingLogin ??= this.login(signal).finally(() => {
      this.pendingLogin = undefined;
    });
    return this.pendingLogin;
  }

  private parse<T extends z.ZodType>(res: HttpResponse, path: string, schema: T): z.infer<T> {
    const parsed = schema.safeParse(parseJson(res.text));
    if (!parsed.success) {
      throw new BitwardenApiError(`GET ${this.options.urls.api}${path}`, {
        status: res.status,
        serverMessage: 'the response is not in the expected format',
      });
    }
    return parsed.data;
  }

  private commonHeaders(): Record<string, string> {
    return {
      Accept: 'application/json',
      'User-Agent': `Bitwarden_DC/${this.options.version} (${this.device.agent})`,
      'Device-Type': String(this.device.type),
      'Bitwarden-Client-Name': 'connector',
      'Bitwarden-Client-Version': this.options.version,
    };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads the message from any of the server's error shapes: public API, Duende OAuth, Vaultwarden, internal API. */
export function serverError(res: Pick<HttpResponse, 'status' | 'text'>): ServerErrorDetails {
  const body = parseJson(res.text);
  const fallback = res.text.trim().slice(0, 300) || `HTTP ${res.status} with no message`;
  if (!body || typeof body !== 'object') return { status: res.status, serverMessage: fallback };
  const b = body as Record<string, unknown>;
  const str = (v: unknown): string | undefined =>
    typeof v === 'string' && v.trim() ? v : undefined;
  const model = b.errorModel as Record<string, unknown> | undefined;
  const message =
    str(b.message) ??
    str(b.Message) ??
    str(model?.message) ??
    str(b.error_description) ??
    str(b.error) ??
    fallback;
  const rawErrors = (b.errors ?? b.validationErrors ?? b.ValidationErrors) as unknown;
  let validationErrors: Record<string, string[]> | undefined;
  if (rawErrors && typeof rawErrors === 'object') {
    const entries = Object.entries(rawErrors as Record<string, unknown>)
      .map(
        ([k, v]) =>
          [k, Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []] as const,
      )
      // Vaultwarden repeats its message under the "" key.
      .filter(([k, v]) => v.length > 0 && !(k === '' && v.length === 1 && v[0] === message));
    if (entries.length > 0) validationErrors = Object.fromEntries(entries);
  }
  return {
    status: res.status,
    serverMessage: message,
    ...(validationErrors ? { validationErrors } : {}),
  };
}

const ACTIONS: [RegExp, string][] = [
  [
    /Seat limit has been reached|Cannot autoscale/i,
    'Add seats to the organization (or raise its seat limit) in the Admin Console, then sync again.',
  ],
  [
    /cannot use directory syncing/i,
    "The organization's plan does not include Directory Connector; upgrade to Teams or Enterprise.",
  ],
  [
    /cannot use groups/i,
    "The organization's plan does not include groups; turn off group sync or upgrade the plan.",
  ],
  [
    /import this much data at once/i,
    'Turn on the "more than 2000 users or groups" setting (largeImport) so the sync is sent in batches.',
  ],
  [
    /Remove and re-add users/i,
    'Turn off overwriteExisting: some members it would remove have no master password and could not come back.',
  ],
  [
    /must have at least one confirmed owner/i,
    'Confirm at least one Owner of the organization, then sync again.',
  ],
];

function actionsFor(path: string, details: ServerErrorDetails): string[] {
  const hit = ACTIONS.filter(([re]) => re.test(details.serverMessage)).map(([, action]) => action);
  if (hit.length === 0 && path === '/public/organization/import' && details.status === 500) {
    hit.push(
      'The server failed on this import; duplicate emails or group external ids in the directory are a known cause.',
    );
  }
  return hit;
}

/** The `exp` of a JWT, in ms; undefined when the token is not a readable JWT. */
function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
