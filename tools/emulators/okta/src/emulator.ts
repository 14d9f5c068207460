import { randomUUID } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { FilterParseError, parseOktaFilter, type Predicate } from './filter';
import { loopbackTls } from '@bwdc/test-pki';

export type OktaUserStatus =
  | 'STAGED'
  | 'PROVISIONED'
  | 'ACTIVE'
  | 'RECOVERY'
  | 'PASSWORD_EXPIRED'
  | 'LOCKED_OUT'
  | 'SUSPENDED'
  | 'DEPROVISIONED';

export interface OktaUserRecord {
  id: string;
  status: OktaUserStatus;
  created: string;
  lastUpdated: string;
  statusChanged: string;
  profile: {
    login: string;
    email?: string;
    firstName?: string;
    lastName?: string;
    [key: string]: unknown;
  };
}

export interface OktaGroupRecord {
  id: string;
  type: 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  profile: { name: string; description?: string };
  /** User ids, kept sorted on read. */
  members: Set<string>;
}

export interface RecordedOktaRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The rate-limit bucket the request counted against, e.g. `/api/v1/groups/{id}/users`. */
  readonly bucket: string;
  readonly status: number;
  /** Emulated epoch ms at which the call arrived. */
  readonly time: number;
  /** Emulated epoch ms at which the rate-limit window the call counted in began. */
  readonly windowStart: number;
}

export interface OktaRateLimit {
  /** Requests per bucket per window. */
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface OktaEmulatorOptions {
  /** Serve HTTPS with a throwaway CA (the default), or plain HTTP on loopback. */
  readonly tls?: boolean;
  readonly token?: string;
  /** Per-endpoint limits as Okta applies them; default 10000 per 60 s, high enough to stay out of the way. */
  readonly rateLimit?: OktaRateLimit;
}

export interface OktaDirectoryMutators {
  addUser(input: {
    email?: string;
    login?: string;
    status?: OktaUserStatus;
    firstName?: string;
    lastName?: string;
  }): OktaUserRecord;
  /** Changes profile fields and/or status and stamps lastUpdated, as any edit in Okta does. */
  updateUser(
    id: string,
    patch: { email?: string; status?: OktaUserStatus; profile?: Record<string, unknown> },
  ): OktaUserRecord;
  removeUser(id: string): void;
  addGroup(input: {
    name: string;
    description?: string;
    type?: OktaGroupRecord['type'];
  }): OktaGroupRecord;
  renameGroup(id: string, name: string): OktaGroupRecord;
  removeGroup(id: string): void;
  addMember(groupId: string, userId: string): void;
  removeMember(groupId: string, userId: string): void;
  userByEmail(email: string): OktaUserRecord | undefined;
  groupByName(name: string): OktaGroupRecord | undefined;
  users(): readonly OktaUserRecord[];
  groups(): readonly OktaGroupRecord[];
  /**
   * Bulk fixture for paging tests and benchmarks: `users` active users `user<i>@<domain>` and
   * `groups` groups `group<j>`, each user in `groupsPerUser` groups round-robin.
   */
  populate(input: { users: number; groups: number; groupsPerUser?: number; domain?: string }): void;
}

export interface OktaFaults {
  /** The next `count` API calls (only those whose path matches `path`, when given) answer `status` with an Okta error body. */
  failNext(count: number, status: number, errorSummary?: string, path?: RegExp): void;
  /** The next `count` API calls answer 429 with the current window's reset time. */
  rateLimitNext(count?: number): void;
  /** The next `count` API calls are answered only after `ms` of real time: a hung server. */
  delayNext(count: number, ms: number): void;
  setRateLimit(limit: OktaRateLimit): void;
  /** Drops pending failures and 429s. */
  clear(): void;
}

export interface OktaEmulatorClock {
  /** Emulated epoch milliseconds: wall time plus everything `advance` added. */
  now(): number;
  /** Moves emulated time forward, e.g. from a test's injected sleep, so rate windows reset. */
  advance(ms: number): void;
}

export interface OktaEmulator {
  readonly orgUrl: string;
  readonly token: string;
  /** PEM of the CA that signed the emulator's certificate; undefined when serving plain HTTP. */
  readonly caCert: string | undefined;
  readonly directory: OktaDirectoryMutators;
  readonly requests: RecordedOktaRequest[];
  readonly faults: OktaFaults;
  readonly clock: OktaEmulatorClock;
  stop(): Promise<void>;
}

const USERS_MAX_LIMIT = 200;
const GROUPS_MAX_LIMIT = 10000;
const MEMBERS_MAX_LIMIT = 1000;

/** Starts an emulator of Okta's Users and Groups read API on 127.0.0.1 with a free port. */
export async function startOktaEmulator(options: OktaEmulatorOptions = {}): Promise<OktaEmulator> {
  const token = options.token ?? `00${randomUUID().replace(/-/g, '')}`;
  const useTls = options.tls ?? true;
  const tls = useTls ? await loopbackTls() : undefined;

  let offsetMs = 0;
  const clock: OktaEmulatorClock = {
    now: () => Date.now() + offsetMs,
    advance: (ms) => {
      offsetMs += Math.max(0, ms);
    },
  };
  const iso = (): string => new Date(clock.now()).toISOString();

  const users = new Map<string, OktaUserRecord>();
  const groups = new Map<string, OktaGroupRecord>();
  let nextId = 1;
  // Fixed-width ids sort in creation order, which is the order Okta pages in.
  const newId = (prefix: string): string => `${prefix}${(nextId++).toString(36).padStart(14, '0')}`;

  const requireUser = (id: string): OktaUserRecord => {
    const user = users.get(id);
    if (!user) throw new Error(`No emulated Okta user ${id}`);
    return user;
  };
  const requireGroup = (id: string): OktaGroupRecord => {
    const group = groups.get(id);
    if (!group) throw new Error(`No emulated Okta group ${id}`);
    return group;
  };

  const directory: OktaDirectoryMutators = {
    addUser(input) {
      const now = iso();
      const login = input.login ?? input.email ?? `user${nextId}@example.com`;
      const user: OktaUserRecord = {
        id: newId('00u'),
        status: input.status ?? 'ACTIVE',
        created: now,
        lastUpdated: now,
        statusChanged: now,
        profile: {
          login,
          email: input.email,
          firstName: input.firstName,
          lastName: input.lastName,
        },
      };
      users.set(user.id, user);
      return user;
    },
    updateUser(id, patch) {
      const user = requireUser(id);
      const now = iso();
      if (patch.email !== undefined) user.profile.email = patch.email;
      if (patch.profile) Object.assign(user.profile, patch.profile);
      if (patch.status !== undefined && patch.status !== user.status) {
        user.status = patch.status;
        user.statusChanged = now;
      }
      user.lastUpdated = now;
      return user;
    },
    removeUser(id) {
      users.delete(id);
      for (const group of groups.values()) {
        if (group.members.delete(id)) group.lastMembershipUpdated = iso();
      }
    },
    addGroup(input) {
      const now = iso();
      const group: OktaGroupRecord = {
        id: newId('00g'),
        type: input.type ?? 'OKTA_GROUP',
        created: now,
        lastUpdated: now,
        lastMembershipUpdated: now,
        profile: { name: input.name, description: input.description },
        members: new Set(),
      };
      groups.set(group.id, group);
      return group;
    },
    renameGroup(id, name) {
      const group = requireGroup(id);
      group.profile.name = name;
      group.lastUpdated = iso();
      return group;
    },
    removeGroup(id) {
      groups.delete(id);
    },
    addMember(groupId, userId) {
      requireUser(userId);
      const group = requireGroup(groupId);
      group.members.add(userId);
      group.lastMembershipUpdated = iso();
    },
    removeMember(groupId, userId) {
      const group = requireGroup(groupId);
      group.members.delete(userId);
      group.lastMembershipUpdated = iso();
    },
    userByEmail(email) {
      const wanted = email.toLowerCase();
      return [...users.values()].find((u) => u.profile.email?.toLowerCase() === wanted);
    },
    groupByName(name) {
      return [...groups.values()].find((g) => g.profile.name === name);
    },
    users: () => [...users.values()],
    groups: () => [...groups.values()],
    populate({ users: userCount, groups: groupCount, groupsPerUser = 1, domain = 'example.com' }) {
      const made = Array.from({ length: groupCount }, (_, j) =>
        directory.addGroup({ name: `group${j}` }),
      );
      for (let i = 0; i < userCount; i++) {
        const user = directory.addUser({
          email: `user${i}@${domain}`,
          firstName: 'User',
          lastName: String(i),
        });
        for (let k = 0; k < Math.min(groupsPerUser, made.length); k++) {
          made[(i + k) % made.length]!.members.add(user.id);
        }
      }
    },
  };

  const requests: RecordedOktaRequest[] = [];
  let rateLimit: OktaRateLimit = options.rateLimit ?? { limit: 10000, windowSeconds: 60 };
  const windowCounts = new Map<string, { windowStart: number; count: number }>();
  // Windows run from when the limit was set (on a whole second), so a short test never straddles
  // a boundary by chance, as it could with Okta's minute-aligned windows.
  let rateEpoch = Math.floor(clock.now() / 1000) * 1000;
  const pendingFailures: { status: number; summary: string; path: RegExp | undefined }[] = [];
  let pending429 = 0;
  const pendingDelays: number[] = [];

  const faults: OktaFaults = {
    failNext(count, status, errorSummary = 'Internal Server Error', path) {
      for (let i = 0; i < count; i++) pendingFailures.push({ status, summary: errorSummary, path });
    },
    rateLimitNext(count = 1) {
      pending429 += count;
    },
    delayNext(count, ms) {
      for (let i = 0; i < count; i++) pendingDelays.push(ms);
    },
    setRateLimit(limit) {
      rateLimit = limit;
      rateEpoch = Math.floor(clock.now() / 1000) * 1000;
      windowCounts.clear();
    },
    clear() {
      pendingFailures.length = 0;
      pending429 = 0;
      pendingDelays.length = 0;
    },
  };

  let baseUrl = '';

  const delayed = (req: IncomingMessage, res: ServerResponse): void => {
    const delay = pendingDelays.shift();
    if (delay === undefined) handler(req, res);
    // A client that gave up meanwhile gets nothing, and the call is not recorded.
    else setTimeout(() => !req.socket.destroyed && handler(req, res), delay).unref();
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', baseUrl);
    const path = url.pathname.replace(/\/+$/, '');
    const query = Object.fromEntries(url.searchParams.entries());
    const bucket = bucketOf(path);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      requests.push({
        method: req.method ?? 'GET',
        path,
        query,
        bucket,
        status,
        time: now,
        windowStart,
      });
      res.writeHead(status, {
        'Content-Type': 'application/json',
        Date: new Date(clock.now()).toUTCString(),
        'X-Okta-Request-Id': randomUUID(),
        ...rateHeaders,
        ...headers,
      });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: string, summary: string): void =>
      send(status, {
        errorCode: code,
        errorSummary: summary,
        errorLink: code,
        errorId: `oae${randomUUID()}`,
        errorCauses: [],
      });

    // Okta counts every call against its endpoint's bucket, failed ones included.
    const now = clock.now();
    const windowMs = rateLimit.windowSeconds * 1000;
    const windowStart = rateEpoch + Math.floor((now - rateEpoch) / windowMs) * windowMs;
    let counter = windowCounts.get(bucket);
    if (!counter || counter.windowStart !== windowStart) {
      counter = { windowStart, count: 0 };
      windowCounts.set(bucket, counter);
    }
    counter.count++;
    const rateHeaders: Record<string, string> = {
      'X-Rate-Limit-Limit': String(rateLimit.limit),
      'X-Rate-Limit-Remaining': String(Math.max(0, rateLimit.limit - counter.count)),
      'X-Rate-Limit-Reset': String(Math.ceil((windowStart + windowMs) / 1000)),
    };

    if (req.headers.authorization !== `SSWS ${token}`) {
      error(401, 'E0000011', 'Invalid token provided');
      return;
    }
    if (counter.count > rateLimit.limit || pending429 > 0) {
      if (pending429 > 0) pending429--;
      rateHeaders['X-Rate-Limit-Remaining'] = '0';
      error(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
      return;
    }
    const failureIndex = pendingFailures.findIndex((f) => !f.path || f.path.test(path));
    const failure = failureIndex < 0 ? undefined : pendingFailures.splice(failureIndex, 1)[0];
    if (failure) {
      error(failure.status, 'E0000009', failure.summary);
      return;
    }
    if (req.method !== 'GET') {
      error(405, 'E0000022', 'The endpoint does not support the provided HTTP method');
      return;
    }

    try {
      if (path === '/api/v1/users/me') {
        send(200, {
          id: '00uadmin',
          status: 'ACTIVE',
          profile: { login: 'admin@example.com', email: 'admin@example.com' },
        });
        return;
      }
      if (path === '/api/v1/users') {
        const expression = query.filter ?? query.search;
        let predicate: Predicate;
        if (expression) {
          predicate = parseOktaFilter(expression);
        } else if (query.q) {
          const q = query.q.toLowerCase();
          predicate = (u) => {
            const p = (u as unknown as OktaUserRecord).profile;
            return [p.firstName, p.lastName, p.email].some(
              (v) => typeof v === 'string' && v.toLowerCase().startsWith(q),
            );
          };
        } else {
          predicate = () => true;
        }
        // Without a filter or search Okta leaves DEPROVISIONED users out of the list.
        const hideDeprovisioned = !expression;
        const matched = [...users.values()].filter(
          (u) =>
            !(hideDeprovisioned && u.status === 'DEPROVISIONED') &&
            predicate(u as unknown as Record<string, unknown>),
        );
        page(matched, USERS_MAX_LIMIT, toUserJson);
        return;
      }
      if (path === '/api/v1/groups') {
        const expression = query.filter ?? query.search;
        let predicate: Predicate = () => true;
        if (expression) predicate = parseOktaFilter(expression);
        else if (query.q) {
          const q = query.q.toLowerCase();
          predicate = (g) =>
            (g as unknown as OktaGroupRecord).profile.name.toLowerCase().startsWith(q);
        }
        const matched = [...groups.values()].filter((g) =>
          predicate(g as unknown as Record<string, unknown>),
        );
        page(matched, GROUPS_MAX_LIMIT, toGroupJson);
        return;
      }
      const members = /^\/api\/v1\/groups\/([^/]+)\/users$/.exec(path);
      if (members) {
        const group = groups.get(decodeURIComponent(members[1]!));
        if (!group) {
          error(404, 'E0000007', `Not found: Resource not found: ${members[1]} (UserGroup)`);
          return;
        }
        const list = [...group.members].sort().flatMap((id) => {
          const user = users.get(id);
          return user ? [user] : [];
        });
        page(list, MEMBERS_MAX_LIMIT, toUserJson);
        return;
      }
      error(404, 'E0000022', `The endpoint does not support the provided HTTP method`);
    } catch (caught) {
      if (caught instanceof FilterParseError) {
        error(400, 'E0000031', `Invalid search criteria. ${caught.message}`);
        return;
      }
      throw caught;
    }

    function page<T extends { id: string }>(
      items: readonly T[],
      maxLimit: number,
      render: (item: T) => unknown,
    ): void {
      const requested = query.limit === undefined ? maxLimit : Number(query.limit);
      const limit =
        Number.isInteger(requested) && requested > 0 ? Math.min(requested, maxLimit) : maxLimit;
      const after = query.after;
      const start = after === undefined ? 0 : items.findIndex((item) => item.id > after);
      const slice = start < 0 ? [] : items.slice(start, start + limit);
      const links = [`<${url.toString()}>; rel="self"`];
      if (start >= 0 && start + limit < items.length) {
        const next = new URL(url.toString());
        next.searchParams.set('after', slice[slice.length - 1]!.id);
        next.searchParams.set('limit', String(limit));
        links.push(`<${next.toString()}>; rel="next"`);
      }
      send(200, slice.map(render), { Link: links.join(', ') });
    }
  };

  const toUserJson = (user: OktaUserRecord): unknown => ({
    id: user.id,
    status: user.status,
    created: user.created,
    activated: user.created,
    statusChanged: user.statusChanged,
    lastLogin: null,
    lastUpdated: user.lastUpdated,
    passwordChanged: null,
    type: { id: 'oty00000000000000000' },
    profile: user.profile,
    credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { self: { href: `${baseUrl}/api/v1/users/${user.id}` } },
  });
  const toGroupJson = (group: OktaGroupRecord): unknown => ({
    id: group.id,
    created: group.created,
    lastUpdated: group.lastUpdated,
    lastMembershipUpdated: group.lastMembershipUpdated,
    objectClass: ['okta:user_group'],
    type: group.type,
    profile: group.profile,
    _links: { users: { href: `${baseUrl}/api/v1/groups/${group.id}/users` } },
  });

  const server: Server = tls
    ? createHttpsServer({ key: tls.key, cert: tls.cert }, delayed)
    : createHttpServer(delayed);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  return {
    orgUrl: baseUrl,
    token,
    caCert: tls?.caCert,
    directory,
    requests,
    faults,
    clock,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Okta rate-limits per endpoint, so ids in the path share one bucket. */
function bucketOf(path: string): string {
  if (/^\/api\/v1\/groups\/[^/]+\/users$/.test(path)) return '/api/v1/groups/{id}/users';
  if (path === '/api/v1/users/me') return path;
  if (/^\/api\/v1\/users\/[^/]+$/.test(path)) return '/api/v1/users/{id}';
  return path;
}
