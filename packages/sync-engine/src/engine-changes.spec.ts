import {
  BwdcError,
  CancelledError,
  DirectoryType,
  MemberStatus,
  MemberType,
  type SyncCheckpoint,
} from '@bwdc/core';
import { InMemoryDirectoryProvider, OFFICIAL_FILTER_SYNTAX } from '@bwdc/directory-provider';
import {
  CONTEXT,
  FakeApi,
  MemoryCheckpoints,
  config,
  group,
  managed,
  recordingLogger,
  user,
} from './__fixtures__/helpers';
import { SyncEngine } from './engine';
import type { OrganizationReader, OrganizationState } from './organization';
import type { SyncProgress } from './types';

/**
 * An organization held in memory; records which groups' members were asked for. Like the real
 * client, it asks the predicate about each group only after reading the lists (a while later).
 */
class FakeOrganization implements OrganizationReader {
  readonly asked: (string | null)[][] = [];
  failWith: Error | undefined;
  calls = 0;
  constructor(public state: OrganizationState) {}

  async readOrganization(
    options: Parameters<OrganizationReader['readOrganization']>[0],
  ): Promise<OrganizationState> {
    this.calls++;
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (this.failWith) throw this.failWith;
    const pick = options.groupMembers ?? 'none';
    const picked = this.state.groups.filter((g) =>
      pick === 'all' ? true : pick === 'none' ? false : pick(g),
    );
    this.asked.push(picked.map((g) => g.externalId));
    options.onProgress?.({ phase: 'group-members', done: picked.length, total: picked.length });
    return {
      members: this.state.members,
      groups: this.state.groups.map((g) => ({
        ...g,
        memberIds: picked.includes(g) ? g.memberIds : undefined,
      })),
    };
  }
}

const member = (name: string, extra: { externalId?: string | null; type?: number } = {}) => ({
  id: `m-${name}`,
  email: `${name}@example.com`,
  externalId: extra.externalId === undefined ? `id-${name}` : extra.externalId,
  status: MemberStatus.Confirmed,
  type: extra.type ?? MemberType.User,
});

function setup(
  org: OrganizationState,
  checkpoint: SyncCheckpoint = {},
  cfg: Parameters<typeof config>[0] = {},
) {
  const provider = new InMemoryDirectoryProvider({
    users: [user('alice'), user('bob')],
    groups: [group('Ops', ['alice']), group('Dev', ['bob'])],
  });
  const api = new FakeApi();
  const reader = new FakeOrganization(org);
  const logger = recordingLogger();
  const engine = new SyncEngine({
    provider,
    api,
    checkpoints: new MemoryCheckpoints(checkpoint),
    config: config(cfg),
    context: CONTEXT,
    logger,
    organization: reader,
  });
  return { engine, api, reader, logger };
}

const ORG: OrganizationState = {
  members: [
    member('owner', { externalId: null, type: MemberType.Owner }),
    member('alice'),
    member('carol'),
  ],
  groups: [
    { id: 'g-ops', name: 'Ops', externalId: 'gid-Ops', memberIds: ['m-alice', 'm-carol'] },
    { id: 'g-hand', name: 'Hand-made', externalId: null, memberIds: ['m-carol'] },
    { id: 'g-old', name: 'Old', externalId: 'gid-Old', memberIds: [] },
  ],
};

/**
 * An engine over a directory whose read takes a moment (or fails) and notes whether the
 * organization read had started by then.
 */
function engineWatchingTheRead(
  options: { checkpoint?: SyncCheckpoint; users?: string[]; fetchError?: Error } = {},
) {
  const reader = new FakeOrganization(ORG);
  let readSignal: AbortSignal | undefined;
  const original = reader.readOrganization.bind(reader);
  reader.readOrganization = (readOptions) => {
    readSignal = readOptions.signal;
    return original(readOptions);
  };
  const seen = { readerCalledDuringFetch: false };
  const api = new FakeApi();
  const engine = new SyncEngine({
    provider: {
      type: DirectoryType.File,
      filterSyntax: OFFICIAL_FILTER_SYNTAX,
      verify: async () => undefined,
      fetch: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.readerCalledDuringFetch = reader.calls === 1;
        if (options.fetchError) throw options.fetchError;
        return {
          users: (options.users ?? ['alice', 'bob']).map((name) => user(name)),
          groups: [group('Ops', ['alice'])],
          complete: true,
          cursor: undefined,
          warnings: [],
        };
      },
    },
    api,
    checkpoints: new MemoryCheckpoints(options.checkpoint),
    config: config(),
    context: CONTEXT,
    logger: recordingLogger(),
    organization: reader,
  });
  return { engine, reader, api, seen, signal: () => readSignal };
}

describe('SyncEngine.changes', () => {
  it('reads the members of only the groups the plan sends, and replays the plan on the organization', async () => {
    const { engine, api, reader } = setup(ORG);
    const progress: SyncProgress[] = [];
    const { plan, changes } = await engine.changes({ onProgress: (p) => progress.push(p) });
    expect(reader.asked).toEqual([['gid-Ops']]);
    expect(plan.counts.users).toBe(2);
    expect(changes!.invite).toEqual([{ email: 'bob@example.com', externalId: 'id-bob' }]);
    expect(changes!.groups.map((g) => [g.name, g.create, g.add, g.remove])).toEqual([
      ['Dev', true, ['bob@example.com'], []],
      ['Ops', false, [], ['carol@example.com']],
    ]);
    expect(api.calls).toBe(0);
    expect(progress.some((p) => p.phase === 'organization')).toBe(true);
  });

  it('starts reading the organization while the directory is still being read', async () => {
    const { engine, seen } = engineWatchingTheRead({ users: ['alice'] });
    const { changes } = await engine.changes();
    expect(seen.readerCalledDuringFetch).toBe(true);
    expect(changes!.groups.map((g) => [g.name, g.remove])).toEqual([
      ['Ops', ['carol@example.com']],
    ]);
  });

  it('fails with a directory error, and stops reading the organization', async () => {
    const { engine, signal } = engineWatchingTheRead({
      fetchError: new BwdcError('DIRECTORY_UNREACHABLE', 'ldap://dc1 is unreachable'),
    });
    await expect(engine.changes()).rejects.toThrow('ldap://dc1 is unreachable');
    expect(signal()?.aborted).toBe(true);
  });

  it('fails with the read error, having sent nothing', async () => {
    const { engine, api, reader } = setup(ORG);
    reader.failWith = new BwdcError('BITWARDEN_REQUEST_FAILED', 'no members route');
    await expect(engine.changes()).rejects.toThrow('no members route');
    expect(api.calls).toBe(0);
  });

  it('with `optional`, returns the plan and why the organization could not be read', async () => {
    const { engine, reader } = setup(ORG);
    reader.failWith = new BwdcError('BITWARDEN_REQUEST_FAILED', 'no members route');
    const result = await engine.changes({ optional: true });
    expect(result.plan.counts.users).toBe(2);
    expect(result.changes).toBeUndefined();
    expect(result.unavailable).toBe('no members route');
    reader.failWith = new CancelledError('Reading the organization');
    await expect(engine.changes({ optional: true })).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('SyncEngine.sync names what it changed', () => {
  it('reads members and groups (not the members of groups it recorded) before posting, and reports the changes', async () => {
    const { engine, api, reader } = setup(ORG, {
      managedMembers: managed('alice', 'carol'),
      groupMemberCounts: { 'gid-Ops': 2, 'gid-Dev': 0 },
    });
    const report = await engine.sync();
    expect(api.calls).toBe(1);
    expect(reader.asked).toEqual([[]]);
    expect(report.changes?.invite.map((i) => i.email)).toEqual(['bob@example.com']);
    expect(report.changes?.remove).toEqual([
      expect.objectContaining({ email: 'carol@example.com', code: 'missing' }),
    ]);
    expect(report.changes?.groups.map((g) => [g.name, g.create])).toEqual([['Dev', true]]);
    expect(report.changes?.groupsNotCompared).toBe(1);
  });

  it('reads the members of a sent group the last sync did not record, for the guard', async () => {
    const { engine, reader } = setup(ORG, { managedMembers: managed('alice', 'carol') });
    const report = await engine.sync({ force: true });
    // Ops exists in the organization with alice and carol; Dev is new, so nothing to read.
    expect(reader.asked).toEqual([['gid-Ops']]);
    expect(report.guard.groupLosses).toEqual([
      { externalId: 'gid-Ops', name: 'Ops', before: 2, after: 1, lost: 1, source: 'organization' },
    ]);
  });

  it('does not read the organization when nothing is posted', async () => {
    const { engine, reader } = setup(ORG);
    await engine.sync();
    const again = await engine.sync();
    expect(again.skippedUnchanged).toBe(true);
    expect(again.changes).toBeUndefined();
    expect(reader.asked).toHaveLength(1);
  });

  it('goes on when the organization cannot be read, and says why', async () => {
    const { engine, api, reader, logger } = setup(ORG);
    reader.failWith = new BwdcError('BITWARDEN_REQUEST_FAILED', 'Vaultwarden has no members route');
    const report = await engine.sync();
    expect(api.calls).toBe(1);
    expect(report.changes).toBeUndefined();
    expect(report.changesUnavailable).toBe('Vaultwarden has no members route');
    expect(logger.records).toContainEqual({
      level: 'warn',
      message: expect.stringContaining('Could not read the organization'),
    });
  });

  const RECORDED = { managedMembers: managed('alice'), groupMemberCounts: { 'gid-Ops': 2 } };

  it('reads the organization while the directory is read when the sync sends whatever the plan', async () => {
    // No fingerprint (a first sync, or after clear-cache) and every group's count recorded.
    const { engine, reader, api, seen } = engineWatchingTheRead({ checkpoint: RECORDED });
    const report = await engine.sync();
    expect(seen.readerCalledDuringFetch).toBe(true);
    expect(reader.calls).toBe(1);
    expect(reader.asked).toEqual([[]]);
    expect(api.calls).toBe(1);
    expect(report.changes?.invite.map((i) => i.email)).toEqual(['bob@example.com']);
  });

  it('reads again, with the members of a sent group the last sync did not record', async () => {
    const { engine, reader, seen } = engineWatchingTheRead({
      checkpoint: { ...RECORDED, groupMemberCounts: { 'gid-Old': 0 } },
    });
    const report = await engine.sync();
    expect(seen.readerCalledDuringFetch).toBe(true);
    expect(reader.calls).toBe(2);
    expect(reader.asked.at(-1)).toEqual(['gid-Ops']);
    expect(report.guard.groupLosses).toEqual([
      { externalId: 'gid-Ops', name: 'Ops', before: 2, after: 1, lost: 1, source: 'organization' },
    ]);
  });

  it('reads the organization only after the plan when the plan may be unchanged', async () => {
    const { engine, seen } = engineWatchingTheRead({
      checkpoint: { ...RECORDED, lastSyncHash: 'an-older-plan' },
    });
    const report = await engine.sync();
    expect(seen.readerCalledDuringFetch).toBe(false);
    expect(report.changes?.invite.map((i) => i.email)).toEqual(['bob@example.com']);
  });

  it('stops the organization read when the directory read fails, and names the directory', async () => {
    const { engine, api, signal } = engineWatchingTheRead({
      checkpoint: RECORDED,
      fetchError: new BwdcError('DIRECTORY_UNREACHABLE', 'ldap://dc1 is unreachable'),
    });
    await expect(engine.sync()).rejects.toThrow('ldap://dc1 is unreachable');
    expect(signal()?.aborted).toBe(true);
    expect(api.calls).toBe(0);
  });

  it('stops, posting nothing, when the read is cancelled', async () => {
    const { engine, api, reader } = setup(ORG);
    reader.failWith = new CancelledError('Reading the organization');
    await expect(engine.sync()).rejects.toBeInstanceOf(CancelledError);
    expect(api.calls).toBe(0);
  });
});

describe('SyncEngine.test and the guard', () => {
  const BIG: OrganizationState = {
    members: [
      member('owner', { externalId: null, type: MemberType.Owner }),
      ...Array.from({ length: 20 }, (_, i) => member(`m${i}`)),
    ],
    groups: [],
  };

  it('reads the organization to judge overwriteExisting, as the sync would', async () => {
    const { engine, reader, api } = setup(BIG, {}, { overwriteExisting: true });
    const plan = await engine.test();
    expect(reader.calls).toBe(1);
    expect(plan.guard).toMatchObject({ refused: true, check: 'overwrite', overwriteBase: 20 });
    expect(plan.guard.removals).toHaveLength(20);
    await expect(engine.sync()).rejects.toMatchObject({ code: 'SAFETY_LIMIT' });
    expect(api.calls).toBe(0);
  });

  it('does not read the organization when the last sync recorded every group and nothing overwrites', async () => {
    const { engine, reader } = setup(BIG, { groupMemberCounts: { 'gid-Ops': 1, 'gid-Dev': 1 } });
    expect((await engine.test()).guard.refused).toBe(false);
    expect(reader.calls).toBe(0);
  });

  it('refuses overwriteExisting when the organization cannot be read, and a forced sync goes ahead', async () => {
    const { engine, reader, api } = setup(BIG, {}, { overwriteExisting: true });
    reader.failWith = new BwdcError('BITWARDEN_REQUEST_FAILED', 'no members route');
    expect((await engine.test()).guard).toMatchObject({ refused: true, check: 'overwrite-unread' });
    await expect(engine.sync()).rejects.toMatchObject({ code: 'SAFETY_LIMIT' });
    expect(api.calls).toBe(0);
    await engine.sync({ force: true });
    expect(api.calls).toBe(1);
  });

  it('test --changes shows the same verdict', async () => {
    const { engine } = setup(BIG, {}, { overwriteExisting: true });
    const { plan, changes } = await engine.changes();
    expect(plan.guard).toMatchObject({ refused: true, check: 'overwrite' });
    expect(changes!.remove.filter((r) => r.code === 'overwrite')).toHaveLength(20);
  });
});
