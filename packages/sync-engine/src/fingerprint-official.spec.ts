import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { DirectoryGroup, ImportRequest } from '@bwdc/core';
import {
  FakeApi,
  MemoryCheckpoints,
  ScriptedProvider,
  config,
  group,
  recordingLogger,
  snapshot,
  user,
} from './__fixtures__/helpers';
import { SyncEngine } from './engine';
import { matchesOfficialFingerprint, officialRequestCandidates } from './fingerprint-official';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');
const API = 'https://api.bitwarden.example';
const ORG = '3f1c2a4e-0000-4000-8000-000000000001';

// A read in the order the directory returned it: not sorted, mixed-case email, nesting.
const users = [
  user('carol', { email: ' Carol@Example.com ' }),
  user('alice'),
  user('bob', { disabled: true }),
  user('dave', { deleted: true }),
];
const groups = [
  group('Eng', ['carol'], ['Ops']),
  group('Ops', ['alice', 'bob']),
  group('Empty', [], ['Eng']),
];

// Written out by hand from the official connector's rules: entries in read order, emails
// lower-cased, each group's own members first and then those of its children, its field order.
const OFFICIAL_JSON =
  '{"groups":[' +
  '{"name":"Eng","externalId":"gid-Eng","memberExternalIds":["id-carol","id-alice","id-bob"]},' +
  '{"name":"Ops","externalId":"gid-Ops","memberExternalIds":["id-alice","id-bob"]},' +
  '{"name":"Empty","externalId":"gid-Empty","memberExternalIds":["id-carol","id-alice","id-bob"]}],' +
  '"members":[' +
  '{"email":"carol@example.com","externalId":"id-carol","deleted":false},' +
  '{"email":"alice@example.com","externalId":"id-alice","deleted":false},' +
  '{"email":"bob@example.com","externalId":"id-bob","deleted":false},' +
  '{"email":"dave@example.com","externalId":"id-dave","deleted":true}],' +
  '"overwriteExisting":false,"largeImport":false,"inviteUsersAfterProvisioning":false}';

const officialJson = (s = snapshot(users, groups), settings = config()) =>
  [...officialRequestCandidates(s, settings)].map((r) => JSON.stringify(r.length === 1 ? r[0] : r));

/** Ours may differ in order and in what it leaves out; here: every member and membership sent. */
const ours = (requests: ImportRequest[] = JSON.parse(`[${OFFICIAL_JSON}]`)) => requests;

describe("the official connector's request", () => {
  it('is rebuilt byte for byte from a read, in read order', () => {
    expect(officialJson()[0]).toBe(OFFICIAL_JSON);
  });

  it('sends a disabled user as deleted with removeDisabled, and the invite flag as set', () => {
    const json = officialJson(
      snapshot(users, groups),
      config({ removeDisabled: true, inviteUsersAfterProvisioning: true }),
    )[0]!;
    expect(json).toContain('{"email":"bob@example.com","externalId":"id-bob","deleted":true}');
    expect(json.endsWith('"inviteUsersAfterProvisioning":true}')).toBe(true);
  });

  // A visited group is skipped for the rest of one top-level group's walk, so A gets d through B
  // before c, and C gets d only on its own turn: the official order, not the transitive closure's.
  it('flattens nested groups in the official order, shared visits included', () => {
    const diamond = [
      group('A', ['a'], ['B', 'C']),
      group('B', ['b'], ['D']),
      group('C', ['c'], ['D']),
      group('D', ['d']),
    ];
    const [json] = officialJson(
      snapshot(
        ['a', 'b', 'c', 'd'].map((n) => user(n)),
        diamond,
      ),
    );
    const request = JSON.parse(json!) as ImportRequest;
    expect(request.groups.map((g) => [g.name, g.memberExternalIds.join(',')])).toEqual([
      ['A', 'id-a,id-b,id-d,id-c'],
      ['B', 'id-b,id-d'],
      ['C', 'id-c,id-d'],
      ['D', 'id-d'],
    ]);
  });

  it('flattens like a plain scan of every group for every group, on any nesting', () => {
    const names = ['g0', 'g1', 'g2', 'g3', 'g4', 'g5'];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            users: fc.subarray(['u0', 'u1', 'u2', 'u3', 'u4']),
            children: fc.subarray(names),
          }),
          { minLength: names.length, maxLength: names.length },
        ),
        fc.shuffledSubarray(names, { minLength: names.length }),
        (shapes, order) => {
          const read = order.map((n) =>
            group(n, shapes[names.indexOf(n)]!.users, shapes[names.indexOf(n)]!.children),
          );
          const [json] = officialJson(
            snapshot(
              ['u0', 'u1', 'u2', 'u3', 'u4'].map((n) => user(n)),
              read,
            ),
          );
          const got = (JSON.parse(json!) as ImportRequest).groups.map((g) => g.memberExternalIds);
          expect(got).toEqual(scanFlatten(read));
        },
      ),
    );
  });

  it('filters by an include/exclude set and keeps only users of kept groups, as upstream', () => {
    const [json] = officialJson(
      snapshot(users, groups),
      config({ userFilter: 'exclude: CAROL@example.com', groupFilter: 'include:ops' }),
    );
    const request = JSON.parse(json!) as ImportRequest;
    expect(request.groups.map((g) => g.name)).toEqual(['Ops']);
    // Dave is deleted, so he stays although he is in no kept group.
    expect(request.members.map((m) => m.externalId)).toEqual(['id-alice', 'id-bob', 'id-dave']);
  });

  it('drops users without an email and keeps the first of identical entries', () => {
    const [json] = officialJson(
      snapshot([user('alice'), user('x', { email: undefined }), user('alice')], undefined),
      config({ groups: false }),
    );
    expect((JSON.parse(json!) as ImportRequest).members.map((m) => m.externalId)).toEqual([
      'id-alice',
    ]);
  });

  it('has no request where the official connector would send none or fail', () => {
    expect(officialJson(snapshot([], []))).toEqual([]);
    const clash = snapshot(
      [user('a', { email: 'x@example.com' }), user('b', { email: 'x@example.com' })],
      [],
    );
    expect(officialJson(clash)).toEqual([]);
  });

  it('batches members, then groups, with largeImport over 2000 entries', () => {
    const many = Array.from({ length: 2001 }, (_, i) => user(`u${i}`));
    const [requests] = officialRequestCandidates(
      snapshot(many, [group('All', ['u0'])]),
      config({ largeImport: true }),
    );
    expect(requests!.map((r) => [r.members.length, r.groups.length, r.largeImport])).toEqual([
      [2000, 0, true],
      [1, 0, true],
      [0, 1, true],
    ]);
  });
});

describe('matchesOfficialFingerprint', () => {
  const hash = sha(API + ORG + OFFICIAL_JSON);
  const match = (s = snapshot(users, groups), last = hash, sending = ours()) =>
    matchesOfficialFingerprint(s, config(), sending, API, ORG, last);

  it('recognises the hash the official connector wrote for the same directory, and its legacy form', () => {
    expect(match()).toBe(true);
    expect(match(undefined, sha(API + OFFICIAL_JSON))).toBe(true);
  });

  it('does not match once the directory changed, or for another organization or server', () => {
    expect(match(snapshot([...users, user('erin')], groups))).toBe(false);
    expect(match(snapshot(users, [groups[0]!, group('Ops', ['alice']), groups[2]!]))).toBe(false);
    expect(
      matchesOfficialFingerprint(snapshot(users, groups), config(), ours(), API, 'other', hash),
    ).toBe(false);
    expect(
      matchesOfficialFingerprint(snapshot(users, groups), config(), ours(), 'https://x', ORG, hash),
    ).toBe(false);
  });

  it("tries Okta's other order, deprovisioned users first, which its two parallel queries may give", () => {
    const deletedFirst = OFFICIAL_JSON.replace(
      '"members":[',
      '"members":[{"email":"dave@example.com","externalId":"id-dave","deleted":true},',
    ).replace(',{"email":"dave@example.com","externalId":"id-dave","deleted":true}]', ']');
    expect(deletedFirst).not.toBe(OFFICIAL_JSON);
    expect(match(undefined, sha(API + ORG + deletedFirst))).toBe(true);
  });

  it("tries each group's direct members by id, the order the official Entra reader gets them in", () => {
    const unsorted = [group('Eng', ['carol', 'alice']), group('Ops', ['bob'])];
    const sortedJson = JSON.stringify({
      groups: [
        { name: 'Eng', externalId: 'gid-Eng', memberExternalIds: ['id-alice', 'id-carol'] },
        { name: 'Ops', externalId: 'gid-Ops', memberExternalIds: ['id-bob'] },
      ],
      members: ['alice', 'bob', 'carol'].map((n) => ({
        email: `${n}@example.com`,
        externalId: `id-${n}`,
        deleted: false,
      })),
      overwriteExisting: false,
      largeImport: false,
      inviteUsersAfterProvisioning: false,
    });
    const read = snapshot(
      ['alice', 'bob', 'carol'].map((n) => user(n)),
      unsorted,
    );
    expect(officialJson(read)).toHaveLength(2);
    expect(officialJson(read)[1]).toBe(sortedJson);
    const sending = [JSON.parse(sortedJson) as ImportRequest];
    expect(
      matchesOfficialFingerprint(read, config(), sending, API, ORG, sha(API + ORG + sortedJson)),
    ).toBe(true);
  });

  it("recognises OneLogin's request, whose ids the official reader kept as numbers", () => {
    const numbered = (n: string, id: string) => user(n, { externalId: id, referenceId: id });
    const read = snapshot(
      [numbered('alice', '10000'), numbered('bob', '10001')],
      [group('Staff', [], [], { externalId: '100', userMemberExternalIds: ['10000', '10001'] })],
    );
    const official =
      '{"groups":[{"name":"Staff","externalId":100,"memberExternalIds":[10000,10001]}],' +
      '"members":[{"email":"alice@example.com","externalId":10000,"deleted":false},' +
      '{"email":"bob@example.com","externalId":10001,"deleted":false}],' +
      '"overwriteExisting":false,"largeImport":false,"inviteUsersAfterProvisioning":false}';
    const sending = [JSON.parse(official.replace(/(\d{3,})/g, '"$1"')) as ImportRequest];
    expect(sending[0]!.members[0]!.externalId).toBe('10000');
    const matches = (last: string) =>
      matchesOfficialFingerprint(read, config(), sending, API, ORG, last);
    expect(matches(sha(API + ORG + official))).toBe(true);
    // Ids that are not all whole numbers stay strings: no numeric form is tried.
    const mixed = snapshot([numbered('alice', '10000'), user('bob')], []);
    const mixedNumeric =
      '{"groups":[],"members":[{"email":"alice@example.com","externalId":10000,"deleted":false},' +
      '{"email":"bob@example.com","externalId":"id-bob","deleted":false}],' +
      '"overwriteExisting":false,"largeImport":false,"inviteUsersAfterProvisioning":false}';
    expect(
      matchesOfficialFingerprint(mixed, config(), [], API, ORG, sha(API + ORG + mixedNumeric)),
    ).toBe(false);
  });

  it('does not skip when our request adds what the official one did not send', () => {
    const withLeaver = ours();
    const request = withLeaver[0]!;
    const extra: ImportRequest = {
      ...request,
      members: [
        ...request.members,
        { email: 'gone@example.com', externalId: 'id-gone', deleted: true },
      ],
    };
    expect(match(undefined, hash, [extra])).toBe(false);
    const moreMembers: ImportRequest = {
      ...request,
      groups: [{ ...request.groups[1]!, memberExternalIds: ['id-alice', 'id-carol'] }],
    };
    expect(match(undefined, hash, [moreMembers])).toBe(false);
    // Leaving something out (a disabled user's membership) adds nothing.
    const fewer: ImportRequest = {
      ...request,
      groups: [{ ...request.groups[1]!, memberExternalIds: ['id-alice'] }],
    };
    expect(match(undefined, hash, [fewer])).toBe(true);
  });
});

describe('the first sync after switching from the official connector', () => {
  const run = async (
    checkpoint: { lastSyncHash: string; lastSyncHashBy?: 'official' },
    read = snapshot(users, groups),
  ) => {
    const api = new FakeApi();
    const checkpoints = new MemoryCheckpoints(checkpoint);
    const engine = new SyncEngine({
      provider: new ScriptedProvider(read),
      api,
      checkpoints,
      config: config(),
      context: { organizationId: ORG, apiUrl: API },
      logger: recordingLogger(),
    });
    const report = await engine.sync();
    return { api, report, checkpoints };
  };

  it('sends nothing when the directory is as the official connector last sent it, then keeps our own hash', async () => {
    const { api, report, checkpoints } = await run({
      lastSyncHash: sha(API + ORG + OFFICIAL_JSON),
      lastSyncHashBy: 'official',
    });
    expect(api.posted).toEqual([]);
    expect(report.skippedUnchanged).toBe(true);
    expect(checkpoints.current.lastSyncHash).toBe(report.fingerprint);
    expect(checkpoints.current.lastSyncHashBy).toBeUndefined();
    // And the next sync recognises our own hash.
    const again = await run({ lastSyncHash: checkpoints.current.lastSyncHash! });
    expect(again.api.posted).toEqual([]);
  });

  it('sends when the directory changed since', async () => {
    const { api } = await run(
      { lastSyncHash: sha(API + ORG + OFFICIAL_JSON), lastSyncHashBy: 'official' },
      snapshot([...users, user('erin')], groups),
    );
    expect(api.posted).toHaveLength(1);
  });

  it('compares the official way only with a hash the official connector wrote', async () => {
    const { api } = await run({ lastSyncHash: sha(API + ORG + OFFICIAL_JSON) });
    expect(api.posted).toHaveLength(1);
  });
});

/** The official flatten as its description reads: for each group, scan all groups for children. */
function scanFlatten(read: readonly DirectoryGroup[]): string[][] {
  const state = read.map((g) => ({
    ref: g.referenceId,
    users: new Set(g.userMemberExternalIds),
    children: new Set(g.groupMemberReferenceIds),
  }));
  const walk = (level: typeof state, visited?: Set<string>): Set<string> => {
    let all = new Set<string>();
    for (const g of level) {
      const seen = visited ?? new Set<string>();
      if (seen.has(g.ref)) continue;
      seen.add(g.ref);
      const kids = state.filter((c) => g.children.has(c.ref));
      walk(kids, seen).forEach((id) => g.users.add(id));
      all = new Set([...all, ...g.users]);
    }
    return all;
  };
  walk(state);
  return state.map((g) => [...g.users]);
}
