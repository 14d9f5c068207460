import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  EntraDirectory,
  ODATA_TYPE,
  type AdministrativeUnitSeed,
  type GroupSeed,
  type ObjectKind,
  type StoredObject,
  type UserSeed,
} from './directory';
import { loopbackTls } from '@bwdc/test-pki';

/**
 * A loopback emulator of the Microsoft identity platform's client-credentials token endpoint and
 * of the Microsoft Graph v1.0 calls a directory sync makes. Behaviour follows Microsoft's
 * documentation; the comments name the documented rule each branch implements.
 */

export interface EntraEmulatorOptions {
  /** Directory (tenant) id; a random GUID by default. */
  readonly tenant?: string;
  /** Also accepted in the token URL in place of the tenant id, as a verified domain is. */
  readonly tenantDomain?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly users?: readonly UserSeed[];
  readonly groups?: readonly GroupSeed[];
  readonly administrativeUnits?: readonly AdministrativeUnitSeed[];
  /** Serve over HTTPS with a throwaway certificate (the default), or plain HTTP. */
  readonly https?: boolean;
  /** Application permissions (app roles) granted with admin consent; all needed ones by default. */
  readonly permissions?: readonly string[];
  /** Objects per page of a delta round; Graph chooses this itself, so clients must not assume it. */
  readonly deltaPageSize?: number;
  /**
   * `members@delta` entries per page of a group delta round. A group with more members than fit
   * appears again on the next page with the rest (the documented "paging of group members").
   */
  readonly deltaMembersPerPage?: number;
  /** Seconds an access token lives. */
  readonly tokenLifetimeSeconds?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly status: number;
  /** The `Retry-Attempt` header Graph clients send on retries. */
  readonly retryAttempt: string | undefined;
}

export interface FaultRule {
  /** How many more matching requests this rule answers. */
  remaining: number;
  readonly path: RegExp;
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly retryAfterSeconds: number | undefined;
}

export interface FaultControls {
  /**
   * The next `count` Graph requests whose path matches answer 429 Too Many Requests with a
   * Retry-After header (Graph throttling guidance), or `status` 503 / 504 when given.
   */
  throttle(
    count: number,
    options?: { retryAfterSeconds?: number; path?: RegExp; status?: 429 | 503 | 504 },
  ): void;
  /** The next `count` Graph requests whose path matches fail with this status and error code. */
  fail(
    count: number,
    options: { status: number; code: string; message?: string; path?: RegExp },
  ): void;
  /**
   * The next `count` token requests answer `status` (503 by default, or 429 with a Retry-After)
   * before any check: an identity platform that is briefly unavailable.
   */
  failTokens(
    count: number,
    options?: { status?: 429 | 500 | 503; retryAfterSeconds?: number },
  ): void;
  /**
   * The next `count` requests (token requests included) whose path matches are answered only
   * after `ms` of real time: a hung server. A client that gave up meanwhile is not answered.
   */
  delay(count: number, ms: number, path?: RegExp): void;
  /** Access tokens issued so far are treated as expired (401 InvalidAuthenticationToken). */
  expireTokens(): void;
  /** Delta tokens issued so far are no longer accepted (410 Gone, resync required). */
  expireDeltaTokens(): void;
  /** Application permissions put in tokens issued from now on. */
  readonly permissions: Set<string>;
  readonly rules: FaultRule[];
}

export interface EntraEmulator {
  /** Base URL of the server: the identity authority and the Graph endpoint share it. */
  readonly url: string;
  /** For `entra.identityAuthority`: tokens are at `{authorityUrl}/{tenant}/oauth2/v2.0/token`. */
  readonly authorityUrl: string;
  /** For `entra.graphUrl`: Graph is at `{graphUrl}/v1.0/...`. */
  readonly graphUrl: string;
  /** PEM of the certificate to trust, when serving HTTPS. */
  readonly caCert: string | undefined;
  readonly tenant: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly directory: EntraDirectory;
  /** Every request served, in order; tests may empty it. */
  readonly requests: RecordedRequest[];
  readonly faults: FaultControls;
  stop(): Promise<void>;
}

/** The least-privileged application permission for each area, and those that also grant it. */
const PERMISSIONS = {
  users: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  groups: [
    'GroupMember.Read.All',
    'Group.Read.All',
    'Group.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ],
  administrativeUnits: [
    'AdministrativeUnit.Read.All',
    'AdministrativeUnit.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ],
} as const;

export const DEFAULT_PERMISSIONS = [
  'User.Read.All',
  'GroupMember.Read.All',
  'AdministrativeUnit.Read.All',
];

const DEFAULT_PROPERTIES: Readonly<Record<ObjectKind, readonly string[]>> = {
  // The documented default set of /users has no accountEnabled: a client must $select it.
  user: ['id', 'displayName', 'mail', 'userPrincipalName'],
  group: ['id', 'displayName'],
  administrativeUnit: ['id', 'displayName'],
};

const KNOWN_PROPERTIES: Readonly<Record<ObjectKind, readonly string[]>> = {
  user: ['id', 'displayName', 'mail', 'userPrincipalName', 'accountEnabled'],
  group: ['id', 'displayName', 'members'],
  administrativeUnit: ['id', 'displayName'],
};

class GraphFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

interface DeltaState {
  /** Resource: users or groups. */
  readonly k: 'users' | 'groups';
  /** Changes after this clock value are reported; -1 = initial round (current state). */
  readonly s: number;
  /** Upper clock bound of this round. */
  readonly u?: number;
  /** Last id returned whole in this round. */
  readonly a?: string;
  /** A group whose members@delta continue on the next page, and how many were already sent. */
  readonly p?: string;
  readonly mo?: number;
  readonly sel: string[] | null;
  /** Generation of delta tokens, bumped by expireDeltaTokens. */
  readonly g: number;
}

export async function startEntraEmulator(
  options: EntraEmulatorOptions = {},
): Promise<EntraEmulator> {
  const tenant = options.tenant ?? randomUUID();
  const clientId = options.clientId ?? randomUUID();
  const clientSecret = options.clientSecret ?? `emu~${randomBytes(18).toString('base64url')}`;
  const deltaPageSize = options.deltaPageSize ?? 200;
  const deltaMembersPerPage = options.deltaMembersPerPage ?? 1000;
  const tokenLifetime = options.tokenLifetimeSeconds ?? 3599;
  const directory = new EntraDirectory();
  for (const user of options.users ?? []) directory.addUser(user);
  for (const group of options.groups ?? []) directory.addGroup({ ...group, members: [] });
  // Members second, so a group may list a group seeded after it.
  for (const group of options.groups ?? []) {
    const id =
      group.id ??
      directory.list('group').find((g) => g.props.displayName === group.displayName)!.id;
    for (const member of group.members ?? []) directory.addMember(id, member);
  }
  for (const unit of options.administrativeUnits ?? []) directory.addAdministrativeUnit(unit);

  const requests: RecordedRequest[] = [];
  const tokens = new Map<string, { expires: number; roles: Set<string> }>();
  let deltaGeneration = 0;
  const tokenFailures: { status: number; retryAfterSeconds: number | undefined }[] = [];
  const delays: { ms: number; path: RegExp }[] = [];
  const faults: FaultControls = {
    permissions: new Set(options.permissions ?? DEFAULT_PERMISSIONS),
    rules: [],
    throttle(count, o = {}) {
      const status = o.status ?? 429;
      faults.rules.push({
        remaining: count,
        path: o.path ?? /./,
        status,
        code: status === 429 ? 'TooManyRequests' : 'ServiceUnavailable',
        message:
          status === 429
            ? 'Too many requests. Please retry after the interval in Retry-After.'
            : 'Service unavailable.',
        retryAfterSeconds: o.retryAfterSeconds ?? 1,
      });
    },
    fail(count, o) {
      faults.rules.push({
        remaining: count,
        path: o.path ?? /./,
        status: o.status,
        code: o.code,
        message: o.message ?? `Injected failure ${o.code}.`,
        retryAfterSeconds: undefined,
      });
    },
    failTokens(count, o = {}) {
      const status = o.status ?? 503;
      for (let i = 0; i < count; i++)
        tokenFailures.push({ status, retryAfterSeconds: o.retryAfterSeconds });
    },
    delay(count, ms, path = /./) {
      for (let i = 0; i < count; i++) delays.push({ ms, path });
    },
    expireTokens() {
      for (const token of tokens.values()) token.expires = 0;
    },
    expireDeltaTokens() {
      deltaGeneration++;
    },
  };

  const tls = options.https === false ? undefined : await loopbackTls();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, 500, { error: { code: 'InternalServerError', message: String(error) } });
    });
  };
  const server = tls
    ? https.createServer({ key: tls.key, cert: tls.cert }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const target = new URL(req.url ?? '/', url);
    const query = Object.fromEntries(target.searchParams.entries());
    const body = await readBody(req);
    const delayAt = delays.findIndex((d) => d.path.test(target.pathname));
    if (delayAt >= 0) {
      const [delay] = delays.splice(delayAt, 1);
      await new Promise((resolve) => setTimeout(resolve, delay!.ms).unref());
      if (req.socket.destroyed) return;
    }
    const respond = (
      status: number,
      payload: unknown,
      headers: Record<string, string> = {},
    ): void => {
      requests.push({
        method: req.method ?? 'GET',
        path: target.pathname,
        query,
        status,
        retryAttempt: header(req, 'retry-attempt'),
      });
      send(res, status, payload, headers);
    };

    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(target.pathname);
    const tokenFailure = tokenPath ? tokenFailures.shift() : undefined;
    if (tokenFailure) {
      respond(
        tokenFailure.status,
        { error: 'temporarily_unavailable', error_description: 'AADSTS90033: Injected failure.' },
        tokenFailure.retryAfterSeconds === undefined
          ? {}
          : { 'Retry-After': String(tokenFailure.retryAfterSeconds) },
      );
      return;
    }
    if (tokenPath) {
      const [status, payload] = issueToken(
        decodeURIComponent(tokenPath[1]!),
        req.method ?? 'GET',
        body,
      );
      respond(status, payload);
      return;
    }
    try {
      respond(200, graph(req, target));
    } catch (error) {
      if (!(error instanceof GraphFailure)) throw error;
      respond(
        error.status,
        {
          error: {
            code: error.code,
            message: error.message,
            innerError: {
              date: new Date().toISOString(),
              'request-id': randomUUID(),
              'client-request-id': randomUUID(),
            },
          },
        },
        error.headers,
      );
    }
  }

  /** The v2.0 token endpoint, client-credentials grant with a client secret. */
  function issueToken(tenantInPath: string, method: string, body: string): [number, unknown] {
    const aadError = (
      status: number,
      error: string,
      code: number,
      description: string,
    ): [number, unknown] => [
      status,
      {
        error,
        error_description: `AADSTS${code}: ${description} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
        error_codes: [code],
        timestamp: new Date().toISOString(),
        trace_id: randomUUID(),
        correlation_id: randomUUID(),
      },
    ];
    if (method !== 'POST')
      return aadError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
    if (
      tenantInPath.toLowerCase() !== tenant.toLowerCase() &&
      tenantInPath.toLowerCase() !== options.tenantDomain?.toLowerCase()
    ) {
      return aadError(
        400,
        'invalid_request',
        90002,
        `Tenant '${tenantInPath}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') {
      return aadError(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${form.get('grant_type') ?? ''}'.`,
      );
    }
    if (form.get('client_id') !== clientId) {
      return aadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }
    const secret = form.get('client_secret');
    if (!secret) {
      return aadError(
        401,
        'invalid_client',
        7000216,
        "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
      );
    }
    if (secret !== clientSecret) {
      return aadError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
    // Client-credentials scopes are `{resource}/.default`; the resource must be this Graph.
    const scope = form.get('scope') ?? '';
    if (!scope.endsWith('/.default')) {
      return aadError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const resource = scope.slice(0, -'/.default'.length).replace(/\/+$/, '');
    if (
      resource !== url &&
      resource !== 'https://graph.microsoft.com' &&
      resource !== '00000003-0000-0000-c000-000000000000'
    ) {
      return aadError(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${resource} was not found in the tenant named ${tenant}.`,
      );
    }
    const accessToken = randomBytes(32).toString('base64url');
    tokens.set(accessToken, {
      expires: Date.now() + tokenLifetime * 1000,
      roles: new Set(faults.permissions),
    });
    return [
      200,
      {
        token_type: 'Bearer',
        expires_in: tokenLifetime,
        ext_expires_in: tokenLifetime,
        access_token: accessToken,
      },
    ];
  }

  function graph(req: http.IncomingMessage, target: URL): unknown {
    const path = target.pathname;
    const rule = faults.rules.find((r) => r.remaining > 0 && r.path.test(path));
    if (rule) {
      rule.remaining--;
      const headers: Record<string, string> =
        rule.retryAfterSeconds === undefined
          ? {}
          : { 'Retry-After': String(rule.retryAfterSeconds) };
      throw new GraphFailure(rule.status, rule.code, rule.message, headers);
    }
    const roles = authenticate(req);
    if (req.method !== 'GET')
      throw new GraphFailure(
        405,
        'Request_BadRequest',
        `${req.method ?? ''} is not supported here.`,
      );
    const q = target.searchParams;
    let m: RegExpExecArray | null;

    if (path === '/v1.0/users') return list(target, 'users', roles, directory.list('user'), 'user');
    if (path === '/v1.0/groups')
      return list(target, 'groups', roles, directory.list('group'), 'group');
    if (path === '/v1.0/users/delta') return delta(target, 'users', roles);
    if (path === '/v1.0/groups/delta') return delta(target, 'groups', roles);
    if (path === '/v1.0/directory/administrativeUnits') {
      return list(
        target,
        'administrativeUnits',
        roles,
        directory.list('administrativeUnit'),
        'administrativeUnit',
      );
    }
    if ((m = /^\/v1\.0\/groups\/([^/]+)$/.exec(path))) {
      requirePermission(roles, 'groups');
      const group = found(m[1]!, 'group');
      return {
        '@odata.context': `${url}/v1.0/$metadata#groups/$entity`,
        ...render(group, selection(q, 'group')),
      };
    }
    if ((m = /^\/v1\.0\/groups\/([^/]+)\/(members|transitiveMembers)$/.exec(path))) {
      requirePermission(roles, 'groups');
      const group = found(m[1]!, 'group');
      const members =
        m[2] === 'members' ? directory.members(group.id) : directory.transitiveMembers(group.id);
      return list(target, 'groups', roles, members, undefined);
    }
    if ((m = /^\/v1\.0\/directory\/administrativeUnits\/([^/]+)\/members$/.exec(path))) {
      requirePermission(roles, 'administrativeUnits');
      const unit = found(m[1]!, 'administrativeUnit');
      return list(target, 'administrativeUnits', roles, directory.members(unit.id), undefined);
    }
    throw new GraphFailure(
      400,
      'BadRequest',
      `Resource not found for the segment '${path.split('/').pop() ?? ''}'.`,
    );
  }

  /** Bearer tokens from this emulator only; Graph answers 401 InvalidAuthenticationToken otherwise. */
  function authenticate(req: http.IncomingMessage): Set<string> {
    const authorization = header(req, 'authorization') ?? '';
    const token = /^Bearer (.+)$/.exec(authorization)?.[1];
    const wwwAuthenticate = { 'WWW-Authenticate': 'Bearer realm="", error="invalid_token"' };
    if (!token)
      throw new GraphFailure(
        401,
        'InvalidAuthenticationToken',
        'Access token is empty.',
        wwwAuthenticate,
      );
    const issued = tokens.get(token);
    if (!issued)
      throw new GraphFailure(
        401,
        'InvalidAuthenticationToken',
        'IDX14100: JWT is not well formed.',
        wwwAuthenticate,
      );
    if (issued.expires <= Date.now()) {
      throw new GraphFailure(
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is expired.',
        wwwAuthenticate,
      );
    }
    return issued.roles;
  }

  function requirePermission(roles: Set<string>, area: keyof typeof PERMISSIONS): void {
    if (!PERMISSIONS[area].some((p) => roles.has(p))) {
      throw new GraphFailure(
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );
    }
  }

  function found(id: string, kind: ObjectKind): StoredObject {
    const object = directory.get(id);
    if (!object || object.kind !== kind) {
      throw new GraphFailure(
        404,
        'Request_ResourceNotFound',
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    }
    return object;
  }

  /**
   * `$select` of known properties (an unknown one is a 400, as Graph does); `id` is always
   * returned. Without `$select` the documented default set is returned.
   */
  function selection(q: URLSearchParams, kind: ObjectKind | undefined): string[] | null {
    const raw = q.get('$select');
    if (raw === null) return null;
    const names = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (kind) {
      for (const name of names) {
        if (!KNOWN_PROPERTIES[kind].includes(name)) {
          throw new GraphFailure(
            400,
            'Request_BadRequest',
            `Could not find a property named '${name}' on type 'microsoft.graph.${kind}'.`,
          );
        }
      }
    }
    return names;
  }

  function render(object: StoredObject, selected: string[] | null): Record<string, unknown> {
    const names = selected ?? DEFAULT_PROPERTIES[object.kind];
    const out: Record<string, unknown> = { id: object.id };
    for (const name of names) {
      if (name !== 'id' && name !== 'members' && name in object.props)
        out[name] = object.props[name];
    }
    return out;
  }

  /**
   * A collection read: `$top` from 1 to 999 (default 100), `@odata.nextLink` carrying an opaque
   * `$skiptoken` while more remain. Directory-object collections (members) tag each item with
   * `@odata.type`. Paging resumes after the last id served, so changes mid-read skip nobody.
   */
  function list(
    target: URL,
    area: keyof typeof PERMISSIONS,
    roles: Set<string>,
    items: StoredObject[],
    kind: ObjectKind | undefined,
  ): unknown {
    requirePermission(roles, area);
    const q = target.searchParams;
    const selected = selection(q, kind);
    const topText = q.get('$top');
    const top = topText === null ? 100 : Number(topText);
    if (!Number.isInteger(top) || top < 1 || top > 999) {
      throw new GraphFailure(
        400,
        'Request_UnsupportedQuery',
        `Invalid page size specified: '${topText ?? ''}'. Must be between 1 and 999 inclusive.`,
      );
    }
    const after =
      q.get('$skiptoken') === null ? undefined : decodeToken<{ a: string }>(q.get('$skiptoken')!).a;
    const rest = after === undefined ? items : items.filter((o) => o.id > after);
    const page = rest.slice(0, top);
    const value = page.map((o) =>
      kind ? render(o, selected) : { '@odata.type': ODATA_TYPE[o.kind], ...render(o, selected) },
    );
    const out: Record<string, unknown> = {
      '@odata.context': `${url}/v1.0/$metadata#${target.pathname.split('/').pop() ?? ''}`,
      value,
    };
    if (rest.length > page.length) {
      const next = new URL(target.pathname, url);
      for (const [key, val] of q.entries())
        if (key !== '$skiptoken') next.searchParams.set(key, val);
      next.searchParams.set('$skiptoken', encodeToken({ a: page[page.length - 1]!.id }));
      out['@odata.nextLink'] = decodeURIComponent(next.toString());
    }
    return out;
  }

  /**
   * A delta round (users or groups). Without a token: the current state, paged, ending with an
   * `@odata.deltaLink`. With that link's `$deltatoken`: what changed since, where a deleted object
   * is `{id, "@removed": {reason}}` and a changed one carries its selected properties. Query
   * parameters are given on the first request only and travel inside the links. For groups with
   * `members` selected, `members@delta` lists members (all, then only added and removed ones).
   * `$deltatoken=latest` returns no objects and a link for changes from now on.
   */
  function delta(target: URL, k: 'users' | 'groups', roles: Set<string>): unknown {
    requirePermission(roles, k);
    const q = target.searchParams;
    const kind: ObjectKind = k === 'users' ? 'user' : 'group';
    let state: DeltaState;
    const skip = q.get('$skiptoken');
    const deltaToken = q.get('$deltatoken');
    if (skip !== null) {
      state = decodeToken<DeltaState>(skip);
    } else if (deltaToken === 'latest') {
      return page([], { k, s: directory.now, sel: selection(q, kind), g: deltaGeneration }, true);
    } else if (deltaToken !== null) {
      const old = decodeToken<DeltaState>(deltaToken);
      state = { ...old, u: directory.now };
    } else {
      state = { k, s: -1, u: directory.now, sel: selection(q, kind), g: deltaGeneration };
    }
    if (state.k !== k)
      throw new GraphFailure(400, 'Request_BadRequest', 'The delta token is for another resource.');
    if (state.g !== deltaGeneration) {
      throw new GraphFailure(
        410,
        'SyncStateNotFound',
        'The delta token has expired or is no longer valid. Start a new delta round without a token.',
      );
    }
    const upto = state.u ?? directory.now;
    const candidates =
      state.s < 0
        ? directory.list(kind).filter((o) => o.version <= upto)
        : directory.changed(kind, state.s, upto);
    const rest = state.a === undefined ? candidates : candidates.filter((o) => o.id > state.a!);
    const value: unknown[] = [];
    let memberBudget = deltaMembersPerPage;
    let lastWhole = state.a;
    for (const object of rest) {
      if (value.length === deltaPageSize || memberBudget === 0) {
        return page(value, { ...state, u: upto, a: lastWhole, p: undefined, mo: undefined }, false);
      }
      const item = deltaItem(object, state, upto);
      const members = item['members@delta'] as unknown[] | undefined;
      if (members) {
        const start = object.id === state.p ? (state.mo ?? 0) : 0;
        const part = members.slice(start, start + memberBudget);
        item['members@delta'] = part;
        memberBudget -= part.length;
        value.push(item);
        if (start + part.length < members.length) {
          return page(
            value,
            { ...state, u: upto, a: lastWhole, p: object.id, mo: start + part.length },
            false,
          );
        }
      } else {
        value.push(item);
      }
      lastWhole = object.id;
    }
    return page(value, { k, s: upto, sel: state.sel, g: state.g }, true);

    function page(value: unknown[], next: DeltaState, done: boolean): unknown {
      const link = new URL(target.pathname, url);
      link.searchParams.set(done ? '$deltatoken' : '$skiptoken', encodeToken(next));
      return {
        '@odata.context': `${url}/v1.0/$metadata#${k}`,
        value,
        [done ? '@odata.deltaLink' : '@odata.nextLink']: decodeURIComponent(link.toString()),
      };
    }
  }

  function deltaItem(
    object: StoredObject,
    state: DeltaState,
    upto: number,
  ): Record<string, unknown> {
    if (object.removed) return { id: object.id, '@removed': { reason: object.removed } };
    const out = render(object, state.sel);
    if (object.members && state.sel?.includes('members')) {
      const edges = [...object.members.entries()].filter(([, e]) =>
        state.s < 0 ? !e.removed && e.version <= upto : e.version > state.s && e.version <= upto,
      );
      out['members@delta'] = edges.map(([id, e]) => {
        const member = directory.get(id);
        const type = member ? ODATA_TYPE[member.kind] : '#microsoft.graph.directoryObject';
        return e.removed
          ? { '@odata.type': type, id, '@removed': { reason: 'deleted' } }
          : { '@odata.type': type, id };
      });
    }
    return out;
  }

  return {
    url,
    authorityUrl: url,
    graphUrl: url,
    caCert: tls?.caCert,
    tenant,
    clientId,
    clientSecret,
    directory,
    requests,
    faults,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections from clients would otherwise hold the server open.
        server.closeAllConnections();
      }),
  };
}

function encodeToken(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeToken<T>(token: string): T {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    throw new GraphFailure(400, 'Request_BadRequest', 'Badly formed token.');
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: http.ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'Content-Type': 'application/json; odata.metadata=minimal',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
