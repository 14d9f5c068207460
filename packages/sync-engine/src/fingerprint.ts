import { createHash, type Hash } from 'node:crypto';
import { joinJsonStrings, type ImportRequest } from '@bwdc/core';

/**
 * The official connector's change detection: base64(sha256(apiUrl + organizationId + JSON)),
 * where JSON is `JSON.stringify(requests.length === 1 ? requests[0] : requests)`. Its older
 * "legacy" form leaves out the organization id; a data.json migrated from it may still hold one.
 *
 * The JSON of 100k members and millions of flattened memberships runs to hundreds of megabytes,
 * so it is fed to the hash in pieces instead of being built as one string. The pieces join to
 * exactly `JSON.stringify`'s output (tested), which keeps hashes comparable with upstream's.
 * Member lists the plan built point into a pool of their encoded ids (see `attachPoolRefs`), so
 * their bytes are copied into the hash instead of being joined into strings first.
 */
export function fingerprintOf(
  requests: readonly ImportRequest[],
  apiUrl: string,
  organizationId: string,
): string {
  return digest(requests, apiUrl + organizationId);
}

/** The hash without the organization id, as the official connector computed it before 2023. */
export function legacyFingerprintOf(requests: readonly ImportRequest[], apiUrl: string): string {
  return digest(requests, apiUrl);
}

/**
 * The distinct ids of a plan, each written once as `"id"`, back to back: `bytes` from
 * `offsets[r]` to `offsets[r + 1]` is the r-th. Every id must pass `isJsonSafe`.
 */
export class IdPool {
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;

  constructor(ids: readonly string[]) {
    this.offsets = new Int32Array(ids.length + 1);
    let size = 0;
    for (let i = 0; i < ids.length; i++) {
      this.offsets[i] = size;
      size += ids[i]!.length + 2;
    }
    this.offsets[ids.length] = size;
    this.bytes = Buffer.from(ids.length === 0 ? '' : `"${ids.join('""')}"`, 'latin1');
  }
}

const POOLED = new WeakMap<
  readonly string[],
  { readonly pool: IdPool; readonly refs: Int32Array }
>();

/**
 * Records that `ids` is `refs` (indices into `pool`), so the fingerprint copies the list's bytes
 * from the pool instead of joining millions of strings. `ids` must not change afterwards.
 */
export function attachPoolRefs(ids: readonly string[], pool: IdPool, refs: Int32Array): void {
  POOLED.set(ids, { pool, refs });
}

/** The pool and indices `attachPoolRefs` recorded for `ids`, if any. */
export function poolRefsOf(
  ids: readonly string[],
): { readonly pool: IdPool; readonly refs: Int32Array } | undefined {
  return POOLED.get(ids);
}

const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * True when `text` is printable ASCII without `"` or `\`: its JSON is itself in quotes, and its
 * UTF-8 bytes are its Latin-1 bytes.
 */
export function isJsonSafe(text: string): boolean {
  return PLAIN_ASCII.test(text);
}

/** Where the JSON goes: text pieces, and string arrays (which may be pre-encoded). */
interface JsonSink {
  text(piece: string): void;
  stringArray(ids: readonly string[]): void;
}

/** Writes `JSON.stringify(requests.length === 1 ? requests[0] : requests)` in pieces. */
export function writeRequestsJson(
  requests: readonly ImportRequest[],
  write: (piece: string) => void,
): void {
  writeJson(requests, { text: write, stringArray: (ids) => write(stringArrayJson(ids)) });
}

function writeJson(requests: readonly ImportRequest[], sink: JsonSink): void {
  if (requests.length === 1) {
    writeRequest(requests[0]!, sink);
  } else {
    sink.text('[');
    requests.forEach((request, i) => {
      if (i > 0) sink.text(',');
      writeRequest(request, sink);
    });
    sink.text(']');
  }
}

function writeRequest(request: ImportRequest, sink: JsonSink): void {
  sink.text('{"groups":[');
  request.groups.forEach((g, i) => {
    // Fields in the server model's order, whatever order the object was built in.
    sink.text(
      `${i > 0 ? ',' : ''}{"name":${JSON.stringify(g.name)},"externalId":${JSON.stringify(g.externalId)},"memberExternalIds":`,
    );
    sink.stringArray(g.memberExternalIds);
    sink.text('}');
  });
  sink.text('],"members":[');
  request.members.forEach((m, i) => {
    sink.text((i > 0 ? ',' : '') + memberJson(m));
  });
  sink.text(
    `],"overwriteExisting":${JSON.stringify(request.overwriteExisting)},"largeImport":${JSON.stringify(request.largeImport)},` +
      `"inviteUsersAfterProvisioning":${JSON.stringify(request.inviteUsersAfterProvisioning)}}`,
  );
}

/**
 * `JSON.stringify` of a member's fields in the server model's order; written out when nothing
 * needs escaping. The type checks hold the typed contract at run time: a missing email must
 * hash as JSON.stringify writes it, never as the text "undefined".
 */
function memberJson(m: ImportRequest['members'][number]): string {
  if (
    typeof m.email === 'string' &&
    typeof m.externalId === 'string' &&
    typeof m.deleted === 'boolean' &&
    isJsonSafe(m.email) &&
    isJsonSafe(m.externalId)
  )
    return `{"email":"${m.email}","externalId":"${m.externalId}","deleted":${m.deleted}}`;
  return JSON.stringify({ email: m.email, externalId: m.externalId, deleted: m.deleted });
}

/** `JSON.stringify(ids)`, joined when nothing in them needs escaping (see joinJsonStrings). */
export function stringArrayJson(ids: readonly string[]): string {
  const inner = joinJsonStrings(ids);
  return inner === undefined ? JSON.stringify(ids) : `[${inner}]`;
}

const CHUNK = 1 << 20;

/**
 * Feeds the hash in order: text pieces joined into large updates; pooled member lists copied from
 * their pool into a byte chunk (one `copyWithin` per id, the pool and the chunk sharing a buffer).
 */
function hashSink(hash: Hash): JsonSink & { end(): void } {
  let parts: string[] = [];
  let size = 0;
  let pool: IdPool | undefined;
  let work = new Uint8Array(0);
  let base = 0;
  let pos = 0;
  const flushText = () => {
    if (parts.length > 0) hash.update(parts.join(''), 'utf8');
    parts = [];
    size = 0;
  };
  const flushBytes = () => {
    if (pos > 0) hash.update(work.subarray(base, base + pos));
    pos = 0;
  };
  return {
    text(piece) {
      flushBytes();
      parts.push(piece);
      size += piece.length;
      if (size >= CHUNK) flushText();
    },
    stringArray(ids) {
      const pooled = POOLED.get(ids);
      if (!pooled) return this.text(stringArrayJson(ids));
      flushText();
      if (pooled.pool !== pool) {
        flushBytes();
        pool = pooled.pool;
        base = pool.bytes.length;
        work = new Uint8Array(base + CHUNK);
        work.set(pool.bytes);
      }
      const offsets = pool.offsets;
      const refs = pooled.refs;
      if (pos + 1 > CHUNK) flushBytes();
      work[base + pos++] = 0x5b; // [
      for (let k = 0; k < refs.length; k++) {
        const start = offsets[refs[k]!]!;
        const end = offsets[refs[k]! + 1]!;
        if (pos + (end - start) + 1 > CHUNK) flushBytes();
        if (k > 0) work[base + pos++] = 0x2c; // ,
        work.copyWithin(base + pos, start, end);
        pos += end - start;
      }
      if (pos + 1 > CHUNK) flushBytes();
      work[base + pos++] = 0x5d; // ]
    },
    end() {
      flushText();
      flushBytes();
    },
  };
}

function digest(requests: readonly ImportRequest[], prefix: string): string {
  const hash = createHash('sha256');
  hash.update(prefix, 'utf8');
  const sink = hashSink(hash);
  writeJson(requests, sink);
  sink.end();
  return hash.digest('base64');
}
