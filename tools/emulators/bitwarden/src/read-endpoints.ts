/**
 * The official server's read routes of the Public API (contract §5; S `MembersController`,
 * `GroupsController`): `GET /public/members[/{id}[/group-ids]]` and
 * `GET /public/groups[/{id}[/member-ids]]`, answered from the organization of the access token.
 *
 * - Lists are `{"object":"list","data":[...],"continuationToken":null}`: the server returns every
 *   entry in one page. `pageSize` (emulator only) splits them into pages linked by
 *   `continuationToken`, passed back as the `continuationToken` query parameter, so a client's
 *   paging can be tested.
 * - An id of another organization, or no such id, is a 404 with an empty body (the controllers
 *   return `NotFoundResult`). An id that is not a GUID fails the `Guid id` binding: 400 with the
 *   model-state error body (inferred from ASP.NET Core's binding message; not traced in S tests).
 * - `member-ids` and `group-ids` are bare JSON arrays of GUIDs.
 */
import {
  officialError,
  officialModelState,
  type GroupRow,
  type MemberRow,
  type OrgState,
} from './model';

export interface ReadResult {
  status: number;
  body?: unknown;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MEMBERS = /^\/public\/members(?:\/([^/]+)(\/group-ids)?)?$/;
const GROUPS = /^\/public\/groups(?:\/([^/]+)(\/member-ids)?)?$/;

/** Answers a read route of `org`, or returns undefined when `route` is not one. */
export function officialRead(
  org: OrgState,
  route: string,
  query: URLSearchParams,
  pageSize: number | null,
): ReadResult | undefined {
  const members = MEMBERS.exec(route);
  if (members) {
    if (!members[1]) return list('members', org.members.map(memberBody), query, pageSize);
    const m = byId(memberIndex, org.members).get(parseId(members[1]));
    if (!m) return { status: 404 };
    if (members[2]) return { status: 200, body: groupIdsOf(org, m.id) };
    return { status: 200, body: memberBody(m) };
  }
  const groups = GROUPS.exec(route);
  if (groups) {
    if (!groups[1]) return list('groups', org.groups.map(groupBody), query, pageSize);
    const g = byId(groupIndex, org.groups).get(parseId(groups[1]));
    if (!g) return { status: 404 };
    if (groups[2]) {
      const live = byId(memberIndex, org.members);
      return { status: 200, body: g.memberIds.filter((id) => live.has(id)) };
    }
    return { status: 200, body: groupBody(g) };
  }
  return undefined;
}

export function memberBody(m: MemberRow): Record<string, unknown> {
  return {
    object: 'member',
    id: m.id,
    userId: m.userId,
    name: null,
    email: m.email,
    twoFactorEnabled: false,
    status: m.status,
    collections: [],
    resetPasswordEnrolled: false,
    ssoExternalId: null,
    type: m.type,
    externalId: m.externalId,
    permissions: null,
  };
}

export function groupBody(g: GroupRow): Record<string, unknown> {
  return { object: 'group', id: g.id, name: g.name, externalId: g.externalId, collections: [] };
}

/** Ids are GUIDs compared case-insensitively, as .NET's Guid; rows keep the server's lower case. */
function parseId(raw: string): string {
  const id = decodeURIComponent(raw);
  if (!GUID.test(id)) throw officialModelState({ id: [`The value '${id}' is not valid for id.`] });
  return id.toLowerCase();
}

function list(
  kind: 'members' | 'groups',
  data: unknown[],
  query: URLSearchParams,
  pageSize: number | null,
): ReadResult {
  const token = query.get('continuationToken');
  let start = 0;
  if (token) {
    const decoded = decodeToken(token);
    if (!decoded || decoded.kind !== kind || decoded.offset > data.length)
      throw officialError(400, 'The continuation token is not valid.');
    start = decoded.offset;
  }
  if (pageSize === null) {
    return { status: 200, body: { object: 'list', data, continuationToken: null } };
  }
  const end = Math.min(data.length, start + pageSize);
  const next = end < data.length ? encodeToken(kind, end) : null;
  return {
    status: 200,
    body: { object: 'list', data: data.slice(start, end), continuationToken: next },
  };
}

function encodeToken(kind: string, offset: number): string {
  return Buffer.from(JSON.stringify({ kind, offset }), 'utf8').toString('base64url');
}

function decodeToken(token: string): { kind: string; offset: number } | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      kind?: unknown;
      offset?: unknown;
    };
    if (
      typeof value.kind === 'string' &&
      typeof value.offset === 'number' &&
      Number.isInteger(value.offset) &&
      value.offset >= 0
    )
      return { kind: value.kind, offset: value.offset };
  } catch {
    // not a token we issued
  }
  return undefined;
}

function groupIdsOf(org: OrgState, memberId: string): string[] {
  return org.groups.filter((g) => g.memberIds.includes(memberId)).map((g) => g.id);
}

/**
 * Id lookups over the organization's rows, rebuilt only when the array changed: the import
 * replaces the arrays when it removes rows and appends when it adds, so the array and its length
 * identify a version. Without them 10,000 `member-ids` reads of a 100,000-member organization
 * would scan every member each time.
 */
type Index<T> = WeakMap<T[], { length: number; map: Map<string, T> }>;
const memberIndex: Index<MemberRow> = new WeakMap();
const groupIndex: Index<GroupRow> = new WeakMap();

function byId<T extends { id: string }>(cache: Index<T>, rows: T[]): Map<string, T> {
  const hit = cache.get(rows);
  if (hit && hit.length === rows.length) return hit.map;
  const map = new Map<string, T>();
  for (const row of rows) map.set(row.id.toLowerCase(), row);
  cache.set(rows, { length: rows.length, map });
  return map;
}
