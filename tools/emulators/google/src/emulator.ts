import { createHash, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import {
  domainOf,
  EmulatedDirectory,
  type EmulatedGroup,
  type EmulatedMembership,
  type EmulatedUser,
} from './directory';
import {
  applyFields,
  FieldSelectionError,
  GROUPS_SCHEMA,
  MEMBERS_SCHEMA,
  parseFields,
  USERS_SCHEMA,
  validateFields,
  type FieldSchema,
} from './fields';
import { publicKeyOf, TokenEndpointError, verifyAssertion } from './jwt';
import { groupQueryPredicate, QuerySyntaxError, userQueryPredicate } from './query';

const generateKeyPairAsync = promisify(generateKeyPair);

/** The three read-only scopes the official connector asks for. */
export const DIRECTORY_READONLY_SCOPES: readonly string[] = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
];

const SCOPE = 'https://www.googleapis.com/auth/admin.directory.';
/** Scopes that allow each call, read-only or full. */
const ROUTE_SCOPES: Readonly<Record<ApiRoute, readonly string[]>> = {
  'users.list': [`${SCOPE}user.readonly`, `${SCOPE}user`],
  'groups.list': [`${SCOPE}group.readonly`, `${SCOPE}group`],
  'members.list': [
    `${SCOPE}group.member.readonly`,
    `${SCOPE}group.member`,
    `${SCOPE}group.readonly`,
    `${SCOPE}group`,
  ],
};

export type ApiRoute = 'users.list' | 'groups.list' | 'members.list';
export type GoogleRoute = 'token' | ApiRoute;

/**
 * The failures Google answers under load: 403 `userRateLimitExceeded` (per-user quota),
 * 403 `quotaExceeded` (too many concurrent requests), 403 `rateLimitExceeded`, 429, 500 and 503.
 */
export type FaultKind =
  | 'userRateLimitExceeded'
  | 'quotaExceeded'
  | 'rateLimitExceeded'
  | 'tooManyRequests'
  | 'backendError'
  | 'serviceUnavailable';

export interface FaultRule {
  /** Which calls fail: one route, every API call (`api`), or everything including the token endpoint (`any`). */
  readonly route?: GoogleRoute | 'api' | 'any';
  readonly kind: FaultKind;
  /** How many matching requests fail before the rule is used up; default 1. */
  readonly count?: number;
  /** Sent as a Retry-After header. */
  readonly retryAfterSeconds?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly route: GoogleRoute | 'unknown';
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The token's subject (impersonated admin) for API calls. */
  readonly subject: string | undefined;
  readonly status: number;
  /** True when an injected fault or the concurrency limit answered. */
  readonly faulted: boolean;
}

export interface FaultController {
  inject(rule: FaultRule): void;
  clear(): void;
  /** Failures still queued. */
  pending(): number;
  /** Responses answered by an injected fault so far. */
  served: number;
}

export interface ServiceAccountKey {
  readonly clientEmail: string;
  readonly privateKey: string;
  readonly clientId: string;
  readonly privateKeyId: string;
}

export interface GoogleEmulatorOptions {
  /** Primary domain; default `example.com`. */
  readonly domain?: string;
  readonly secondaryDomains?: readonly string[];
  /** Customer id; default `C0emu1234`. `my_customer` is always accepted too. */
  readonly customer?: string;
  /** The super admin the service account impersonates; created as a user. Default `admin@<domain>`. */
  readonly adminUser?: string;
  /** Domain-wide delegation granted to the default service account; default the three read-only scopes. */
  readonly delegatedScopes?: readonly string[];
  readonly tokenLifetimeSeconds?: number;
  /** Added before each answer, so concurrent requests overlap measurably. */
  readonly latencyMs?: number;
  /** More API requests in flight than this are answered 403 `quotaExceeded`, as Google does. */
  readonly maxConcurrentRequests?: number;
  /** False answers every API call 403 `accessNotConfigured` (the Admin SDK API is not enabled). */
  readonly apiEnabled?: boolean;
}

export interface GoogleEmulator {
  /** Base URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The token endpoint, for `gsuite.tokenUri`. */
  readonly tokenUri: string;
  /** The Admin SDK root, for `gsuite.rootUrl`. */
  readonly rootUrl: string;
  readonly serviceAccount: ServiceAccountKey;
  readonly adminUser: string;
  readonly domain: string;
  readonly customer: string;
  readonly directory: EmulatedDirectory;
  /** Every request answered, in order; tests may empty it (`requests.length = 0`). */
  readonly requests: RecordedRequest[];
  readonly faults: FaultController;
  /** Mutable at run time. */
  readonly settings: {
    apiEnabled: boolean;
    latencyMs: number;
    maxConcurrentRequests: number | undefined;
  };
  /** The most API requests seen in flight at once since the last reset. */
  readonly stats: { readonly peakInFlight: number; reset(): void };
  /** Invalidates every access token issued so far, as a revocation or key rotation would. */
  revokeTokens(): void;
  /** Another service account of the same project, e.g. one without delegation. */
  addServiceAccount(options?: {
    delegatedScopes?: readonly string[];
    name?: string;
  }): Promise<ServiceAccountKey>;
  /** The JSON key file Google issues for a service account (the default one unless given). */
  keyFileJson(account?: ServiceAccountKey): string;
  stop(): Promise<void>;
}

interface AccountRecord extends ServiceAccountKey {
  readonly publicKey: KeyObject;
  readonly delegatedScopes: readonly string[];
}

interface IssuedToken {
  readonly clientEmail: string;
  readonly subject: string | undefined;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** Google's classic JSON error body, which googleapis clients parse into `errors[].reason`. */
function apiError(
  code: number,
  reason: string,
  message: string,
  domain = 'global',
  status?: string,
): HttpError {
  return new HttpError(code, {
    error: { code, message, errors: [{ message, domain, reason }], ...(status ? { status } : {}) },
  });
}

function faultError(rule: FaultRule): HttpError {
  const headers: Record<string, string> =
    rule.retryAfterSeconds === undefined ? {} : { 'retry-after': String(rule.retryAfterSeconds) };
  const make = (): HttpError => {
    switch (rule.kind) {
      case 'userRateLimitExceeded':
        return apiError(403, 'userRateLimitExceeded', 'User Rate Limit Exceeded', 'usageLimits');
      case 'quotaExceeded':
        return apiError(403, 'quotaExceeded', 'Quota exceeded', 'usageLimits');
      case 'rateLimitExceeded':
        return apiError(403, 'rateLimitExceeded', 'Rate Limit Exceeded', 'usageLimits');
      case 'tooManyRequests':
        return apiError(
          429,
          'rateLimitExceeded',
          'Resource has been exhausted (e.g. check quota).',
          'global',
          'RESOURCE_EXHAUSTED',
        );
      case 'backendError':
        return apiError(500, 'backendError', 'Backend Error', 'global', 'INTERNAL');
      case 'serviceUnavailable':
        return apiError(
          503,
          'backendError',
          'The service is currently unavailable.',
          'global',
          'UNAVAILABLE',
        );
    }
  };
  const error = make();
  return new HttpError(error.status, error.body, headers);
}

function ruleMatches(rule: FaultRule, route: GoogleRoute): boolean {
  const target = rule.route ?? 'api';
  return target === 'any' || target === route || (target === 'api' && route !== 'token');
}

async function newServiceAccount(
  name: string,
  delegatedScopes: readonly string[],
): Promise<AccountRecord> {
  const { privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    clientEmail: `${name}@bwdc-emulator.iam.gserviceaccount.com`,
    privateKey,
    clientId: String(100000000000000000000n + BigInt(`0x${randomBytes(6).toString('hex')}`)),
    privateKeyId: randomBytes(20).toString('hex'),
    publicKey: publicKeyOf(privateKey),
    delegatedScopes: [...delegatedScopes],
  };
}

const PAGE_LIMITS: Readonly<Record<ApiRoute, { max: number; default: number }>> = {
  'users.list': { max: 500, default: 100 },
  'groups.list': { max: 200, default: 200 },
  'members.list': { max: 200, default: 200 },
};

/**
 * Starts the emulator on 127.0.0.1 (a free port). It serves the OAuth token endpoint for the
 * JWT-bearer grant and the Directory API's users.list, groups.list and members.list.
 */
export async function startGoogleEmulator(
  options: GoogleEmulatorOptions = {},
): Promise<GoogleEmulator> {
  const domain = (options.domain ?? 'example.com').toLowerCase();
  const customer = options.customer ?? 'C0emu1234';
  const adminUser = options.adminUser ?? `admin@${domain}`;
  const tokenLifetime = options.tokenLifetimeSeconds ?? 3600;
  const directory = new EmulatedDirectory(domain, options.secondaryDomains ?? [], customer);
  directory.addUser({
    primaryEmail: adminUser,
    givenName: 'Admin',
    familyName: 'User',
    isAdmin: true,
  });

  const accounts = new Map<string, AccountRecord>();
  const primaryAccount = await newServiceAccount(
    'bwdc-sync',
    options.delegatedScopes ?? DIRECTORY_READONLY_SCOPES,
  );
  accounts.set(primaryAccount.clientEmail, primaryAccount);
  const tokens = new Map<string, IssuedToken>();
  const requests: RecordedRequest[] = [];
  const rules: { rule: FaultRule; left: number }[] = [];
  const settings = {
    apiEnabled: options.apiEnabled ?? true,
    latencyMs: options.latencyMs ?? 0,
    maxConcurrentRequests: options.maxConcurrentRequests,
  };
  let inFlight = 0;
  let peakInFlight = 0;

  const faults: FaultController = {
    inject(rule) {
      rules.push({ rule, left: rule.count ?? 1 });
    },
    clear() {
      rules.length = 0;
    },
    pending() {
      return rules.reduce((sum, r) => sum + r.left, 0);
    },
    served: 0,
  };

  const takeFault = (route: GoogleRoute): FaultRule | undefined => {
    const entry = rules.find((r) => r.left > 0 && ruleMatches(r.rule, route));
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left === 0) rules.splice(rules.indexOf(entry), 1);
    faults.served += 1;
    return entry.rule;
  };

  let baseUrl = '';
  const tokenPath = '/token';

  // ---- token endpoint -------------------------------------------------------------------------
  const issueToken = (form: URLSearchParams): unknown => {
    const grantType = form.get('grant_type');
    if (grantType !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      throw new TokenEndpointError(
        400,
        'unsupported_grant_type',
        `Invalid grant_type: ${grantType ?? ''}`,
      );
    }
    const assertion = form.get('assertion');
    if (!assertion)
      throw new TokenEndpointError(400, 'invalid_request', 'Missing required parameter: assertion');
    const nowSeconds = Math.floor(Date.now() / 1000);
    const claims = verifyAssertion(
      assertion,
      (email) => accounts.get(email)?.publicKey,
      `${baseUrl}${tokenPath}`,
      nowSeconds,
    );
    const account = accounts.get(claims.iss)!;
    const scopes = claims.scope.split(/\s+/).filter(Boolean);
    if (claims.sub !== undefined) {
      if (!directory.findUser(claims.sub))
        throw new TokenEndpointError(400, 'invalid_grant', 'Invalid email or User ID');
      if (!scopes.every((s) => account.delegatedScopes.includes(s))) {
        throw new TokenEndpointError(
          401,
          'unauthorized_client',
          'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
        );
      }
    }
    const accessToken = `ya29.emu-${randomBytes(24).toString('base64url')}`;
    tokens.set(accessToken, {
      clientEmail: account.clientEmail,
      subject: claims.sub === undefined ? undefined : directory.findUser(claims.sub)!.primaryEmail,
      scopes,
      expiresAt: Date.now() + tokenLifetime * 1000,
    });
    return { access_token: accessToken, expires_in: tokenLifetime, token_type: 'Bearer' };
  };

  // ---- Directory API --------------------------------------------------------------------------
  const authorize = (req: IncomingMessage, route: ApiRoute): IssuedToken => {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/i.exec(header)?.[1];
    const issued = token === undefined ? undefined : tokens.get(token);
    if (!issued || issued.expiresAt <= Date.now()) {
      throw apiError(
        401,
        'authError',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        'global',
        'UNAUTHENTICATED',
      );
    }
    if (!settings.apiEnabled) {
      throw apiError(
        403,
        'accessNotConfigured',
        'Admin SDK API has not been used in project 1234567890 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/admin.googleapis.com/overview?project=1234567890 then retry.',
        'usageLimits',
        'PERMISSION_DENIED',
      );
    }
    if (!issued.scopes.some((s) => ROUTE_SCOPES[route].includes(s))) {
      throw apiError(
        403,
        'insufficientPermissions',
        'Request had insufficient authentication scopes.',
        'global',
        'PERMISSION_DENIED',
      );
    }
    const admin = issued.subject === undefined ? undefined : directory.findUser(issued.subject);
    if (!admin || !admin.isAdmin || admin.suspended) {
      throw apiError(403, 'forbidden', 'Not Authorized to access this resource/api');
    }
    return issued;
  };

  const pageSize = (route: ApiRoute, query: URLSearchParams): number => {
    const raw = query.get('maxResults');
    if (raw === null) return PAGE_LIMITS[route].default;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > PAGE_LIMITS[route].max) {
      throw apiError(
        400,
        'invalid',
        `Invalid value '${raw}'. Values must be within the range: [1, ${PAGE_LIMITS[route].max}]`,
      );
    }
    return n;
  };

  /** Page tokens carry the offset and a fingerprint of the query, so a token from another query is refused. */
  const paginate = <T>(
    route: ApiRoute,
    query: URLSearchParams,
    items: readonly T[],
    extra: string,
  ): { page: T[]; next?: string } => {
    const size = pageSize(route, query);
    const fingerprint = createHash('sha256')
      .update(
        [
          route,
          extra,
          query.get('customer'),
          query.get('domain'),
          query.get('query'),
          query.get('showDeleted'),
          query.get('userKey'),
          query.get('roles'),
        ].join('\u0000'),
      )
      .digest('base64url')
      .slice(0, 12);
    let offset = 0;
    const token = query.get('pageToken');
    if (token) {
      const [tokenFingerprint, rawOffset] = Buffer.from(token, 'base64url')
        .toString('utf8')
        .split(':');
      offset = Number(rawOffset);
      if (tokenFingerprint !== fingerprint || !Number.isInteger(offset) || offset < 0) {
        throw apiError(400, 'invalid', 'Invalid page token');
      }
    }
    const page = items.slice(offset, offset + size);
    const nextOffset = offset + size;
    return nextOffset < items.length
      ? { page, next: Buffer.from(`${fingerprint}:${nextOffset}`).toString('base64url') }
      : { page };
  };

  const checkCustomerAndDomain = (
    query: URLSearchParams,
    allowUserKey: boolean,
  ): string | undefined => {
    const customerParam = query.get('customer');
    const domainParam = query.get('domain');
    if (!customerParam && !domainParam && !(allowUserKey && query.get('userKey'))) {
      throw apiError(400, 'badRequest', 'Bad Request');
    }
    if (customerParam && customerParam !== 'my_customer' && customerParam !== customer) {
      throw apiError(400, 'badRequest', 'Bad Request');
    }
    if (domainParam) {
      if (!directory.domains.includes(domainParam.toLowerCase()))
        throw apiError(404, 'notFound', 'Domain not found.');
      // As Google does: with a domain, only that domain's entries, whatever the customer says.
      return domainParam.toLowerCase();
    }
    return undefined;
  };

  const userResource = (user: EmulatedUser): Record<string, unknown> => ({
    kind: 'admin#directory#user',
    id: user.id,
    etag: `"${user.id}"`,
    primaryEmail: user.primaryEmail,
    name: {
      givenName: user.givenName,
      familyName: user.familyName,
      fullName: `${user.givenName} ${user.familyName}`,
    },
    isAdmin: user.isAdmin,
    isDelegatedAdmin: false,
    lastLoginTime: '1970-01-01T00:00:00.000Z',
    creationTime: user.creationTime,
    ...(user.deletionTime ? { deletionTime: user.deletionTime } : {}),
    agreedToTerms: true,
    suspended: user.suspended,
    archived: user.archived,
    changePasswordAtNextLogin: false,
    ipWhitelisted: false,
    emails: [
      { address: user.primaryEmail, primary: true },
      ...user.aliases.map((address) => ({ address })),
    ],
    ...(user.aliases.length ? { aliases: user.aliases } : {}),
    customerId: customer,
    orgUnitPath: user.orgUnitPath,
    isMailboxSetup: true,
    includeInGlobalAddressList: true,
  });

  const groupResource = (group: EmulatedGroup): Record<string, unknown> => ({
    kind: 'admin#directory#group',
    id: group.id,
    etag: `"${group.id}"`,
    email: group.email,
    name: group.name,
    directMembersCount: String(directory.membersOf(group.id).length),
    description: group.description,
    adminCreated: true,
    ...(group.aliases.length ? { aliases: group.aliases } : {}),
  });

  const memberResource = (m: EmulatedMembership): Record<string, unknown> => {
    const base = {
      kind: 'admin#directory#member',
      etag: `"${m.targetId}"`,
      id: m.targetId,
      role: m.role,
      type: m.type,
    };
    if (m.type === 'CUSTOMER') return base;
    if (m.type === 'GROUP')
      return { ...base, email: directory.findGroup(m.targetId)?.email, status: 'ACTIVE' };
    const user = directory.findUser(m.targetId)!;
    const status = user.suspended ? 'SUSPENDED' : user.archived ? 'ARCHIVED' : 'ACTIVE';
    return { ...base, email: user.primaryEmail, status, delivery_settings: 'ALL_MAIL' };
  };

  /** Applies `fields`, dropping empty lists as Google does (no `users` key on an empty page). */
  const respond = (
    query: URLSearchParams,
    schema: FieldSchema,
    body: Record<string, unknown>,
  ): unknown => {
    const fields = query.get('fields');
    if (!fields) return body;
    try {
      const tree = parseFields(fields);
      validateFields(tree, schema, fields);
      return applyFields(body, tree);
    } catch (error) {
      if (error instanceof FieldSelectionError)
        throw apiError(400, 'invalidParameter', error.message);
      throw error;
    }
  };

  const withQuery = <T>(build: () => T): T => {
    try {
      return build();
    } catch (error) {
      if (error instanceof QuerySyntaxError) throw apiError(400, 'invalid', error.message);
      throw error;
    }
  };

  const listUsers = (query: URLSearchParams): unknown => {
    const onlyDomain = checkCustomerAndDomain(query, false);
    const deleted = query.get('showDeleted') === 'true';
    const matches = withQuery(() => userQueryPredicate(query.get('query') ?? undefined));
    const users = directory
      .allUsers()
      .filter(
        (u) =>
          u.deleted === deleted &&
          (!onlyDomain || domainOf(u.primaryEmail) === onlyDomain) &&
          matches(u),
      );
    const { page, next } = paginate('users.list', query, users, '');
    return respond(query, USERS_SCHEMA, {
      kind: 'admin#directory#users',
      etag: '"emulator"',
      ...(page.length ? { users: page.map(userResource) } : {}),
      ...(next ? { nextPageToken: next } : {}),
    });
  };

  const listGroups = (query: URLSearchParams): unknown => {
    const onlyDomain = checkCustomerAndDomain(query, true);
    const matches = withQuery(() =>
      groupQueryPredicate(query.get('query') ?? undefined, directory),
    );
    const userKey = query.get('userKey');
    const memberId = userKey ? directory.findUser(userKey)?.id : undefined;
    if (userKey && !memberId) throw apiError(404, 'notFound', 'Resource Not Found: userKey');
    const groups = directory
      .allGroups()
      .filter(
        (g) =>
          (!onlyDomain || domainOf(g.email) === onlyDomain) &&
          (!memberId || directory.membersOf(g.id).some((m) => m.targetId === memberId)) &&
          matches(g),
      );
    const { page, next } = paginate('groups.list', query, groups, '');
    return respond(query, GROUPS_SCHEMA, {
      kind: 'admin#directory#groups',
      etag: '"emulator"',
      ...(page.length ? { groups: page.map(groupResource) } : {}),
      ...(next ? { nextPageToken: next } : {}),
    });
  };

  const listMembers = (groupKey: string, query: URLSearchParams): unknown => {
    const group = directory.findGroup(groupKey);
    if (!group) throw apiError(404, 'notFound', 'Resource Not Found: groupKey');
    const roles = query
      .get('roles')
      ?.split(',')
      .map((r) => r.trim().toUpperCase());
    const members = directory.membersOf(group.id).filter((m) => !roles || roles.includes(m.role));
    const { page, next } = paginate('members.list', query, members, group.id);
    return respond(query, MEMBERS_SCHEMA, {
      kind: 'admin#directory#members',
      etag: '"emulator"',
      ...(page.length ? { members: page.map(memberResource) } : {}),
      ...(next ? { nextPageToken: next } : {}),
    });
  };

  // ---- HTTP -----------------------------------------------------------------------------------
  const routeOf = (
    method: string,
    path: string,
  ): { route: GoogleRoute; groupKey?: string } | undefined => {
    if (method === 'POST' && path === tokenPath) return { route: 'token' };
    if (method !== 'GET') return undefined;
    if (path === '/admin/directory/v1/users') return { route: 'users.list' };
    if (path === '/admin/directory/v1/groups') return { route: 'groups.list' };
    const members = /^\/admin\/directory\/v1\/groups\/([^/]+)\/members$/.exec(path);
    if (members) return { route: 'members.list', groupKey: decodeURIComponent(members[1]!) };
    return undefined;
  };

  const readBody = async (req: IncomingMessage): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', baseUrl);
    const method = req.method ?? 'GET';
    const match = routeOf(method, url.pathname);
    const isApi = match !== undefined && match.route !== 'token';
    let subject: string | undefined;
    let faulted = false;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      requests.push({
        method,
        route: match?.route ?? 'unknown',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        subject,
        status,
        faulted,
      });
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
      res.end(JSON.stringify(body));
    };

    if (isApi) {
      inFlight += 1;
      peakInFlight = Math.max(peakInFlight, inFlight);
    }
    try {
      const body = method === 'POST' ? await readBody(req) : '';
      if (settings.latencyMs > 0)
        await new Promise((resolve) => setTimeout(resolve, settings.latencyMs));
      if (!match) throw apiError(404, 'notFound', `No such method: ${method} ${url.pathname}`);
      if (
        isApi &&
        settings.maxConcurrentRequests !== undefined &&
        inFlight > settings.maxConcurrentRequests
      ) {
        faulted = true;
        throw faultError({ kind: 'quotaExceeded' });
      }
      const fault = takeFault(match.route);
      if (fault) {
        faulted = true;
        throw faultError(fault);
      }
      if (match.route === 'token') {
        send(200, issueToken(new URLSearchParams(body)));
        return;
      }
      const issued = authorize(req, match.route);
      subject = issued.subject;
      const result =
        match.route === 'users.list'
          ? listUsers(url.searchParams)
          : match.route === 'groups.list'
            ? listGroups(url.searchParams)
            : listMembers(match.groupKey!, url.searchParams);
      send(200, result);
    } catch (error) {
      if (error instanceof HttpError) send(error.status, error.body, error.headers);
      else if (error instanceof TokenEndpointError)
        send(error.status, { error: error.error, error_description: error.description });
      else
        send(500, {
          error: { code: 500, message: `Emulator failure: ${(error as Error).message}` },
        });
    } finally {
      if (isApi) inFlight -= 1;
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  const keyOf = (account: AccountRecord): ServiceAccountKey => ({
    clientEmail: account.clientEmail,
    privateKey: account.privateKey,
    clientId: account.clientId,
    privateKeyId: account.privateKeyId,
  });

  return {
    url: baseUrl,
    tokenUri: `${baseUrl}${tokenPath}`,
    rootUrl: `${baseUrl}/`,
    serviceAccount: keyOf(primaryAccount),
    adminUser,
    domain,
    customer,
    directory,
    requests,
    faults,
    settings,
    stats: {
      get peakInFlight() {
        return peakInFlight;
      },
      reset() {
        peakInFlight = 0;
      },
    },
    revokeTokens() {
      tokens.clear();
    },
    async addServiceAccount(opts = {}) {
      const account = await newServiceAccount(
        opts.name ?? `sa-${randomBytes(3).toString('hex')}`,
        opts.delegatedScopes ?? [],
      );
      accounts.set(account.clientEmail, account);
      return keyOf(account);
    },
    keyFileJson(account = primaryAccount) {
      return JSON.stringify(
        {
          type: 'service_account',
          project_id: 'bwdc-emulator',
          private_key_id: account.privateKeyId,
          private_key: account.privateKey,
          client_email: account.clientEmail,
          client_id: account.clientId,
          auth_uri: 'https://accounts.google.com/o/oauth2/auth',
          token_uri: `${baseUrl}${tokenPath}`,
          auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
          client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(account.clientEmail)}`,
          universe_domain: 'googleapis.com',
        },
        null,
        2,
      );
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
