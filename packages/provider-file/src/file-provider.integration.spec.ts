import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig, silentLogger } from '@bwdc/core';
import { describeProviderContract, type ContractFixture } from '@bwdc/directory-provider';
import { FileDirectoryProvider } from './file-provider';

// Through the real file system: files written to a temp folder and read back by path.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bwdc-file-'));
  await writeFile(
    join(dir, 'directory.csv'),
    [
      'type,id,email,name,disabled,deleted,groups',
      'user,,Alice@Example.com,,,,Engineering',
      'user,,bob@example.com,,true,,Ops',
      'user,,carol@example.com,,,true,',
      'group,,,Ops,,,Engineering',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'directory.json'),
    JSON.stringify({ users: [{ email: 'dan@example.com' }] }),
  );
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const fixture: ContractFixture = {
  users: [
    { email: 'alice@example.com' },
    { email: 'bob@example.com', disabled: true },
    { email: 'carol@example.com', deleted: true },
  ],
  groups: [
    { name: 'Engineering', memberEmails: ['alice@example.com'], childGroups: ['Ops'] },
    { name: 'Ops', memberEmails: ['bob@example.com'] },
  ],
};

describeProviderContract({
  name: 'file (CSV on disk)',
  createProvider: (overrides) =>
    new FileDirectoryProvider(
      parseConfig('file', { path: join(dir, 'directory.csv') }),
      parseConfig('sync', overrides ?? {}),
      silentLogger,
    ),
  fixture,
  runner: { describe, it, expect: expect as never },
});

describe('file provider on disk', () => {
  it('picks JSON by extension', async () => {
    const provider = new FileDirectoryProvider(
      parseConfig('file', { path: join(dir, 'directory.json') }),
      parseConfig('sync', {}),
      silentLogger,
    );
    const snapshot = await provider.fetch({ users: true, groups: true, mode: 'full' });
    expect(snapshot.users!.map((u) => u.email)).toEqual(['dan@example.com']);
  });

  it('says the file does not exist, naming it', async () => {
    const path = join(dir, 'missing.csv');
    const provider = new FileDirectoryProvider(
      parseConfig('file', { path }),
      parseConfig('sync', {}),
      silentLogger,
    );
    await expect(provider.verify()).rejects.toThrow(`${path}: the file does not exist`);
  });

  it('says permission was denied', async () => {
    if (process.getuid?.() === 0) {
      // root reads any file; prove the mapping with an injected EACCES instead.
      const denied = Object.assign(new Error('EACCES'), { code: 'EACCES' });
      const provider = new FileDirectoryProvider(
        parseConfig('file', { path: '/x.csv' }),
        parseConfig('sync', {}),
        silentLogger,
        {
          readFile: async () => {
            throw denied;
          },
        },
      );
      await expect(provider.verify()).rejects.toThrow('/x.csv: permission denied');
      return;
    }
    const path = join(dir, 'locked.csv');
    await writeFile(path, 'email\na@x.io');
    await chmod(path, 0o000);
    const provider = new FileDirectoryProvider(
      parseConfig('file', { path }),
      parseConfig('sync', {}),
      silentLogger,
    );
    await expect(provider.verify()).rejects.toThrow(`${path}: permission denied`);
  });
});
