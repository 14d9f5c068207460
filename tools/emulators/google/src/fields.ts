/**
 * Google's partial-response `fields` parameter: `a,b/c,d(e,f)`. The emulator applies it to the
 * response, and rejects names the resource does not have (as Google answers
 * `400 Invalid field selection`), so a provider asking for a misspelt field fails here as it
 * would against Google.
 */
export class FieldSelectionError extends Error {}

/** `true` = the whole value; a map = only those members (applied to each element of an array). */
export type FieldTree = Map<string, FieldTree | true>;

export function parseFields(text: string): FieldTree {
  let pos = 0;
  const fail = (): never => {
    throw new FieldSelectionError(`Invalid field selection ${text}`);
  };

  const parseList = (): FieldTree => {
    const tree: FieldTree = new Map();
    for (;;) {
      parseItem(tree);
      if (text[pos] === ',') {
        pos += 1;
        continue;
      }
      return tree;
    }
  };

  const parseName = (): string => {
    const match = /^\s*([A-Za-z_*][A-Za-z0-9_]*)\s*/.exec(text.slice(pos));
    if (!match) fail();
    pos += match![0].length;
    return match![1]!;
  };

  const parseItem = (into: FieldTree): void => {
    const path = [parseName()];
    while (text[pos] === '/') {
      pos += 1;
      path.push(parseName());
    }
    let leaf: FieldTree | true = true;
    if (text[pos] === '(') {
      pos += 1;
      leaf = parseList();
      if (text[pos] !== ')') fail();
      pos += 1;
      while (text[pos] === ' ') pos += 1;
    }
    let node = into;
    for (const [index, name] of path.entries()) {
      if (index === path.length - 1) {
        const existing = node.get(name);
        node.set(
          name,
          existing instanceof Map && leaf instanceof Map ? merge(existing, leaf) : leaf,
        );
      } else {
        let next = node.get(name);
        if (next === true) return;
        if (!next) {
          next = new Map();
          node.set(name, next);
        }
        node = next;
      }
    }
  };

  const tree = parseList();
  if (pos !== text.length) fail();
  return tree;
}

function merge(a: FieldTree, b: FieldTree): FieldTree {
  const out: FieldTree = new Map(a);
  for (const [k, v] of b) {
    const existing = out.get(k);
    out.set(k, existing === true || v === true ? true : merge(existing ?? new Map(), v));
  }
  return out;
}

/** Known member names of each resource, for validation: nested schemas by member name. */
export interface FieldSchema {
  readonly [name: string]: FieldSchema | true;
}

export function validateFields(tree: FieldTree, schema: FieldSchema, original: string): void {
  for (const [name, sub] of tree) {
    if (name === '*') continue;
    const known = schema[name];
    if (known === undefined) throw new FieldSelectionError(`Invalid field selection ${name}`);
    if (sub !== true && known !== true) validateFields(sub, known, original);
    if (sub !== true && known === true)
      throw new FieldSelectionError(`Invalid field selection ${original}`);
  }
}

export function applyFields(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((v) => applyFields(v, tree));
  if (value === null || typeof value !== 'object') return value;
  if (tree.has('*')) return value;
  const out: Record<string, unknown> = {};
  for (const [name, sub] of tree) {
    const member = (value as Record<string, unknown>)[name];
    if (member === undefined) continue;
    out[name] = sub === true ? member : applyFields(member, sub);
  }
  return out;
}

const NAME: FieldSchema = { givenName: true, familyName: true, fullName: true, displayName: true };
const EMAIL: FieldSchema = { address: true, primary: true, type: true, customType: true };

export const USER_SCHEMA: FieldSchema = {
  kind: true,
  id: true,
  etag: true,
  primaryEmail: true,
  name: NAME,
  isAdmin: true,
  isDelegatedAdmin: true,
  lastLoginTime: true,
  creationTime: true,
  deletionTime: true,
  agreedToTerms: true,
  suspended: true,
  suspensionReason: true,
  archived: true,
  changePasswordAtNextLogin: true,
  ipWhitelisted: true,
  emails: EMAIL,
  aliases: true,
  nonEditableAliases: true,
  customerId: true,
  orgUnitPath: true,
  isMailboxSetup: true,
  includeInGlobalAddressList: true,
  isEnrolledIn2Sv: true,
  isEnforcedIn2Sv: true,
  thumbnailPhotoUrl: true,
};

export const USERS_SCHEMA: FieldSchema = {
  kind: true,
  etag: true,
  users: USER_SCHEMA,
  nextPageToken: true,
  trigger_event: true,
};

export const GROUP_SCHEMA: FieldSchema = {
  kind: true,
  id: true,
  etag: true,
  email: true,
  name: true,
  directMembersCount: true,
  description: true,
  adminCreated: true,
  aliases: true,
  nonEditableAliases: true,
};

export const GROUPS_SCHEMA: FieldSchema = {
  kind: true,
  etag: true,
  groups: GROUP_SCHEMA,
  nextPageToken: true,
};

export const MEMBER_SCHEMA: FieldSchema = {
  kind: true,
  etag: true,
  id: true,
  email: true,
  role: true,
  type: true,
  status: true,
  delivery_settings: true,
};

export const MEMBERS_SCHEMA: FieldSchema = {
  kind: true,
  etag: true,
  members: MEMBER_SCHEMA,
  nextPageToken: true,
};
