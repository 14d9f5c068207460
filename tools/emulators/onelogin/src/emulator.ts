import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** OneLogin user status codes (API v1): 0 unactivated, 1 active, 2 suspended, 3 locked, 4 password expired, 5 awaiting password reset, 7 password pending, 8 security questions required. */
export type OneLoginUserStatus = 0 | 1 | 2 | 3 | 4 | 5 | 7 | 8;

export interface OneLoginUserRecord {
  id: number;
  email: string | null;
  username: string | null;
  firstname: string | null;
  lastname: string | null;
  status: OneLoginUserStatus;
  state: number;
  role_id: number[];
  created_at: string;
  updated_at: string;
  external_id: string | null;
  directory_id: number | null;
}

export interface OneLoginRoleRecord {
  id: number;
  name: string;
}

export interface RecordedOneLoginRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  readonly status: number;
  /** Emulated epoch ms at which the call arrived. */
  readonly time: number;
}

export interface OneLoginRateLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface OneLoginEmulatorOptions {
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Entries per page; OneLogin's API v1 pages by 50. */
  readonly pageSize?: number;
  /** Calls per window over the whole API, as OneLogin counts them; default 5000 per hour. */
  readonly rateLimit?: OneLoginRateLimit;
  /** Seconds an access token is valid; OneLogin's default is 10 hours. */
  readonly tokenLifetimeSeconds?: number;
}

export interface OneLoginDirectoryMutators {
  addUser(input: {
    email?: string | null;
    username?: string | null;
    firstname?: string;
    lastname?: string;
    status?: OneLoginUserStatus;
    roleIds?: number[];
  }): OneLoginUserRecord;
  updateUser(
    id: number,
    patch: Partial<
      Pick<OneLoginUserRecord, 'email' | 'username' | 'firstname' | 'lastname' | 'status'>
    >,
  ): OneLoginUserRecord;
  removeUser(id: number): void;
  addRole(name: string): OneLoginRoleRecord;
  assignRole(userId: number, roleId: number): void;
  unassignRole(userId: number, roleId: number): void;
  userByEmail(email: string): OneLoginUserRecord | undefined;
  roleByName(name: string): OneLoginRoleRecord | undefined;
  users(): readonly OneLoginUserRecord[];
  roles(): readonly OneLoginRoleRecord[];
  /** `users` active users `user<i>@<domain>` and `roles` roles `role<j>`, each user in `rolesPerUser` roles round-robin. */
  populate(input: { users: number; roles: number; rolesPerUser?: number; domain?: string }): void;
}

export interface OneLoginFaults {
  /** The next `count` API calls (token calls included) answer `status`. */
  failNext(count: number, status: number, message?: string): void;
  /** The next `count` API calls answer 429. */
  rateLimitNext(count?: number): void;
  /** The next `count` calls (token calls included) answer only after `ms` of real time: a hung server. */
  delayNext(count: number, ms: number): void;
  setRateLimit(limit: OneLoginRateLimit): void;
  /** Invalidates every issued access token, as an expiry or revocation would. */
  expireTokens(): void;
  clear(): void;
}

export interface OneLoginEmulatorClock {
  now(): number;
  advance(ms: number): void;
}

export interface OneLoginEmulator {
  /** Pass as `onelogin.apiUrl`. */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly directory: OneLoginDirectoryMutators;
  readonly requests: RecordedOneLoginRequest[];
  readonly faults: OneLoginFaults;
  readonly clock: OneLoginEmulatorClock;
  /** Access tokens issued so far. */
  readonly tokensIssued: () => number;
  stop(): Promise<void>;
}

/** Query parameters OneLogin's `GET /api/1/users` filters on; `*` is a wildcard. */
const USER_FILTERS = new Set([
  'id',
  'email',
  'username',
  'firstname',
  'lastname',
  'external_id',
  'directory_id',
  'role_id',
  'status',
  'state',
]);
const PAGING = new Set(['after_cursor', 'before_cursor', 'limit', 'sort', 'fields']);

/** Starts an emulator of OneLogin's token endpoint and API v1 users and roles on 127.0.0.1 (plain HTTP). */
export async function startOneLoginEmulator(
  options: OneLoginEmulatorOptions = {},
): Promise<OneLoginEmulator> {
  const clientId = options.clientId ?? randomBytes(16).toString('hex');
  const clientSecret = options.clientSecret ?? randomBytes(32).toString('hex');
  const pageSize = options.pageSize ?? 50;
  const lifetime = options.tokenLifetimeSeconds ?? 36000;

  let offsetMs = 0;
  const clock: OneLoginEmulatorClock = {
    now: () => Date.now() + offsetMs,
    advance: (ms) => {
      offsetMs += Math.max(0, ms);
    },
  };
  const iso = (): string => new Date(clock.now()).toISOString();

  const users = new Map<number, OneLoginUserRecord>();
  const roles = new Map<number, OneLoginRoleRecord>();
  let nextUserId = 10_000;
  let nextRoleId = 100;

  const requireUser = (id: number): OneLoginUserRecord => {
    const user = users.get(id);
    if (!user) throw new Error(`No emulated OneLogin user ${id}`);
    return user;
  };

  const directory: OneLoginDirectoryMutators = {
    addUser(input) {
      const now = iso();
      const user: OneLoginUserRecord = {
        id: nextUserId++,
        email: input.email ?? null,
        username: input.username ?? null,
        firstname: input.firstname ?? null,
        lastname: input.lastname ?? null,
        status: input.status ?? 1,
        state: 1,
        role_id: [...(input.roleIds ?? [])],
        created_at: now,
        updated_at: now,
        external_id: null,
        directory_id: null,
      };
      users.set(user.id, user);
      return user;
    },
    updateUser(id, patch) {
      const user = requireUser(id);
      Object.assign(user, patch);
      user.updated_at = iso();
      return user;
    },
    removeUser(id) {
      users.delete(id);
    },
    addRole(name) {
      const role = { id: nextRoleId++, name };
      roles.set(role.id, role);
      return role;
    },
    assignRole(userId, roleId) {
      const user = requireUser(userId);
      if (!roles.has(roleId)) throw new Error(`No emulated OneLogin role ${roleId}`);
      if (!user.role_id.includes(roleId)) user.role_id.push(roleId);
      user.updated_at = iso();
    },
    unassignRole(userId, roleId) {
      const user = requireUser(userId);
      user.role_id = user.role_id.filter((r) => r !== roleId);
      user.updated_at = iso();
    },
    userByEmail(email) {
      const wanted = email.toLowerCase();
      return [...users.values()].find((u) => u.email?.toLowerCase() === wanted);
    },
    roleByName(name) {
      return [...roles.values()].find((r) => r.name === name);
    },
    users: () => [...users.values()],
    roles: () => [...roles.values()],
    populate({ users: userCount, roles: roleCount, rolesPerUser = 1, domain = 'example.com' }) {
      const made = Array.from({ length: roleCount }, (_, j) => directory.addRole(`role${j}`));
      for (let i = 0; i < userCount; i++) {
        const roleIds: number[] = [];
        for (let k = 0; k < Math.min(rolesPerUser, made.length); k++)
          roleIds.push(made[(i + k) % made.length]!.id);
        directory.addUser({
          email: `user${i}@${domain}`,
          username: `user${i}`,
          firstname: 'User',
          lastname: String(i),
          roleIds,
        });
      }
    },
  };

  const tokens = new Map<string, number>();
  let issued = 0;
  const requests: RecordedOneLoginRequest[] = [];
  let rateLimit: OneLoginRateLimit = options.rateLimit ?? { limit: 5000, windowSeconds: 3600 };
  let window = { start: 0, count: 0 };
  // Windows run from when the limit was set, so a short test never straddles a boundary by chance.
  let rateEpoch = clock.now();
  const pendingFailures: { status: number; message: string }[] = [];
  let pending429 = 0;
  const pendingDelays: number[] = [];

  const faults: OneLoginFaults = {
    failNext(count, status, message = 'Internal Server Error') {
      for (let i = 0; i < count; i++) pendingFailures.push({ status, message });
    },
    rateLimitNext(count = 1) {
      pending429 += count;
    },
    delayNext(count, ms) {
      for (let i = 0; i < count; i++) pendingDelays.push(ms);
    },
    setRateLimit(limit) {
      rateLimit = limit;
      window = { start: 0, count: 0 };
      rateEpoch = clock.now();
    },
    expireTokens() {
      tokens.clear();
    },
    clear() {
      pendingFailures.length = 0;
      pending429 = 0;
      pendingDelays.length = 0;
    },
  };

  let baseUrl = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const delay = pendingDelays.shift();
    if (delay !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      // A client that gave up meanwhile gets nothing, and the call is not recorded.
      if (req.socket.destroyed) return;
    }
    const url = new URL(req.url ?? '/', baseUrl);
    const path = url.pathname.replace(/\/+$/, '');
    const query = Object.fromEntries(url.searchParams.entries());
    const now = clock.now();
    const windowMs = rateLimit.windowSeconds * 1000;
    const windowStart = rateEpoch + Math.floor((now - rateEpoch) / windowMs) * windowMs;
    if (window.start !== windowStart) window = { start: windowStart, count: 0 };
    window.count++;
    const rateHeaders: Record<string, string> = {
      'X-RateLimit-Limit': String(rateLimit.limit),
      'X-RateLimit-Remaining': String(Math.max(0, rateLimit.limit - window.count)),
      // OneLogin gives the seconds left in the window, not an instant.
      'X-RateLimit-Reset': String(Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000))),
    };
    const send = (status: number, body: unknown): void => {
      requests.push({
        method: req.method ?? 'GET',
        path,
        query,
        authorization: req.headers.authorization,
        status,
        time: now,
      });
      res.writeHead(status, { 'Content-Type': 'application/json', ...rateHeaders });
      res.end(JSON.stringify(body));
    };
    const v1Error = (status: number, type: string, message: string): void =>
      send(status, { status: { error: true, code: status, type, message } });

    const body = await readBody(req);
    if (window.count > rateLimit.limit || pending429 > 0) {
      if (pending429 > 0) pending429--;
      rateHeaders['X-RateLimit-Remaining'] = '0';
      v1Error(429, 'Too Many Requests', 'Rate Limit Exceeded');
      return;
    }
    const failure = pendingFailures.shift();
    if (failure) {
      v1Error(failure.status, 'Error', failure.message);
      return;
    }

    if (path === '/auth/oauth2/v2/token') {
      if (req.method !== 'POST') return v1Error(405, 'Method Not Allowed', 'Method Not Allowed');
      if (!checkClientAuth(req.headers.authorization, clientId, clientSecret)) {
        send(401, { statusCode: 401, name: 'Unauthorized', message: 'Authentication Failure' });
        return;
      }
      let grant: unknown;
      try {
        grant = (JSON.parse(body || '{}') as { grant_type?: unknown }).grant_type;
      } catch {
        grant = undefined;
      }
      if (grant !== 'client_credentials') {
        send(400, {
          statusCode: 400,
          name: 'Bad Request',
          message: 'grant_type must be client_credentials',
        });
        return;
      }
      const token = randomBytes(32).toString('hex');
      tokens.set(token, now + lifetime * 1000);
      issued++;
      send(200, {
        access_token: token,
        created_at: iso(),
        expires_in: lifetime,
        refresh_token: randomBytes(32).toString('hex'),
        token_type: 'bearer',
        account_id: 123456,
      });
      return;
    }

    const auth = /^bearer:(.+)$/.exec(req.headers.authorization ?? '');
    const expiry = auth ? tokens.get(auth[1]!) : undefined;
    if (expiry === undefined || expiry <= now) {
      v1Error(401, 'Unauthorized', 'Authorization Information is incorrect');
      return;
    }
    if (req.method !== 'GET') return v1Error(405, 'Method Not Allowed', 'Method Not Allowed');

    if (path === '/api/1/users') {
      const unknown = Object.keys(query).filter((k) => !USER_FILTERS.has(k) && !PAGING.has(k));
      if (unknown.length)
        return v1Error(400, 'bad request', `Invalid query parameter: ${unknown.join(', ')}`);
      const matchers = Object.entries(query)
        .filter(([k]) => USER_FILTERS.has(k))
        .map(([k, v]) => {
          const match = wildcard(v);
          return (u: OneLoginUserRecord): boolean => {
            const value = (u as unknown as Record<string, unknown>)[k];
            return Array.isArray(value)
              ? value.some((x) => match(String(x)))
              : value !== null && match(String(value));
          };
        });
      const list = [...users.values()].filter((u) => matchers.every((m) => m(u)));
      return page(list);
    }
    if (path === '/api/1/roles') {
      const unknown = Object.keys(query).filter(
        (k) => k !== 'name' && k !== 'id' && !PAGING.has(k),
      );
      if (unknown.length)
        return v1Error(400, 'bad request', `Invalid query parameter: ${unknown.join(', ')}`);
      const byName = query.name === undefined ? () => true : wildcard(query.name);
      const byId = query.id === undefined ? () => true : wildcard(query.id);
      return page([...roles.values()].filter((r) => byName(r.name) && byId(String(r.id))));
    }
    v1Error(404, 'Not Found', 'Not Found');

    function page<T extends { id: number }>(items: readonly T[]): void {
      const requested = Number(query.limit ?? pageSize);
      const limit =
        Number.isInteger(requested) && requested > 0 ? Math.min(requested, pageSize) : pageSize;
      const after =
        query.after_cursor === undefined
          ? undefined
          : Number(Buffer.from(query.after_cursor, 'base64url').toString());
      const start = after === undefined ? 0 : items.findIndex((item) => item.id > after);
      const slice = start < 0 ? [] : items.slice(start, start + limit);
      let nextLink: string | null = null;
      let afterCursor: string | null = null;
      if (start >= 0 && start + limit < items.length) {
        afterCursor = Buffer.from(String(slice[slice.length - 1]!.id)).toString('base64url');
        const next = new URL(url.toString());
        next.searchParams.set('after_cursor', afterCursor);
        nextLink = next.toString();
      }
      send(200, {
        status: { error: false, code: 200, type: 'success', message: 'Success' },
        pagination: {
          before_cursor: null,
          after_cursor: afterCursor,
          previous_link: null,
          next_link: nextLink,
        },
        data: slice,
      });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          status: { error: true, code: 500, type: 'Internal Server Error', message: String(error) },
        }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: baseUrl,
    clientId,
    clientSecret,
    directory,
    requests,
    faults,
    clock,
    tokensIssued: () => issued,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** OneLogin accepts `Basic base64(id:secret)` and its own `client_id:<id>, client_secret:<secret>`. */
function checkClientAuth(
  header: string | undefined,
  clientId: string,
  clientSecret: string,
): boolean {
  if (!header) return false;
  const basic = /^Basic\s+(.+)$/i.exec(header);
  if (basic) return Buffer.from(basic[1]!, 'base64').toString() === `${clientId}:${clientSecret}`;
  const own = /^client_id:\s*([^,\s]+),\s*client_secret:\s*(\S+)$/.exec(header);
  return !!own && own[1] === clientId && own[2] === clientSecret;
}

function wildcard(pattern: string): (value: string) => boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return (value) => regex.test(value);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
