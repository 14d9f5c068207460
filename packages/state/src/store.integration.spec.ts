import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { StateLockedError, StateWriteError } from './errors';
import { fillDisk, mountSmallDisk, type SmallDisk } from './testing';
import { StateStore } from './store';

/** Real processes against one data folder, through plain `node` (test/children/*.js). */
const CHILDREN = path.join(__dirname, '..', 'test', 'children');

const running: ChildProcessWithoutNullStreams[] = [];

function startChild(script: string, args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [path.join(CHILDREN, script), ...args], { stdio: 'pipe' });
  running.push(child);
  return child;
}

// A failed assertion must not leave a writer running behind the test.
afterEach(() => {
  for (const child of running.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function waitForLine(child: ChildProcessWithoutNullStreams, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(`${line}\n`)) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) =>
      reject(new Error(`child exited (${code}) before "${line}": ${err}`)),
    );
  });
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });
}

/** A whole document repeats its counter in every payload slot; a torn one cannot parse or agrees with nothing. */
function readWholeDocument(file: string): number {
  const document = JSON.parse(readFileSync(file, 'utf8')) as { counter: number; payload: number[] };
  expect(document.payload).toHaveLength(20000);
  expect(document.payload.every((n) => n === document.counter)).toBe(true);
  return document.counter;
}

describe('StateStore across processes', () => {
  it('leaves data.json as either the old or the new document when a writer is killed mid-write', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bwdc-kill-'));
    // The shortest stale time proper-lockfile allows, so each round's dead writer's lock clears quickly.
    const staleLockMs = 2000;
    const store = StateStore.open(dir, { staleLockMs });
    await store.update((s) => ({
      ...s,
      preserved: { counter: 0, payload: Array.from({ length: 20000 }, () => 0) },
    }));

    let reads = 0;
    const seen = new Set<number>();
    for (let round = 0; round < 3; round++) {
      const writer = startChild('writer.js', [dir, String(staleLockMs)]);
      await waitForLine(writer, 'started');
      // Read while it writes, until it has replaced the file many times, then kill it wherever it is.
      const start = readWholeDocument(store.filePath);
      let last = start;
      while (last < start + 30) {
        if (writer.exitCode !== null)
          throw new Error(`the writer stopped by itself (exit ${writer.exitCode})`);
        last = readWholeDocument(store.filePath);
        seen.add(last);
        reads++;
        await new Promise((resolve) => setImmediate(resolve));
      }
      writer.kill('SIGKILL');
      await exited(writer);
      readWholeDocument(store.filePath);
      // The state store still reads it, and the next writer takes over the dead one's lock.
      await expect(store.read()).resolves.toMatchObject({ stateVersion: 9 });
    }
    expect(reads).toBeGreaterThan(30);
    expect(seen.size).toBeGreaterThan(10);
    const final = await store.update((s) => ({ ...s, organizationId: 'after-kills' }));
    expect(final.organizationId).toBe('after-kills');
    readWholeDocument(store.filePath);
    // Temp files of killed writes are cleared by the next writer.
    expect(readdirSync(dir).filter((name) => /^data\.json\.\d+$/.test(name))).toEqual([]);
  }, 120_000);

  it('loses no update when two processes change one folder at the same time', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bwdc-race-'));
    const times = 40;
    const children = ['a', 'b'].map((name) =>
      startChild('incrementer.js', [dir, name, String(times)]),
    );
    const stderr = children.map((child) => {
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      return () => err;
    });
    await Promise.all(children.map((child) => waitForLine(child, 'ready')));
    for (const child of children) child.stdin.write('go\n');
    const codes = await Promise.all(children.map(exited));
    expect({ codes, stderr: stderr.map((e) => e()) }).toEqual({ codes: [0, 0], stderr: ['', ''] });

    const state = await StateStore.open(dir).read();
    expect(state.preserved.count).toBe(2 * times);
    const log = state.preserved.log as string[];
    expect(new Set(log).size).toBe(2 * times);
    // Both really ran at the same time: their entries interleave.
    const switches = log.filter((entry, i) => i > 0 && entry[0] !== log[i - 1]![0]).length;
    expect(switches).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('keeps a second sync out while another process holds the folder, and lets a waiting one in afterwards', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bwdc-run-'));
    const holder = startChild('holder.js', [dir]);
    await waitForLine(holder, 'locked');
    const store = StateStore.open(dir);

    const error = await store.withLock(async () => 'never').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateLockedError);
    expect((error as Error).message).toContain(`process ${holder.pid} on`);
    expect((error as Error).message).toContain(path.join(dir, 'sync.lock'));
    // Writes of settings still go through while the sync runs.
    await store.update((s) => ({ ...s, organizationId: 'during-sync' }));

    const waiting = store.withLock(async () => 'ran after the holder', { wait: true });
    holder.stdin.end();
    await expect(waiting).resolves.toBe('ran after the holder');
    expect(await exited(holder)).toBe(0);
  }, 60_000);
});

describe('StateStore on a full disk (a real 64 KB tmpfs)', () => {
  let disk: SmallDisk;
  beforeEach(async () => {
    disk = await mountSmallDisk(64);
  });
  afterEach(async () => {
    await disk.unmount();
  });

  it('fails a write that does not fit, naming the data folder, and leaves data.json byte for byte', async () => {
    const store = StateStore.open(disk.dir);
    await store.update((s) => ({ ...s, organizationId: 'org-before', preserved: { note: 'x' } }));
    const before = readFileSync(store.filePath);
    // A change bigger than the disk: the temp file's writes come up short, then fail.
    const error = await store
      .update((s) => ({ ...s, preserved: { note: 'y'.repeat(100_000) } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateWriteError);
    expect(error).toMatchObject({ code: 'STATE_WRITE_FAILED', dataDir: disk.dir });
    expect((error as Error).message).toContain(`in the data folder ${disk.dir}`);
    expect((error as Error).message).toContain('the disk is full');
    expect(readFileSync(store.filePath).equals(before)).toBe(true);
    expect(readdirSync(disk.dir).filter((n) => /^data\.json\.\d+$/.test(n))).toEqual([]);
    await expect(store.read()).resolves.toMatchObject({ organizationId: 'org-before' });
  });

  it('fails a small change once the disk is full, and the store works again when space is freed', async () => {
    const store = StateStore.open(disk.dir);
    await store.update((s) => ({ ...s, organizationId: 'org-before' }));
    const before = readFileSync(store.filePath);
    await fillDisk(disk.dir);
    await expect(
      store.update((s) => ({ ...s, organizationId: 'org-after' })),
    ).rejects.toBeInstanceOf(StateWriteError);
    expect(readFileSync(store.filePath).equals(before)).toBe(true);
    rmSync(path.join(disk.dir, 'filler'));
    await store.update((s) => ({ ...s, organizationId: 'org-after' }));
    expect((await store.read()).organizationId).toBe('org-after');
  });
});

describe('locks left by a dead process', () => {
  it('takes a sync lock over at once when its holder was killed on this host', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bwdc-dead-'));
    const holder = startChild('holder.js', [dir]);
    await waitForLine(holder, 'locked');
    holder.kill('SIGKILL');
    await exited(holder);
    const store = StateStore.open(dir);
    const started = Date.now();
    // Tried once, as a sync does: no waiting for the 10 s stale time.
    await expect(store.withLock(async () => 'ran')).resolves.toBe('ran');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(readdirSync(dir).filter((n) => n.includes('owner'))).toEqual([]);
  });

  it('takes a lock over at once when its holder is gone and its process id is a newer process', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bwdc-reused-'));
    // A fresh lock (not stale) whose record names a process id that a process started since uses.
    const newer = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      mkdirSync(path.join(dir, 'sync.lock'));
      writeFileSync(
        path.join(dir, 'sync.lock.owner.json'),
        JSON.stringify({
          pid: newer.pid,
          host: hostname(),
          since: new Date(Date.now() - 3_600_000).toISOString(),
        }),
      );
      await expect(StateStore.open(dir).withLock(async () => 'ran')).resolves.toBe('ran');
      // The same record with the lock taken after that process started: a live holder, refused.
      mkdirSync(path.join(dir, 'sync.lock'));
      writeFileSync(
        path.join(dir, 'sync.lock.owner.json'),
        JSON.stringify({ pid: newer.pid, host: hostname(), since: new Date().toISOString() }),
      );
      await expect(StateStore.open(dir).withLock(async () => 'never')).rejects.toBeInstanceOf(
        StateLockedError,
      );
    } finally {
      newer.kill();
    }
  });

  it('says when a lock without a live record expires', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bwdc-stale-'));
    // A lock of a holder that left no record (the official connector, or a full disk), 8 s old.
    mkdirSync(path.join(dir, 'sync.lock'));
    const old = new Date(Date.now() - 8000);
    utimesSync(path.join(dir, 'sync.lock'), old, old);
    const error = await StateStore.open(dir)
      .withLock(async () => 'never')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateLockedError);
    expect((error as Error).message).toMatch(
      /has not been refreshed for \d+ s, so its holder looks stopped: it counts as stale and is taken over at \d{4}-\d\d-\d\dT[\d:.]+Z \(in [0-3] s\)/,
    );
  });
});
