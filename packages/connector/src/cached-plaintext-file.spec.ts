import { mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { PlaintextSecretFile } from '@bwdc/secure-storage';
import { cachedPlaintextFile } from './cached-plaintext-file';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A data.json on disk and an adapter over it that counts its reads, as the state store's does. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'bwdc-plaintext-'));
  dirs.push(dir);
  const path = join(dir, 'data.json');
  let values: Record<string, string> = { a: '1' };
  const save = () => {
    // Replaced, as the state store replaces it.
    writeFileSync(`${path}.tmp`, JSON.stringify(values));
    renameSync(`${path}.tmp`, path);
  };
  save();
  let reads = 0;
  const file: PlaintextSecretFile = {
    read: async () => {
      reads++;
      return { ...values };
    },
    write: async (next) => {
      values = { ...next };
      save();
    },
    update: async (fn) => {
      values = fn({ ...values });
      save();
    },
  };
  return {
    cached: cachedPlaintextFile(file, path),
    reads: () => reads,
    otherProcessWrites: (next: Record<string, string>) => {
      values = next;
      save();
    },
  };
}

describe('cachedPlaintextFile', () => {
  it('reads an unchanged file once', async () => {
    const s = setup();
    expect(await s.cached.read()).toEqual({ a: '1' });
    expect(await s.cached.read()).toEqual({ a: '1' });
    expect(s.reads()).toBe(1);
  });

  it('reads again after its own writes and after a write by another process', async () => {
    const s = setup();
    await s.cached.read();
    await s.cached.write({ a: '2' });
    expect(await s.cached.read()).toEqual({ a: '2' });
    await s.cached.update!((v) => ({ ...v, b: '3' }));
    expect(await s.cached.read()).toEqual({ a: '2', b: '3' });
    s.otherProcessWrites({ a: '4' });
    expect(await s.cached.read()).toEqual({ a: '4' });
    expect(s.reads()).toBe(4);
  });

  it('hands out copies, so a caller changing one does not change the next', async () => {
    const s = setup();
    const first = await s.cached.read();
    first.a = 'changed';
    expect(await s.cached.read()).toEqual({ a: '1' });
  });
});
