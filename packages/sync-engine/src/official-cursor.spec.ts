import type { SyncCheckpoint } from '@bwdc/core';
import type { OfficialSyncTimes } from '@bwdc/directory-provider';
import {
  CONTEXT,
  FakeApi,
  MemoryCheckpoints,
  ScriptedProvider,
  config,
  recordingLogger,
  snapshot,
  user,
} from './__fixtures__/helpers';
import { SyncEngine } from './engine';
import { OFFICIAL_CLOCK_MARGIN_MS, officialStartCursor } from './official-cursor';

/** A provider that reads incrementally as the official connector did: its cursor names the times. */
class OfficialAwareProvider extends ScriptedProvider {
  readonly asked: { times: OfficialSyncTimes; read: { users: boolean; groups: boolean } }[] = [];
  cursorFromOfficialSync(
    times: OfficialSyncTimes,
    read: { readonly users: boolean; readonly groups: boolean },
  ): string | undefined {
    this.asked.push({ times, read: { ...read } });
    if (read.users && !times.users) return undefined;
    return `official:${times.users?.toISOString()}:${times.groups?.toISOString()}`;
  }
}

const OFFICIAL: SyncCheckpoint = {
  lastSyncHash: 'hash-of-a-partial-request',
  lastSyncHashBy: 'official',
  lastUserSync: '2026-11-20T08:15:00.000Z',
  lastGroupSync: '2026-11-20T08:20:00.000Z',
};
const before = (iso: string) => new Date(Date.parse(iso) - OFFICIAL_CLOCK_MARGIN_MS);
const EXPECTED = `official:${before(OFFICIAL.lastUserSync!).toISOString()}:${before(OFFICIAL.lastGroupSync!).toISOString()}`;

function provider() {
  return new OfficialAwareProvider(
    snapshot([user('alice'), user('erin')], [], { cursor: 'full-cursor' }),
    snapshot([], [], { complete: false, cursor: 'next-cursor' }),
  );
}

function engineFor(
  p: OfficialAwareProvider,
  checkpoint: SyncCheckpoint,
  cfg: Parameters<typeof config>[0] = {},
) {
  const api = new FakeApi();
  const checkpoints = new MemoryCheckpoints(checkpoint);
  const logger = recordingLogger();
  const engine = new SyncEngine({
    provider: p,
    api,
    checkpoints,
    config: config({ removeMissingUsers: false, ...cfg }),
    context: CONTEXT,
    logger,
    now: () => new Date('2026-11-30T00:00:00.000Z'),
  });
  return { engine, api, checkpoints, logger };
}

describe('officialStartCursor', () => {
  const read = { users: true, groups: true };

  it('asks the provider with the official times moved back by the clock margin', () => {
    const p = provider();
    expect(officialStartCursor(p, OFFICIAL, read)).toBe(EXPECTED);
    expect(p.asked).toEqual([
      {
        times: { users: before(OFFICIAL.lastUserSync!), groups: before(OFFICIAL.lastGroupSync!) },
        read,
      },
    ]);
  });

  it('offers none once bwdc has a cursor of its own', () => {
    const p = provider();
    expect(officialStartCursor(p, { ...OFFICIAL, cursor: 'ours' }, read)).toBeUndefined();
    expect(p.asked).toEqual([]);
  });

  it('offers none without official times, or times that are not times', () => {
    const p = provider();
    expect(officialStartCursor(p, { lastSyncHash: 'h' }, read)).toBeUndefined();
    expect(
      officialStartCursor(p, { lastUserSync: 'yesterday', lastGroupSync: '' }, read),
    ).toBeUndefined();
    expect(p.asked).toEqual([]);
  });

  it('passes only the times there are, and the provider decides', () => {
    const p = provider();
    const groupsOnly = { lastGroupSync: OFFICIAL.lastGroupSync };
    expect(officialStartCursor(p, groupsOnly, read)).toBeUndefined();
    expect(p.asked[0]!.times).toEqual({ groups: before(OFFICIAL.lastGroupSync!) });
  });

  it('offers none for a provider that reads everything each time', () => {
    const plain = new ScriptedProvider(snapshot([], []));
    expect(officialStartCursor(plain, OFFICIAL, read)).toBeUndefined();
  });
});

describe('the first sync from a folder the official connector synced incrementally', () => {
  it('reads changes since its last sync, sends nothing when there are none, and keeps its own cursor', async () => {
    const p = provider();
    const { engine, api, checkpoints, logger } = engineFor(p, OFFICIAL);
    const report = await engine.sync();
    expect(p.requests.map((r) => [r.mode, r.cursor])).toEqual([['incremental', EXPECTED]]);
    expect(api.calls).toBe(0);
    expect(report).toMatchObject({ requestsSent: 0, usersSynced: 0, complete: false });
    expect(checkpoints.current).toMatchObject({ cursor: 'next-cursor' });
    expect(logger.records).toContainEqual({
      level: 'info',
      message: "Reading the directory (changes since the official connector's last sync).",
    });

    // The next sync reads from bwdc's own cursor, no longer from the official times.
    const next = engineFor(p, checkpoints.current!);
    await next.engine.sync();
    expect(p.requests[1]).toMatchObject({ mode: 'incremental', cursor: 'next-cursor' });
  });

  it('reads everything, and says it sends everyone once, when forced, overwriting or removing missing users', async () => {
    for (const [cfg, force] of [
      [{}, true],
      [{ overwriteExisting: true }, false],
      [{ removeMissingUsers: true }, false],
    ] as const) {
      const p = provider();
      const { engine, api, logger } = engineFor(p, OFFICIAL, cfg);
      await engine.sync({ force });
      expect(p.requests.map((r) => r.mode)).toEqual(['full']);
      expect(api.calls).toBe(1);
      expect(logger.records.map((r) => r.message)).toContainEqual(
        expect.stringContaining('sends every member once'),
      );
    }
  });

  it('test reads everything; test --last reads from the official times', async () => {
    const p = provider();
    const { engine } = engineFor(p, OFFICIAL);
    await engine.test();
    await engine.test({ sinceLast: true });
    expect(p.requests.map((r) => [r.mode, r.cursor])).toEqual([
      ['full', undefined],
      ['incremental', EXPECTED],
    ]);
  });
});
