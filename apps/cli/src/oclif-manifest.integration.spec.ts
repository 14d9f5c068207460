import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from '@jest/globals';
import { assertBuilt } from './testing/run-bwdc';

// oclif trusts oclif.manifest.json for every command's flags, arguments and help, and loads a
// command's module only to run it: a manifest behind the commands would parse and document
// yesterday's CLI. The build writes it; this checks the built one is the build's own.

const CLI_DIR = join(__dirname, '..');

interface Manifest {
  readonly version: string;
  readonly commands: Readonly<Record<string, unknown>>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build's own script (plain JS)
const { buildManifest } = require('../scripts/write-manifest.js') as {
  buildManifest(): Promise<Manifest>;
};

beforeAll(() => assertBuilt());

it('lists every command of the source, as oclif reads the built commands now', async () => {
  const written = JSON.parse(
    readFileSync(join(CLI_DIR, 'oclif.manifest.json'), 'utf8'),
  ) as Manifest;
  const sources = readdirSync(join(CLI_DIR, 'src', 'commands'))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .map((file) => file.slice(0, -'.ts'.length));

  expect(Object.keys(written.commands).sort()).toEqual(sources.sort());
  expect(written).toEqual(await buildManifest());
});

it('ships in the npm package', () => {
  const pjson = JSON.parse(readFileSync(join(CLI_DIR, 'package.json'), 'utf8')) as {
    files: string[];
  };
  expect(pjson.files).toContain('oclif.manifest.json');
});
