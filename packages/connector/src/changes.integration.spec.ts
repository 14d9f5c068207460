import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { silentLogger, type ImportRequest } from '@bwdc/core';
// The test drives the real client directly; only production code must load it lazily.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { BitwardenApiClient, resolveEnvironmentUrls } from '@bwdc/bitwarden-api';
import {
  MemberStatus,
  MemberType,
  startBitwardenEmulator,
  type BitwardenEmulator,
  type SeedMember,
} from '@bwdc/emulator-bitwarden';
import { diffOrganization, type ChangesPlan } from '@bwdc/sync-engine';
import { createConnector } from './create-connector';

// The diff against the real thing: the Bitwarden API client reads the emulator's organization,
// `diffOrganization` predicts what the requests change, the client posts them, and the
// organization afterwards must have changed exactly so.

const emulators: BitwardenEmulator[] = [];
const clients: BitwardenApiClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(emulators.splice(0).map((e) => e.stop()));
});

async function emulator(
  options: Parameters<typeof startBitwardenEmulator>[0] = {},
): Promise<BitwardenEmulator> {
  const e = await startBitwardenEmulator(options);
  emulators.push(e);
  return e;
}

function clientFor(e: BitwardenEmulator): BitwardenApiClient {
  const c = new BitwardenApiClient({
    urls: resolveEnvironmentUrls({ base: e.url }),
    clientId: e.clientId,
    clientSecret: e.clientSecret,
    deviceIdentifier: '4a6d1cde-0000-4000-8000-00000000a11d',
    version: '1.2.3',
    retry: { attempts: 1 },
  });
  clients.push(c);
  return c;
}

// ---- random organizations and imports -------------------------------------------------------

const NAMES = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal', 'ida', 'jon'];
const IDS = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8'];
const GROUP_IDS = ['g1', 'g2', 'g3', 'g4'];

interface Scenario {
  members: SeedMember[];
  groups: { name: string; externalId: string | null; members: string[] }[];
  requests: ImportRequest[];
}

const seedMember = fc.record({
  name: fc.constantFrom(...NAMES),
  upper: fc.boolean(),
  externalId: fc.option(fc.constantFrom(...IDS), { nil: null }),
  status: fc.constantFrom(
    MemberStatus.Confirmed,
    MemberStatus.Confirmed,
    MemberStatus.Accepted,
    MemberStatus.Invited,
    MemberStatus.Revoked,
  ),
  type: fc.constantFrom(MemberType.User, MemberType.User, MemberType.Admin, MemberType.Owner),
});

const importMember = fc.record({
  externalId: fc.constantFrom(...IDS, 'e9', 'e10'),
  name: fc.constantFrom(...NAMES),
  deleted: fc.boolean(),
});

const importGroup = fc.record({
  externalId: fc.constantFrom(...GROUP_IDS, 'g5'),
  name: fc.constantFrom('Eng', 'Sales', 'Ops'),
  members: fc.uniqueArray(fc.constantFrom(...IDS, 'e9', 'e10', 'nobody'), { maxLength: 5 }),
});

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    members: fc.uniqueArray(seedMember, { maxLength: 8, selector: (m) => m.name }),
    groups: fc.uniqueArray(
      fc.record({
        externalId: fc.option(fc.constantFrom(...GROUP_IDS), { nil: null }),
        name: fc.constantFrom('Eng', 'Sales', 'Ops', 'Hand-made'),
        pick: fc.array(fc.nat(7), { maxLength: 4 }),
      }),
      { maxLength: 4, selector: (g) => g.externalId ?? `none-${g.name}` },
    ),
    imports: fc.array(
      fc.record({
        members: fc.uniqueArray(importMember, { maxLength: 7, selector: (m) => m.externalId }),
        groups: fc.uniqueArray(importGroup, { maxLength: 3, selector: (g) => g.externalId }),
        overwrite: fc.boolean(),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  })
  .map(({ members, groups, imports }) => {
    // One externalId per member (two would make every import fail, which the diff also predicts,
    // but it would hide every other rule).
    const usedIds = new Set<string>();
    const seeded: SeedMember[] = members.map((m) => {
      const externalId = m.externalId && !usedIds.has(m.externalId) ? m.externalId : null;
      if (externalId) usedIds.add(externalId);
      const email = m.upper
        ? `${m.name[0]!.toUpperCase()}${m.name.slice(1)}@Example.com`
        : `${m.name}@example.com`;
      return { email, externalId, status: m.status, type: m.type };
    });
    return {
      members: seeded,
      groups: groups.map((g) => ({
        name: g.name,
        externalId: g.externalId,
        members: [...new Set(g.pick.filter((i) => i < seeded.length).map((i) => seeded[i]!.email))],
      })),
      requests: imports.map((r) => {
        // Active emails are unique in a request (the engine's dedupe guarantees it).
        const seenEmail = new Set<string>();
        const list = r.members.filter((m) => {
          if (m.deleted) return true;
          if (seenEmail.has(m.name)) return false;
          seenEmail.add(m.name);
          return true;
        });
        return {
          members: list.map((m) => ({
            email: `${m.name}@example.com`,
            externalId: m.externalId,
            deleted: m.deleted,
          })),
          groups: r.groups.map((g) => ({
            name: g.name,
            externalId: g.externalId,
            memberExternalIds: g.members,
          })),
          overwriteExisting: r.overwrite,
          largeImport: false,
          inviteUsersAfterProvisioning: false,
        };
      }),
    };
  });

function planOf(requests: ImportRequest[]): ChangesPlan {
  return {
    requests,
    users: requests.flatMap((r) =>
      r.members.map((m) => ({
        externalId: m.externalId,
        referenceId: undefined,
        email: m.email,
        status: m.deleted ? ('deleted' as const) : ('enabled' as const),
        deleted: m.deleted,
        removal: m.deleted ? ('deleted-in-directory' as const) : undefined,
      })),
    ),
    leftOut: [],
    unchanged: false,
  };
}

const sorted = <T>(list: T[]): T[] => [...list].sort();

describe('diffOrganization against the Bitwarden emulator (§3)', () => {
  it('predicts exactly what each import does to the organization', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const e = await emulator();
        e.seed(s.members);
        e.seedGroups(s.groups);
        const client = clientFor(e);
        const before = await client.readOrganization({ groupMembers: 'all' });
        const changes = diffOrganization(planOf(s.requests), before);

        let failed: string | undefined;
        for (const request of s.requests) {
          try {
            await client.importOrganization(request);
          } catch (error) {
            failed = (error as Error).message;
            break;
          }
        }
        const after = await client.readOrganization({ groupMembers: 'all' });
        await client.close();
        await e.stop();

        expect(changes.refusal !== null).toBe(failed !== undefined);

        const beforeIds = new Map(before.members.map((m) => [m.id, m]));
        const afterIds = new Map(after.members.map((m) => [m.id, m]));
        const invited = after.members
          .filter((m) => !beforeIds.has(m.id))
          .map((m) => `${m.email} ${m.externalId}`);
        expect(sorted(invited)).toEqual(
          sorted(changes.invite.map((i) => `${i.email} ${i.externalId}`)),
        );
        const removed = before.members.filter((m) => !afterIds.has(m.id)).map((m) => m.email);
        expect(sorted(removed)).toEqual(sorted(changes.remove.map((r) => r.email)));
        const linked = after.members
          .filter(
            (m) => beforeIds.has(m.id) && beforeIds.get(m.id)!.externalId === null && m.externalId,
          )
          .map((m) => `${m.email} ${m.externalId}`);
        expect(sorted(linked)).toEqual(
          sorted(changes.link.map((l) => `${l.email} ${l.externalId}`)),
        );
        expect(sorted(after.members.filter((m) => !m.externalId).map((m) => m.email))).toEqual(
          sorted(changes.unmanaged.map((u) => u.email)),
        );

        // Groups: created, renamed, and members in and out (members still in the organization).
        const emailOf = (id: string) => afterIds.get(id)?.email ?? beforeIds.get(id)?.email;
        const actual: string[] = [];
        const oldGroups = new Map(before.groups.map((g) => [g.id, g]));
        for (const g of after.groups) {
          const old = oldGroups.get(g.id);
          const was = new Set(old?.memberIds ?? []);
          const now = new Set(g.memberIds ?? []);
          const add = sorted([...now].filter((id) => !was.has(id)).map(emailOf));
          const out = sorted(
            [...was].filter((id) => !now.has(id) && afterIds.has(id)).map(emailOf),
          );
          const renamed = old !== undefined && old.name !== g.name;
          if (!old || renamed || add.length || out.length)
            actual.push(`${g.externalId}:${g.name}:${!old}:${renamed}:${add}:${out}`);
        }
        const predicted = changes.groups.map(
          (g) =>
            `${g.externalId}:${g.name}:${g.create}:${g.renamedFrom !== undefined}:${g.add}:${g.remove}`,
        );
        expect(sorted(actual)).toEqual(sorted(predicted));
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});

// ---- the connector's changes() and sync() through the real parts ----------------------------

describe('Connector.changes and the named sync', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bwdc-changes-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function connectorFor(e: BitwardenEmulator, csv: string) {
    const file = join(dir, 'directory.csv');
    writeFileSync(file, csv);
    const connector = createConnector({
      dataDir: join(dir, 'data'),
      env: { BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true' },
      logger: silentLogger,
    });
    for (const [name, value] of [
      ['server', e.url],
      ['directory', 'file'],
      ['file.path', file],
      ['sync.users', 'true'],
      ['sync.groups', 'true'],
    ] as const)
      await connector.config.set(name, value);
    await connector.login(e.clientId, e.clientSecret);
    return { connector, write: (text: string) => writeFileSync(file, text) };
  }

  const CSV = 'email,id,groups\nann@example.com,A,Eng\nben@example.com,B,Eng;Sales\n';

  it('shows invites and created groups before the first sync, and sends nothing', async () => {
    const e = await emulator();
    const { connector } = await connectorFor(e, CSV);
    const report = await connector.changes({ withTest: true });
    expect(report.changes!.invite.map((i) => i.email)).toEqual([
      'ann@example.com',
      'ben@example.com',
    ]);
    expect(report.changes!.groups.map((g) => [g.name, g.create, g.add])).toEqual([
      ['Eng', true, ['ann@example.com', 'ben@example.com']],
      ['Sales', true, ['ben@example.com']],
    ]);
    expect(report.test!.enabledUsers).toHaveLength(2);
    expect((await connector.changes()).test).toBeUndefined();
    expect(e.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/import'))).toEqual([]);
  });

  it('names a leaver and a member added to a group by hand, after a sync', async () => {
    const e = await emulator();
    const { connector, write } = await connectorFor(e, CSV);
    await connector.sync();
    // Someone adds a member to Eng by hand in the Admin Console; ben leaves the directory.
    e.seed([{ email: 'helper@example.com', groups: ['Eng'] }]);
    write('email,id,groups\nann@example.com,A,Eng\n');
    const { changes } = await connector.changes();
    expect(changes!.remove).toEqual([
      expect.objectContaining({
        email: 'ben@example.com',
        externalId: 'B',
        code: 'missing',
        reason: expect.stringMatching(/^gone from the directory/),
      }),
    ]);
    expect(changes!.groups).toEqual([
      expect.objectContaining({ name: 'Eng', add: [], remove: ['helper@example.com'] }),
    ]);
    expect(changes!.unmanaged.map((u) => u.email)).toEqual([
      'helper@example.com',
      'owner@example.com',
    ]);

    const report = await connector.sync();
    expect(report.changes!.remove.map((r) => r.email)).toEqual(['ben@example.com']);
    expect(report.changes!.groupsNotCompared).toBe(1);
    expect(e.org.member('ben@example.com')).toBeUndefined();
    expect(e.org.groups().find((g) => g.name === 'Eng')!.memberEmails).toEqual(['ann@example.com']);
  });

  it('with `optional`, tests against Vaultwarden and says why the organization was not read', async () => {
    const e = await emulator({ mode: 'vaultwarden' });
    const { connector } = await connectorFor(e, CSV);
    const report = await connector.changes({ optional: true, withTest: true });
    expect(report.changes).toBeUndefined();
    expect(report.unavailable).toMatch(/does not offer GET \/public\/(members|groups)/);
    expect(report.test!.enabledUsers).toHaveLength(2);
    await expect(connector.changes()).rejects.toThrow(/does not offer/);
    // A sync still works and still names nothing it cannot know.
    const sync = await connector.sync();
    expect(sync.requestsSent).toBe(1);
    expect(sync.changes).toBeUndefined();
    expect(sync.changesUnavailable).toMatch(/does not offer/);
  });
});
