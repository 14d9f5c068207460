import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { StateLockedError } from './errors';
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
