import { createServer, type Server } from 'node:http';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { BWDC_BIN, BWDC_EXECUTABLE, assertBuilt, runBwdc, tempDataDir } from './testing/run-bwdc';

// What running bwdc as an installed program needs, through the real bwdc (the built CLI, or
// BWDC_EXECUTABLE: the standalone binary): the portable data folder beside the executable, and
// the release feed of `bwdc update`.

const NO_DATA_DIR = {
  BITWARDENCLI_CONNECTOR_APPDATA_DIR: undefined,
  BITWARDEN_CONNECTOR_APPDATA_DIR: undefined,
  BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true',
};

let dir: string;

beforeAll(() => assertBuilt());
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** This bwdc, placed in a folder of its own as an admin unpacks it: a copy of the binary, or a link to bin/run.js. */
function placeBwdc(): string {
  const bin = join(dir, 'bwdc');
  if (BWDC_EXECUTABLE) {
    copyFileSync(BWDC_EXECUTABLE, bin);
    chmodSync(bin, 0o755);
  } else {
    symlinkSync(BWDC_BIN, bin);
  }
  return bin;
}

describe('the portable data folder', () => {
  it('is bitwarden-connector-appdata beside the bwdc executable', async () => {
    dir = tempDataDir('bwdc-portable-');
    const bin = placeBwdc();
    const portable = join(dir, 'bitwarden-connector-appdata');
    mkdirSync(portable);
    const env = { ...NO_DATA_DIR, XDG_CONFIG_HOME: join(dir, 'config') };

    expect(await runBwdc(['data-file'], env, undefined, bin)).toMatchObject({
      code: 0,
      stdout: `${join(portable, 'data.json')}\n`,
    });
    expect(await runBwdc(['config', 'directory', 'ldap'], env, undefined, bin)).toMatchObject({
      code: 0,
    });
    expect(JSON.parse(readFileSync(join(portable, 'data.json'), 'utf8'))).toMatchObject({
      directoryType: 0,
    });
    expect(existsSync(join(dir, 'config'))).toBe(false);
  });

  it('is not used when there is no such folder: the platform folder is', async () => {
    dir = tempDataDir('bwdc-portable-');
    const bin = placeBwdc();
    const env = { ...NO_DATA_DIR, XDG_CONFIG_HOME: join(dir, 'config') };
    expect(await runBwdc(['data-file'], env, undefined, bin)).toMatchObject({
      code: 0,
      stdout: `${join(dir, 'config', 'Bitwarden Directory Connector', 'data.json')}\n`,
    });
  });
});

describe('bwdc update and its release feed', () => {
  let feed: Server;
  let feedUrl: string;
  let body: unknown;

  beforeAll(async () => {
    feed = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
    feedUrl = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/bwdc/latest.json`;
  });
  afterAll(() => new Promise<void>((resolve) => feed.close(() => resolve())));

  const env = () => ({ ...NO_DATA_DIR, BITWARDENCLI_CONNECTOR_APPDATA_DIR: dir });

  it('says plainly that no feed is configured, and exits 1', async () => {
    dir = tempDataDir();
    const result = await runBwdc(['update'], { ...env(), BWDC_UPDATE_FEED: undefined });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'No release feed is configured, so bwdc cannot check for updates.',
    );
  });

  it('reads a {"version", "url"} feed named by BWDC_UPDATE_FEED', async () => {
    dir = tempDataDir();
    body = { version: '99.1.0', url: 'https://intranet.example.com/bwdc/99.1.0/' };
    const result = await runBwdc(['update'], { ...env(), BWDC_UPDATE_FEED: feedUrl });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('A new version is available: v99.1.0');
    expect(
      await runBwdc(['update', '--raw'], { ...env(), BWDC_UPDATE_FEED: feedUrl }),
    ).toMatchObject({ code: 0, stdout: 'https://intranet.example.com/bwdc/99.1.0/\n' });
  });

  it('names the feed when it cannot be read', async () => {
    dir = tempDataDir();
    body = { name: 'not a release' };
    const result = await runBwdc(['update', '--feed', feedUrl], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The release feed ${feedUrl} is neither a GitHub release`);
  });
});
