import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { replaceFile } from './write-file';

describe('replaceFile', () => {
  it('replaces the file whole, with the mode asked for, and leaves no temp file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bwdc-replace-'));
    const file = path.join(dir, 'data.json');
    writeFileSync(file, 'old');
    const text = `${'é'.repeat(300_000)}\n`;
    await replaceFile(file, text, 0o600);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['data.json']);
  });

  it('leaves the old file and no temp file when the rename fails', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bwdc-replace-'));
    // A folder in the file's place: the temp file is written, the rename over it fails.
    const target = path.join(dir, 'data.json');
    mkdirSync(target);
    writeFileSync(path.join(target, 'inside'), 'kept');
    await expect(replaceFile(target, 'new', 0o600)).rejects.toMatchObject({
      code: expect.stringMatching(/^(EISDIR|ENOTEMPTY|EEXIST)$/),
    });
    expect(readdirSync(dir)).toEqual(['data.json']);
    expect(readFileSync(path.join(target, 'inside'), 'utf8')).toBe('kept');
  });
});
