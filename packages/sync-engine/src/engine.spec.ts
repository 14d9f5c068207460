import { CancelledError, DirectoryError, FilterSyntaxError, type SyncCheckpoint } from '@bwdc/core';
import { InMemoryDirectoryProvider } from '@bwdc/directory-provider';
import {
  CONTEXT,
  FakeApi,
  MemoryCheckpoints,
  ScriptedProvider,
  config,
  group,
  managed,
  recordingLogger,
  rejection,
  snapshot,
  user,
} from './__fixtures__/helpers';
import { SyncEngine } from './engine';
import type { SyncEngineDeps } from './engine-api';
import { DuplicateEmailError, SafetyLimitError } from './errors';
import { legacyFingerprintOf } from './fingerprint';
import { toTestResponse } from './test-response';
import type { SyncProgress } from './types';

const T1 = new Date('2026-11-26T08:00:00.000Z');
const T2 = new Date('2026-11-26T09:00:00.000Z');

function setup(
  init: {
    provider?: SyncEngineDeps['provider'];
    checkpoint?: SyncCheckpoint;
    cfg?: Partial<Record<string, unknown>>;
    now?: Date;
  } = {},
) {
  const provider =
    init.provider ??
    new InMemoryDirectoryProvider({
      users: [user('alice'), user('bob')],
      groups: [group('Ops', ['alice'], ['Dev']), group('Dev', ['bob'])],
    });
  const api = new FakeApi();
  const checkpoints = new MemoryCheckpoints(init.checkpoint);
  const logger = recordingLogger();
  let now = init.now ?? T1;
  const engine = new SyncEngine({
    provider,
    api,
    checkpoints,
    config: config(init.cfg),
    context: CONTEXT,
    logger,
    now: () => now,
  });
  return { engine, provider, api, checkpoints, logger, setNow: (d: Date) => (now = d) };
}

describe('SyncEngine.test', () => {
  it('returns the plan of a full read and posts or saves nothing', async () => {
    const { engine, api, checkpoints, provider } = setup({ checkpoint: { cursor: 'c1' } });
    const plan = await engine.test();
    expect((provider as InMemoryDirectoryProvider).requests[0]).toMatchObject({
      users: true,
      groups: true,
      mode: 'full',
    });
    expect(plan.requests).toHaveLength(1);
    expect(plan.groups.map((g) => [g.name, g.memberExternalIds])).toEqual([
      ['Dev', ['id-bob']],
      ['Ops', ['id-alice', 'id-bob']],
    ]);
    expect(api.calls).toBe(0);
    expect(checkpoints.commits).toBe(0);
  });

  it('reads since the last sync with sinceLast when there is a cursor', async () => {
    const provider = new ScriptedProvider(
      snapshot([user('a')], []),
      snapshot([], [], { complete: false }),
    );
    const { engine } = setup({ provider, checkpoint: { cursor: 'c1' } });
    await engine.test({ sinceLast: true });
    expect(provider.requests[0]).toMatchObject({ mode: 'incremental', cursor: 'c1' });
    await setup({ provider, checkpoint: {} }).engine.test({ sinceLast: true });
    expect(provider.requests[1]).toMatchObject({ mode: 'full' });
  });

  it('shows users that would be removed as deleted in the upstream test JSON', async () => {
    const provider = new InMemoryDirectoryProvider({
      users: [
        user('alice'),
        user('bob', { disabled: true }),
        user('carol', { deleted: true }),
        user('Zed10', { email: 'user10@example.com' }),
        user('n9', { email: 'user9@example.com' }),
      ],
      groups: [group('ops', ['alice']), group('Admins', ['bob'])],
    });
    const { engine } = setup({
      provider,
      checkpoint: { managedMembers: managed('alice', 'gone') },
    });
    const json = toTestResponse(await engine.test());
    expect(json).toEqual({
      object: 'test',
      groups: [
        { externalId: 'gid-Admins', displayName: 'Admins', userIds: ['id-bob'] },
        { externalId: 'gid-ops', displayName: 'ops', userIds: ['id-alice'] },
      ],
      enabledUsers: [
        { externalId: 'id-alice', displayName: 'alice@example.com' },
        { externalId: 'id-n9', displayName: 'user9@example.com' },
        { externalId: 'id-Zed10', displayName: 'user10@example.com' },
      ],
      disabledUsers: [{ externalId: 'id-bob', displayName: 'bob@example.com' }],
      deletedUsers: [
        { externalId: 'id-carol', displayName: 'carol@example.com' },
        { externalId: 'id-gone', displayName: 'gone@example.com' },
      ],
    });
  });

  it('skips what only a sync needs: no fingerprints, never "unchanged", no members to remember', async () => {
    const { engine, api } = setup();
    await engine.sync();
    const plan = await engine.test();
    expect(plan.fingerprint).toBeUndefined();
    expect(plan.unchanged).toBe(false);
    expect(plan.nextManagedMembers).toBeUndefined();
    expect(plan.requests).toHaveLength(1);
    // The same directory is still recognised as unchanged by a sync.
    expect(await engine.sync()).toMatchObject({ skippedUnchanged: true, requestsSent: 0 });
    expect(api.calls).toBe(1);
  });
});

describe('SyncEngine.sync', () => {
  it('posts the plan, then commits fingerprint, cursor, sync times and members together', async () => {
    const provider = new ScriptedProvider(
      snapshot([user('alice'), user('bob')], [group('Ops', ['alice'])], { cursor: 'next' }),
    );
    const { engine, api, checkpoints } = setup({
      provider,
      checkpoint: { lastUserSync: 'old', lastGroupSync: 'old' },
    });
    const progress: SyncProgress[] = [];
    const report = await engine.sync({ onProgress: (p) => progress.push(p) });
    expect(api.posted).toHaveLength(1);
    expect(api.posted[0]).toEqual({
      groups: [{ name: 'Ops', externalId: 'gid-Ops', memberExternalIds: ['id-alice'] }],
      members: [
        { email: 'alice@example.com', externalId: 'id-alice', deleted: false },
        { email: 'bob@example.com', externalId: 'id-bob', deleted: false },
      ],
      overwriteExisting: false,
      largeImport: false,
      inviteUsersAfterProvisioning: false,
    });
    expect(checkpoints.current).toEqual({
      lastSyncHash: report.fingerprint,
      cursor: 'next',
      lastUserSync: T1.toISOString(),
      lastGroupSync: T1.toISOString(),
      managedMembers: managed('alice', 'bob'),
      // What the server got per group: a later read that would empty it is noticed.
      groupMemberCounts: { 'gid-Ops': 1 },
    });
    expect(report).toMatchObject({
      requestsSent: 1,
      skippedUnchanged: false,
      usersSynced: 2,
      groupsSynced: 1,
      forced: false,
      mode: 'full',
    });
    expect(report.durationMs).toBeGreaterThanOrEqual(0);
    expect(progress.map((p) => p.phase)).toEqual([
      'load',
      'read',
      'plan',
      'post',
      'post',
      'commit',
    ]);
  });

  it('posts nothing when the fingerprint is unchanged, reports 0 and 0, and still saves the sync times', async () => {
    const { engine, api, checkpoints, setNow } = setup();
    const first = await engine.sync();
    setNow(T2);
    const second = await engine.sync();
    expect(api.calls).toBe(1);
    expect(second).toMatchObject({
      skippedUnchanged: true,
      requestsSent: 0,
      usersSynced: 0,
      groupsSynced: 0,
      fingerprint: first.fingerprint,
    });
    expect(checkpoints.current.lastUserSync).toBe(T2.toISOString());
    expect(checkpoints.current.lastSyncHash).toBe(first.fingerprint);
  });

  it("sends a leaver's removal once: the next run with the same directory posts nothing", async () => {
    const { engine, api, checkpoints } = setup({
      checkpoint: { managedMembers: managed('alice', 'bob', 'gone') },
    });
    const removal = await engine.sync();
    expect(removal.removed.map((r) => r.email)).toEqual(['gone@example.com']);
    expect(api.calls).toBe(1);
    const next = await engine.sync();
    expect(next.skippedUnchanged).toBe(true);
    expect(api.calls).toBe(1);
    // What is remembered describes the organization after the removal, not the removal request.
    expect(checkpoints.current.lastSyncHash).not.toBe(removal.fingerprint);
  });

  it('keeps the remembered members through a read that found nobody, and removes a leaver afterwards', async () => {
    const provider = new InMemoryDirectoryProvider({ users: [] });
    const { engine, checkpoints } = setup({
      provider,
      checkpoint: { managedMembers: managed('alice', 'bob') },
    });
    const empty = await engine.sync();
    expect(empty.removed).toEqual([]);
    expect(checkpoints.current.managedMembers).toEqual(managed('alice', 'bob'));
    provider.users = [user('alice')];
    const next = await engine.sync();
    expect(next.removed.map((r) => r.email)).toEqual(['bob@example.com']);
  });

  it('recognises the legacy hash of a data.json migrated from the official connector', async () => {
    const { engine } = setup();
    const plan = await engine.test();
    const legacy = legacyFingerprintOf(plan.requests, CONTEXT.apiUrl);
    // As the state reads a hash the official connector wrote (bwdc never writes this form).
    const migrated = setup({ checkpoint: { lastSyncHash: legacy, lastSyncHashBy: 'official' } });
    const report = await migrated.engine.sync();
    expect(report.skippedUnchanged).toBe(true);
    expect(migrated.api.calls).toBe(0);
    // A hash bwdc wrote is only ever its own form: compared with nothing else.
    const ours = setup({ checkpoint: { lastSyncHash: legacy } });
    expect((await ours.engine.sync()).skippedUnchanged).toBe(false);
    expect(ours.api.calls).toBeGreaterThan(0);
  });

  it('reads incrementally from the cursor unless forced, overwriting or removing missing users', async () => {
    const provider = new ScriptedProvider(
      snapshot([user('a')], []),
      snapshot([user('a')], [], { complete: false, cursor: 'c2' }),
    );
    const keep = { removeMissingUsers: false };
    await setup({ provider, checkpoint: { cursor: 'c1' }, cfg: keep }).engine.sync();
    await setup({ provider, checkpoint: { cursor: 'c1' }, cfg: keep }).engine.sync({ force: true });
    await setup({
      provider,
      checkpoint: { cursor: 'c1' },
      cfg: { ...keep, overwriteExisting: true },
    }).engine.sync();
    await setup({ provider, checkpoint: {}, cfg: keep }).engine.sync();
    await setup({
      provider,
      checkpoint: { cursor: 'c1' },
      cfg: { removeMissingUsers: true },
    }).engine.sync();
    expect(provider.requests.map((r) => [r.mode, r.cursor])).toEqual([
      ['incremental', 'c1'],
      ['full', undefined],
      ['full', undefined],
      ['full', undefined],
      ['full', undefined],
    ]);
  });

  it('saves the sync time only of the parts that are synced', async () => {
    const provider = new ScriptedProvider(snapshot([user('a')], undefined));
    const { engine, checkpoints } = setup({
      provider,
      cfg: { groups: false },
      checkpoint: { lastGroupSync: 'before' },
    });
    await engine.sync();
    expect(checkpoints.current).toMatchObject({
      lastUserSync: T1.toISOString(),
      lastGroupSync: 'before',
    });
  });

  it('with nothing to send, posts nothing and keeps the last fingerprint', async () => {
    const provider = new ScriptedProvider(snapshot([], [], { complete: false, cursor: 'c2' }));
    const { engine, api, checkpoints } = setup({
      provider,
      checkpoint: { lastSyncHash: 'h', cursor: 'c1' },
    });
    const report = await engine.sync();
    expect(api.calls).toBe(0);
    expect(report).toMatchObject({ requestsSent: 0, usersSynced: 0, groupsSynced: 0 });
    expect(checkpoints.current).toMatchObject({
      lastSyncHash: 'h',
      cursor: 'c2',
      lastUserSync: T1.toISOString(),
    });
  });

  describe('when the second of three batched requests fails', () => {
    const users = Array.from({ length: 3000 }, (_, i) => user(`u${String(i).padStart(4, '0')}`));
    const provider = new InMemoryDirectoryProvider({ users, groups: [group('All', ['u0001'])] });
    const before: SyncCheckpoint = {
      lastSyncHash: 'previous',
      cursor: 'c0',
      lastUserSync: 'then',
      lastGroupSync: 'then',
      managedMembers: managed('u0000'),
    };

    it('leaves fingerprint, cursor and sync times untouched, and the next run sends all three again', async () => {
      const { engine, api, checkpoints } = setup({
        provider,
        checkpoint: before,
        cfg: { largeImport: true },
      });
      api.failOn = 2;
      const error = await rejection(engine.sync());
      expect((error as Error).message).toBe('server said no to request 2');
      expect(api.calls).toBe(2);
      expect(checkpoints.commits).toBe(0);
      expect(checkpoints.current).toEqual(before);

      api.failOn = undefined;
      api.posted.length = 0;
      const report = await engine.sync();
      expect(report.requestsSent).toBe(3);
      expect(api.posted.map((r) => [r.members.length, r.groups.length])).toEqual([
        [2000, 0],
        [1000, 0],
        [0, 1],
      ]);
      expect(checkpoints.current.lastSyncHash).toBe(report.fingerprint);
      expect(checkpoints.current.lastUserSync).toBe(T1.toISOString());
    });
  });

  it('rejects a malformed filter before reading the directory', async () => {
    const { engine, provider } = setup({ cfg: { groupFilter: 'includ:Ops' } });
    expect(await rejection(engine.sync())).toBeInstanceOf(FilterSyntaxError);
    expect((provider as InMemoryDirectoryProvider).requests).toHaveLength(0);
  });

  it('commits nothing when the directory read fails', async () => {
    const provider = new InMemoryDirectoryProvider({ users: [user('a')] });
    provider.fail = new Error('connection refused');
    const { engine, api, checkpoints } = setup({
      provider,
      checkpoint: { lastSyncHash: 'h', managedMembers: managed('a') },
    });
    expect(await rejection(engine.sync())).toBeInstanceOf(DirectoryError);
    expect(api.calls).toBe(0);
    expect(checkpoints.commits).toBe(0);
  });

  it('stops between requests when cancelled, and commits nothing', async () => {
    const users = Array.from({ length: 2500 }, (_, i) => user(`u${i}`));
    const controller = new AbortController();
    const { engine, api, checkpoints } = setup({
      provider: new InMemoryDirectoryProvider({ users }),
      cfg: { largeImport: true },
    });
    api.importOrganization = async (request) => {
      api.calls++;
      api.posted.push(request);
      controller.abort();
    };
    expect(await rejection(engine.sync({ signal: controller.signal }))).toBeInstanceOf(
      CancelledError,
    );
    expect(api.calls).toBe(1);
    expect(checkpoints.commits).toBe(0);
  });

  it('does not start when cancelled before it begins', async () => {
    const controller = new AbortController();
    controller.abort();
    const { engine, provider, checkpoints } = setup();
    expect(await rejection(engine.sync({ signal: controller.signal }))).toBeInstanceOf(
      CancelledError,
    );
    expect((provider as InMemoryDirectoryProvider).requests).toHaveLength(0);
    expect(checkpoints.commits).toBe(0);
  });

  it('sends an unchanged plan again when forced, to repair an organization changed by hand', async () => {
    const { engine, api, checkpoints } = setup();
    const first = await engine.sync();
    const forced = await engine.sync({ force: true });
    expect(api.calls).toBe(2);
    expect(api.posted[1]).toEqual(api.posted[0]);
    expect(forced).toMatchObject({ skippedUnchanged: false, requestsSent: 1, usersSynced: 2 });
    expect(checkpoints.current.lastSyncHash).toBe(first.fingerprint);
  });

  it('refuses a read that would empty the groups it sent last time, until forced', async () => {
    const provider = new InMemoryDirectoryProvider({
      users: [user('alice'), user('bob')],
      groups: [group('Ops', ['alice', 'bob'])],
    });
    const { engine, api, checkpoints } = setup({ provider });
    await engine.sync();
    expect(checkpoints.current.groupMemberCounts).toEqual({ 'gid-Ops': 2 });
    // A wrong user object class: groups come back, users do not.
    provider.users = [];
    provider.groups = [group('Ops', [])];
    const saved = structuredClone(checkpoints.current);
    for (let run = 0; run < 2; run++) {
      const error = (await rejection(engine.sync())) as SafetyLimitError;
      expect(error).toBeInstanceOf(SafetyLimitError);
      expect(error.groupLosses).toEqual([
        { externalId: 'gid-Ops', name: 'Ops', before: 2, after: 0, lost: 2, source: 'last-sync' },
      ]);
      expect(error.message).toContain('Ops: 2 of 2 member(s) (left empty)');
      // Refused again on the next run: nothing was committed that could make it "unchanged".
      expect(checkpoints.current).toEqual(saved);
    }
    expect(api.calls).toBe(1);
    const forced = await engine.sync({ force: true });
    expect(forced.forced).toBe(true);
    expect(api.posted[1]!.groups).toEqual([
      { name: 'Ops', externalId: 'gid-Ops', memberExternalIds: [] },
    ]);
    expect(checkpoints.current.groupMemberCounts).toEqual({ 'gid-Ops': 0 });
  });

  it('says what the server already has when the checkpoint cannot be saved, and keeps the old one', async () => {
    const { engine, api, checkpoints, logger } = setup();
    checkpoints.commit = async () => {
      throw new Error('ENOSPC');
    };
    await expect(engine.sync()).rejects.toThrow('ENOSPC');
    expect(api.calls).toBe(1);
    expect(checkpoints.current).toEqual({});
    expect(logger.records).toContainEqual({
      level: 'error',
      message:
        'Bitwarden received all 1 import request(s), but the record of this sync could not be saved; the next sync sends them again.',
    });
  });

  it('refuses a run removing too many members unless forced, listing them', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `u${i}`);
    const provider = new InMemoryDirectoryProvider({
      users: names.slice(0, 7).map((n) => user(n)),
    });
    const { engine, api, checkpoints, logger } = setup({
      provider,
      checkpoint: { managedMembers: managed(...names) },
    });
    const error = (await rejection(engine.sync())) as SafetyLimitError;
    expect(error).toBeInstanceOf(SafetyLimitError);
    expect(error.code).toBe('SAFETY_LIMIT');
    expect(error.wouldRemove.map((r) => r.email)).toEqual([
      'u7@example.com',
      'u8@example.com',
      'u9@example.com',
    ]);
    expect(error.message).toContain('u7@example.com (id-u7): gone from the directory');
    expect(api.calls).toBe(0);
    expect(checkpoints.commits).toBe(0);
    expect(logger.records.some((r) => r.level === 'error')).toBe(true);

    const report = await engine.sync({ force: true });
    expect(report.forced).toBe(true);
    expect(report.removed.map((r) => [r.externalId, r.reason])).toEqual([
      ['id-u7', 'missing'],
      ['id-u8', 'missing'],
      ['id-u9', 'missing'],
    ]);
    expect(api.posted[0]!.members.filter((m) => m.deleted)).toHaveLength(3);
    expect(checkpoints.current.managedMembers).toEqual(managed(...names.slice(0, 7)));
  });

  it('never sends overwriteExisting with an empty member list, even forced', async () => {
    const { engine, api } = setup({
      provider: new InMemoryDirectoryProvider({ users: [] }),
      cfg: { overwriteExisting: true },
    });
    const error = (await rejection(engine.sync({ force: true }))) as SafetyLimitError;
    expect(error).toBeInstanceOf(SafetyLimitError);
    expect(error.forceable).toBe(false);
    expect(error.message).toMatch(/empty member list: the directory read returned no users/);
    expect(api.calls).toBe(0);
  });

  it('fails on conflicting duplicates before posting anything', async () => {
    const provider = new InMemoryDirectoryProvider({
      users: [user('a', { email: 'x@example.com' }), user('b', { email: 'x@example.com' })],
    });
    const { engine, api, checkpoints } = setup({ provider });
    expect(await rejection(engine.sync())).toBeInstanceOf(DuplicateEmailError);
    expect(api.calls).toBe(0);
    expect(checkpoints.commits).toBe(0);
  });

  it('reports left-out entries and warnings, and logs them', async () => {
    const provider = new InMemoryDirectoryProvider({
      users: [user('a'), user('b', { email: undefined })],
    });
    const { engine, logger } = setup({ provider });
    const report = await engine.sync();
    expect(report.leftOut).toEqual([
      expect.objectContaining({
        referenceId: 'uid=b,ou=people,dc=example,dc=com',
        reason: 'no-email',
      }),
    ]);
    expect(report.counts).toMatchObject({ usersRead: 2, users: 1, leftOut: 1 });
    expect(logger.records).toContainEqual({
      level: 'warn',
      message: expect.stringContaining('uid=b,ou=people'),
    });
    expect(logger.records).toContainEqual({
      level: 'info',
      message: 'Synced 0 group(s) and 1 user(s).',
    });
  });

  it('logs a read summary once, first, with a few of the entries it is about', async () => {
    // A wrong email attribute: the directory skips every user and says so for each one.
    const skipped = Array.from(
      { length: 21 },
      (_, i) => `User uid=u${i} has no email and was skipped.`,
    );
    const provider = new ScriptedProvider(snapshot([], [], { warnings: skipped }));
    const { engine, logger } = setup({ provider, cfg: { userEmailAttribute: 'email' } });
    const plan = await engine.test();
    expect(plan.summaryWarnings).toBe(2);
    // The 21 from the read, then the plan's own: no missing users are removed after an empty read.
    expect(plan.warnings).toHaveLength(24);
    const warned = logger.records.filter((r) => r.level === 'warn').map((r) => r.message);
    expect(warned[0]).toMatch(
      /^No users were read, though sync.users is on\. Check sync.userFilter/,
    );
    expect(warned[1]).toMatch(/^No groups were read/);
    expect(warned.slice(2)).toEqual([
      ...skipped.slice(0, 3),
      '19 more warnings; see the run report.',
    ]);
  });
});
