/**
 * The loopback Bitwarden server: identity token endpoint, public import/members/groups, ping and
 * config, with fault injection and an inspection API. Routes answer both under `/api` and
 * `/identity` (a self-hosted base URL) and without a prefix (split api/identity URLs).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { bindOfficialImport, parseVaultwardenImport } from './body';
import { officialImport, type ImportEffects } from './import-official';
import { vaultwardenImport } from './import-vaultwarden';
import { officialRead } from './read-endpoints';
import {
  HttpError,
  MemberStatus,
  MemberType,
  memberRowFromSeed,
  officialServerError,
  toEmulatedGroups,
  toEmulatedMembers,
  vaultwardenError,
  type EmulatedGroup,
  type EmulatedMember,
  type EmulatorEvent,
  type GroupRow,
  type OrgState,
  type SeedGroup,
  type SeedMember,
} from './model';

export type EmulatorMode = 'cloud' | 'selfhosted' | 'vaultwarden';

export interface BitwardenEmulatorOptions {
  /** Default 0: a free port. The server always binds 127.0.0.1. */
  port?: number;
  /** Default 'cloud'. */
  mode?: EmulatorMode;
  /** Seats with no autoscaling beyond them; null (default) means unlimited. */
  seats?: number | null;
  organizationId?: string;
  /** The organization API key; default 30 random alphanumerics, like the server's. */
  clientSecret?: string;
  /** Keeps the organization (members, groups, key) in this JSON file between runs. */
  stateFile?: string;
  /** Default 3600, as the server's `AccessTokenLifetime`. */
  tokenLifetimeSeconds?: number;
  /** Feature flag `pm-34423-staged-status` (default off): uninvited new members become Staged. */
  stagedStatus?: boolean;
  /** Vaultwarden's ORG_GROUPS_ENABLED (default false, as there). */
  vaultwardenGroups?: boolean;
  /** Enforce the cloud rate limits (§6) or Vaultwarden's login limiter. Default off so tests can log in freely. */
  rateLimits?: boolean;
  /** Seed a confirmed Owner `owner@example.com` (default true): the server refuses invites without one. */
  withOwner?: boolean;
  /**
   * Emulator only: split `GET /public/members` and `/public/groups` into pages of this many
   * entries linked by `continuationToken`. The real server returns one page (default: null).
   */
  pageSize?: number | null;
}

export interface Fault {
  /**
   * A route path with or without its `/api` or `/identity` prefix, e.g. `/public/organization/import`;
   * a `*` segment matches any one segment (e.g. every group id of the member-ids route).
   */
  path: string;
  /** 1-based number of the call to a matching path the fault starts at; default: the next call. */
  call?: number;
  /** Answer with this status instead of handling the request (401 simulates a token the server stopped accepting). */
  status?: number;
  /** With status 429 (or any status): the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  /** Wait this long before answering (then answer normally unless status or drop is set). */
  delayMs?: number;
  /** Destroy the connection without answering. */
  drop?: boolean;
  /** How many consecutive calls the fault affects; default 1. */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** JSON bodies parsed, form bodies as an object, otherwise the raw text (or undefined when empty). */
  body: unknown;
}

export interface BitwardenEmulator {
  /** Base URL, e.g. http://127.0.0.1:PORT; serves {url}/api/... and {url}/identity/... */
  readonly url: string;
  readonly apiUrl: string;
  readonly identityUrl: string;
  readonly mode: EmulatorMode;
  readonly organizationId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly org: {
    members(): EmulatedMember[];
    groups(): EmulatedGroup[];
    member(email: string): EmulatedMember | undefined;
    seats(): number | null;
  };
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Events the official server would log (Vaultwarden logs none). */
  readonly events: EmulatorEvent[];
  /** Emails that were sent an invitation. */
  readonly invites: string[];
  readonly faults: { add(f: Fault): void; clear(): void };
  /** n seats, no autoscaling beyond them; null = unlimited. */
  setSeats(n: number | null): void;
  /** Cloud autoscaling: seats grow on demand up to this cap (null = no cap). */
  setMaxAutoscaleSeats(n: number | null): void;
  setOrganization(
    flags: Partial<
      Pick<
        OrgState,
        'enabled' | 'useApi' | 'useDirectory' | 'useGroups' | 'stagedStatus' | 'vaultwardenGroups'
      >
    >,
  ): void;
  /** Invalidates every token issued so far; the next authorized call gets 401. */
  expireTokens(): void;
  /** Issues a new client secret; the old one stops working at once. */
  rotateClientSecret(): string;
  seed(members: SeedMember[]): void;
  seedGroups(groups: SeedGroup[]): void;
  /** Emulator only: page the member and group lists (see `BitwardenEmulatorOptions.pageSize`). */
  setPageSize(n: number | null): void;
  /**
   * Another organization on the same server, with its own API key, members and groups (the
   * server's tenancy: one org's token never sees another's rows). Not kept in the state file.
   */
  addOrganization(options?: { withOwner?: boolean }): OtherOrganization;
  stop(): Promise<void>;
}

/** A further organization of the emulated server. */
export interface OtherOrganization {
  readonly organizationId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  members(): EmulatedMember[];
  groups(): EmulatedGroup[];
  seed(members: SeedMember[]): void;
  seedGroups(groups: SeedGroup[]): void;
}

const API_ROUTES = new Set(['/public/organization/import', '/public/members', '/public/groups']);

export async function startBitwardenEmulator(
  options: BitwardenEmulatorOptions = {},
): Promise<BitwardenEmulator> {
  const mode = options.mode ?? 'cloud';
  const vw = mode === 'vaultwarden';
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const signingKey = randomBytes(32);
  let issued = new Set<string>();
  const requests: RecordedRequest[] = [];
  const events: EmulatorEvent[] = [];
  const invites: string[] = [];
  const faults: (Fault & { start: number; remaining: number; seen: number })[] = [];
  const calls = new Map<string, number>();
  const rateWindows = new Map<string, number[]>();
  let pageSize = options.pageSize ?? null;

  const org = loadOrCreateState(options, vw);
  /** Every organization of this server; the first is `org`, the one the state file keeps. */
  const orgs: OrgState[] = [org];
  const save = (): void => {
    if (!options.stateFile) return;
    const tmp = `${options.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(org, null, 2), { mode: 0o600 });
    renameSync(tmp, options.stateFile);
  };
  save();

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent)
        send(res, 500, {
          object: 'error',
          message: 'An unhandled server error has occurred.',
          errors: null,
        });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req, vw ? 20 * 1024 * 1024 : 30_000_000);
    if (raw === null)
      return send(
        res,
        413,
        vw ? undefined : { object: 'error', message: 'Request body too large.', errors: null },
      );
    const { surface, route } = splitPath(url.pathname);
    requests.push(recordOf(req.method ?? 'GET', url.pathname, { ...req.headers }, raw));

    calls.set(route, (calls.get(route) ?? 0) + 1);
    const fault = takeFault(route);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs).unref());
    if (fault?.drop) {
      req.socket.destroy();
      return;
    }
    if (fault?.status) {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined)
        headers['retry-after'] = String(fault.retryAfterSeconds);
      const message =
        fault.status === 429
          ? 'Slow down! Too many requests. Try again in 1s.'
          : 'An unhandled server error has occurred.';
      // The official API answers 401 (an expired or refused token) with an empty body.
      if (fault.status === 401 && !vw) return send(res, 401, undefined, headers);
      return send(
        res,
        fault.status,
        vw
          ? vaultwardenError(message, fault.status).body
          : { object: 'error', message, errors: null },
        headers,
      );
    }

    try {
      const result = dispatch(req.method ?? 'GET', surface, route, url.searchParams, raw, req);
      send(res, result.status, result.body, result.headers);
    } catch (e) {
      if (e instanceof HttpError) return send(res, e.status, e.body, e.headers);
      const err = officialServerError();
      send(res, err.status, err.body);
    }
  }

  interface Result {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
  }

  function dispatch(
    method: string,
    surface: 'api' | 'identity' | 'none',
    route: string,
    query: URLSearchParams,
    raw: string,
    req: IncomingMessage,
  ): Result {
    if (method === 'GET' && (route === '/alive' || route === '/now'))
      return { status: 200, body: new Date().toISOString() };
    if (method === 'GET' && route === '/config' && surface !== 'identity')
      return { status: 200, body: configBody() };
    if (vw && method === 'GET' && route === '/version' && surface === 'api')
      return { status: 200, body: '2026.6.0' };

    if (route === '/connect/token' && surface !== 'api') {
      if (method !== 'POST') return { status: 405 };
      rateLimit(`token:${req.socket.remoteAddress}`);
      return token(raw, req);
    }
    if (surface === 'identity') return { status: 404 };

    if (route === '/public/organization/import' && method === 'POST') {
      const org = authorize(req);
      rateLimit(`post:${req.socket.remoteAddress}`);
      const effects: ImportEffects = { events, invites };
      try {
        if (vw) vaultwardenImport(org, parseVaultwardenImport(raw), effects);
        else officialImport(org, bindOfficialImport(raw), mode === 'selfhosted', effects);
      } finally {
        save(); // earlier steps persist even when a later one throws
      }
      return { status: 200 };
    }
    if (!vw && method === 'GET' && /^\/public\/(members|groups)(\/|$)/.test(route)) {
      const org = authorize(req);
      rateLimit(`get:${req.socket.remoteAddress}`);
      const result = officialRead(org, route, query, pageSize);
      if (result) return result;
    }
    if (API_ROUTES.has(route) && !vw) return { status: 405 };
    return { status: 404 };
  }

  function token(raw: string, req: IncomingMessage): Result {
    const orgOf = (orgPart: string): OrgState | undefined =>
      orgs.find((o) => o.id.toLowerCase() === orgPart.toLowerCase());
    const form = (req.headers['content-type'] ?? '')
      .toLowerCase()
      .startsWith('application/x-www-form-urlencoded')
      ? new URLSearchParams(raw)
      : null;
    const oauthError = (error: string): never => {
      throw new HttpError(400, { error });
    };
    if (vw) {
      const get = (name: string): string => {
        const v = form?.get(name);
        if (!v) throw vaultwardenError(`${name} cannot be blank`);
        return v;
      };
      if (form?.get('grant_type') !== 'client_credentials') throw vaultwardenError('Invalid type');
      const clientId = get('client_id');
      const secret = get('client_secret');
      const scope = get('scope');
      get('deviceIdentifier');
      get('deviceName');
      get('deviceType');
      if (scope !== 'api.organization') throw vaultwardenError('Scope not supported');
      const orgPart = clientId.startsWith('organization.')
        ? clientId.slice('organization.'.length)
        : null;
      if (!orgPart || !isGuid(orgPart)) throw vaultwardenError('Malformed client_id');
      const org = orgOf(orgPart);
      if (!org) throw vaultwardenError('Invalid client_id');
      if (!safeEqual(secret, org.apiKey)) throw vaultwardenError('Incorrect client_secret');
      return { status: 200, body: issueToken(org) };
    }
    if (!form) return oauthError('invalid_request');
    const grant = form.get('grant_type');
    if (!grant) return oauthError('invalid_request');
    if (grant !== 'client_credentials') return oauthError('unsupported_grant_type');
    const clientId = form.get('client_id') ?? '';
    const orgPart = clientId.startsWith('organization.')
      ? clientId.slice('organization.'.length)
      : null;
    const org = orgPart && isGuid(orgPart) ? orgOf(orgPart) : undefined;
    if (!org) return oauthError('invalid_client');
    if (!org.enabled || !org.useApi || !safeEqual(form.get('client_secret') ?? '', org.apiKey))
      return oauthError('invalid_client');
    const scope = form.get('scope');
    if (scope && scope.split(' ').some((s) => s !== 'api.organization'))
      return oauthError('invalid_scope');
    return { status: 200, body: issueToken(org) };
  }

  function issueToken(org: OrgState): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const jti = randomUUID();
    const header = { alg: 'HS256', typ: 'at+jwt' };
    const payload = {
      nbf: now,
      exp: now + lifetime,
      iss: vw ? `${baseUrl}|api.organization` : `${baseUrl}/identity`,
      client_id: `organization.${org.id}`,
      client_sub: org.id,
      client_type: 'Organization',
      scope: ['api.organization'],
      jti,
    };
    const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    issued.add(jti);
    return {
      access_token: `${unsigned}.${sign(unsigned)}`,
      expires_in: lifetime,
      token_type: 'Bearer',
      scope: 'api.organization',
    };
  }

  /** The organization the bearer token was issued to; 401 without a valid token. */
  function authorize(req: IncomingMessage): OrgState {
    // Built only when needed: an Error captures a stack, and every read of a large organization
    // passes through here.
    const unauthorized = (): HttpError =>
      new HttpError(401, vw ? vaultwardenError('Invalid claim', 401).body : undefined);
    const m = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
    if (!m) throw unauthorized();
    const parts = m[1]!.split('.');
    if (parts.length !== 3 || sign(`${parts[0]}.${parts[1]}`) !== parts[2]) throw unauthorized();
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as {
      exp: number;
      jti: string;
      client_sub: string;
      scope: string[];
    };
    const org = orgs.find((o) => o.id === payload.client_sub);
    if (payload.exp * 1000 <= Date.now() || !issued.has(payload.jti) || !org) throw unauthorized();
    if (!payload.scope.includes('api.organization')) throw new HttpError(403, undefined);
    return org;
  }

  /**
   * Cloud: `post:/connect/token` 10/min, API posts 60/min, API gets 200/min (§6). Vaultwarden:
   * login burst 10 per 60 s (§4).
   */
  function rateLimit(key: string): void {
    if (!options.rateLimits || mode === 'selfhosted') return;
    if (vw && !key.startsWith('token:')) return;
    const limit = key.startsWith('token:') ? 10 : key.startsWith('get:') ? 200 : 60;
    const now = Date.now();
    const window = (rateWindows.get(key) ?? []).filter((t) => now - t < 60_000);
    if (window.length >= limit) {
      const retry = Math.ceil((60_000 - (now - window[0]!)) / 1000);
      if (vw) throw vaultwardenError('Too many login requests', 429);
      throw new HttpError(
        429,
        {
          object: 'error',
          message: 'Slow down! Too many requests. Try again in 1m.',
          errors: null,
        },
        { 'retry-after': String(retry) },
      );
    }
    window.push(now);
    rateWindows.set(key, window);
  }

  /** Counts this call for every fault whose path matches, and returns the first one due. */
  function takeFault(route: string): Fault | undefined {
    let due: number | undefined;
    faults.forEach((f, i) => {
      if (!routeMatches(f.path, route)) return;
      f.seen += 1;
      if (due === undefined && f.seen >= f.start && f.remaining > 0) due = i;
    });
    if (due === undefined) return undefined;
    const f = faults[due]!;
    f.remaining -= 1;
    if (f.remaining <= 0) faults.splice(due, 1);
    return f;
  }

  function configBody(): Record<string, unknown> {
    return {
      object: 'config',
      version: '2026.8.0',
      gitHash: 'emulator',
      server: vw
        ? { name: 'Vaultwarden', url: 'https://github.com/dani-garcia/vaultwarden' }
        : null,
      environment: {
        cloudRegion: mode === 'cloud' ? 'US' : null,
        vault: baseUrl,
        api: `${baseUrl}/api`,
        identity: `${baseUrl}/identity`,
        notifications: `${baseUrl}/notifications`,
        sso: '',
      },
      featureStates: { 'pm-34423-staged-status': org.stagedStatus },
    };
  }

  const sign = (data: string): string =>
    createHmac('sha256', signingKey).update(data).digest('base64url');

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api`,
    identityUrl: `${baseUrl}/identity`,
    mode,
    organizationId: org.id,
    clientId: `organization.${org.id}`,
    get clientSecret() {
      return org.apiKey;
    },
    org: {
      members: () => toEmulatedMembers(org),
      groups: () => toEmulatedGroups(org),
      member: (email) => {
        const m = org.members.find((x) => x.email.toLowerCase() === email.toLowerCase());
        return m && toEmulatedMembers(org, [m])[0];
      },
      seats: () => org.seats,
    },
    requests,
    events,
    invites,
    faults: {
      add(f) {
        const route = splitPath(f.path).route;
        let seen = 0;
        for (const [called, n] of calls) if (routeMatches(route, called)) seen += n;
        const start = f.call ?? seen + 1;
        faults.push({ ...f, path: route, start, remaining: f.times ?? 1, seen });
      },
      clear() {
        faults.length = 0;
      },
    },
    setSeats(n) {
      org.seats = n;
      org.maxAutoscaleSeats = n;
      save();
    },
    setMaxAutoscaleSeats(n) {
      org.maxAutoscaleSeats = n;
      save();
    },
    setOrganization(flags) {
      Object.assign(org, flags);
      save();
    },
    expireTokens() {
      issued = new Set();
    },
    rotateClientSecret() {
      org.apiKey = newApiKey();
      save();
      return org.apiKey;
    },
    seed(members) {
      seedMembers(org, members);
      save();
    },
    seedGroups(groups) {
      seedGroups(org, groups);
      save();
    },
    setPageSize(n) {
      pageSize = n;
    },
    addOrganization(extra = {}) {
      const other = loadOrCreateState({ withOwner: extra.withOwner ?? true }, vw);
      orgs.push(other);
      return {
        organizationId: other.id,
        clientId: `organization.${other.id}`,
        clientSecret: other.apiKey,
        members: () => toEmulatedMembers(other),
        groups: () => toEmulatedGroups(other),
        seed: (members) => seedMembers(other, members),
        seedGroups: (groups) => seedGroups(other, groups),
      };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function seedMembers(org: OrgState, members: SeedMember[]): void {
  const byName = new Map<string, GroupRow>();
  for (const g of org.groups) if (!byName.has(g.name)) byName.set(g.name, g);
  for (const s of members) {
    const row = memberRowFromSeed(s);
    org.members.push(row);
    for (const name of s.groups ?? []) {
      let g = byName.get(name);
      if (!g) {
        g = { id: randomUUID(), name, externalId: null, memberIds: [] };
        org.groups.push(g);
        byName.set(name, g);
      }
      g.memberIds.push(row.id);
    }
  }
}

function seedGroups(org: OrgState, groups: SeedGroup[]): void {
  const byEmail = new Map(org.members.map((m) => [m.email.toLowerCase(), m]));
  for (const s of groups) {
    const ids = (s.members ?? []).map((email) => {
      const m = byEmail.get(email.toLowerCase());
      if (!m) throw new Error(`seedGroups: no member ${email}; seed the member first`);
      return m.id;
    });
    org.groups.push({
      id: randomUUID(),
      name: s.name,
      externalId: s.externalId ?? null,
      memberIds: ids,
    });
  }
}

/** `*` matches one segment; otherwise the route must be equal. */
function routeMatches(pattern: string, route: string): boolean {
  if (!pattern.includes('*')) return pattern === route;
  const p = pattern.split('/');
  const r = route.split('/');
  return p.length === r.length && p.every((seg, i) => seg === '*' || seg === r[i]);
}

function loadOrCreateState(options: BitwardenEmulatorOptions, vw: boolean): OrgState {
  if (options.stateFile && existsSync(options.stateFile)) {
    return JSON.parse(readFileSync(options.stateFile, 'utf8')) as OrgState;
  }
  const org: OrgState = {
    id: options.organizationId ?? randomUUID(),
    name: 'Emulated Organization',
    apiKey: options.clientSecret ?? newApiKey(),
    enabled: true,
    useApi: true,
    useDirectory: true,
    useGroups: true,
    seats: options.seats ?? null,
    maxAutoscaleSeats: options.seats ?? null,
    stagedStatus: options.stagedStatus ?? false,
    vaultwardenGroups: vw ? (options.vaultwardenGroups ?? false) : true,
    members: [],
    groups: [],
  };
  if (options.withOwner !== false) {
    org.members.push(
      memberRowFromSeed({
        email: 'owner@example.com',
        type: MemberType.Owner,
        status: MemberStatus.Confirmed,
      }),
    );
  }
  return org;
}

/** `SecureRandomString`: 30 characters of a-zA-Z0-9. */
function newApiKey(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(30);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

function splitPath(pathname: string): { surface: 'api' | 'identity' | 'none'; route: string } {
  const clean = pathname.replace(/\/+$/, '') || '/';
  for (const surface of ['api', 'identity'] as const) {
    if (clean === `/${surface}`) return { surface, route: '/' };
    if (clean.startsWith(`/${surface}/`))
      return { surface, route: clean.slice(surface.length + 1) };
  }
  return { surface: 'none', route: clean };
}

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A request as recorded. Its body is parsed when first looked at: a sync's import bodies run to
 * tens of megabytes, and most are never inspected.
 */
function recordOf(
  method: string,
  path: string,
  headers: RecordedRequest['headers'],
  raw: string,
): RecordedRequest {
  let body: unknown;
  let parsed = false;
  return {
    method,
    path,
    headers,
    get body() {
      if (!parsed) {
        body = parseForRecord(raw, headers);
        parsed = true;
      }
      return body;
    },
    set body(value) {
      body = value;
      parsed = true;
    },
  };
}

function parseForRecord(raw: string, headers: RecordedRequest['headers']): unknown {
  if (raw === '') return undefined;
  const type = String(headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

const isGuid = (s: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
