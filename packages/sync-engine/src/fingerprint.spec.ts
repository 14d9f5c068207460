import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { ImportRequest } from '@bwdc/core';
import {
  IdPool,
  attachPoolRefs,
  fingerprintOf,
  isJsonSafe,
  legacyFingerprintOf,
  stringArrayJson,
  writeRequestsJson,
} from './fingerprint';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

const request = (n: number): ImportRequest => ({
  groups: [{ name: 'Ops', externalId: 'g1', memberExternalIds: ['a', 'b'] }],
  members: Array.from({ length: n }, (_, i) => ({
    email: `u${i}@example.com`,
    externalId: `u${i}`,
    deleted: i % 3 === 0,
  })),
  overwriteExisting: false,
  largeImport: false,
  inviteUsersAfterProvisioning: false,
});

describe('fingerprint', () => {
  it("is upstream's base64 sha256 of apiUrl + orgId + the single request's JSON", () => {
    const req = request(3);
    expect(fingerprintOf([req], 'https://api.example', 'org')).toBe(
      sha('https://api.example' + 'org' + JSON.stringify(req)),
    );
  });

  it('hashes the JSON array when there are several requests', () => {
    const reqs = [request(2), request(1)];
    expect(fingerprintOf(reqs, 'https://api.example', 'org')).toBe(
      sha('https://api.exampleorg' + JSON.stringify(reqs)),
    );
  });

  it('has a legacy form without the organization id', () => {
    const req = request(2);
    expect(legacyFingerprintOf([req], 'https://api.example')).toBe(
      sha('https://api.example' + JSON.stringify(req)),
    );
  });

  it('changes with the organization, the server and the content', () => {
    const base = fingerprintOf([request(2)], 'https://a', 'org');
    expect(fingerprintOf([request(2)], 'https://a', 'org2')).not.toBe(base);
    expect(fingerprintOf([request(2)], 'https://b', 'org')).not.toBe(base);
    expect(fingerprintOf([request(3)], 'https://a', 'org')).not.toBe(base);
  });

  it('stays exact when the JSON is longer than one hash update', () => {
    const req = request(40_000);
    expect(fingerprintOf([req], 'u', 'o')).toBe(sha('uo' + JSON.stringify(req)));
  });

  it('writes pieces that join to JSON.stringify for any requests', () => {
    // Printable ASCII as well: most ids and emails, which take the paths that skip escaping.
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string());
    const req = fc.record({
      groups: fc.array(
        fc.record({ name: text, externalId: text, memberExternalIds: fc.array(text) }),
      ),
      members: fc.array(fc.record({ email: text, externalId: text, deleted: fc.boolean() })),
      overwriteExisting: fc.boolean(),
      largeImport: fc.boolean(),
      inviteUsersAfterProvisioning: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(req, { maxLength: 3 }), (reqs) => {
        const pieces: string[] = [];
        writeRequestsJson(reqs, (p) => pieces.push(p));
        expect(pieces.join('')).toBe(JSON.stringify(reqs.length === 1 ? reqs[0] : reqs));
      }),
      { numRuns: 200 },
    );
  });
});

describe('stringArrayJson', () => {
  it('equals JSON.stringify for any strings, including ones that need escaping', () => {
    expect(stringArrayJson(['a"b', 'c\\d', 'e\nf', '\ud83d\ude00', '\ud800'])).toBe(
      JSON.stringify(['a"b', 'c\\d', 'e\nf', '\ud83d\ude00', '\ud800']),
    );
    expect(stringArrayJson([])).toBe('[]');
    expect(stringArrayJson(['\ud83d', '\ude00'])).toBe(JSON.stringify(['\ud83d', '\ude00']));
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' })), (ids) => {
        expect(stringArrayJson(ids)).toBe(JSON.stringify(ids));
      }),
      { numRuns: 300 },
    );
  });
});

describe('pooled member lists', () => {
  it('hash exactly like their JSON, across chunk boundaries and next to non-ASCII text', () => {
    const pool = Array.from(
      { length: 50_000 },
      (_, i) => `3f1c2a4e-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    expect(pool.every(isJsonSafe)).toBe(true);
    const idPool = new IdPool(pool);
    const list = (refs: Int32Array) => {
      const ids = Array.from(refs, (r) => pool[r]!);
      attachPoolRefs(ids, idPool, refs);
      return ids;
    };
    const big = list(Int32Array.from({ length: 40_000 }, (_, k) => (k * 7919) % pool.length));
    const req: ImportRequest = {
      ...request(2),
      groups: [
        { name: 'Ünï ✓', externalId: 'g', memberExternalIds: big },
        { name: 'e', externalId: 'h', memberExternalIds: list(new Int32Array(0)) },
        { name: 'one', externalId: 'i', memberExternalIds: list(Int32Array.of(3)) },
        { name: 'other pool', externalId: 'j', memberExternalIds: ['x', 'y'] },
      ],
    };
    expect(fingerprintOf([req, req], 'u', 'o')).toBe(sha('uo' + JSON.stringify([req, req])));
  });

  it('tells plain ids from ones JSON must escape', () => {
    expect(isJsonSafe('uid=a,ou=x')).toBe(true);
    expect(['a"b', 'a\\b', '\u00e9', '\n'].map(isJsonSafe)).toEqual([false, false, false, false]);
  });
});
