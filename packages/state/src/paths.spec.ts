import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bwdcExecutable, resolveDataDir } from './paths';

const NAME = 'Bitwarden Directory Connector';
const noPortable = '/nonexistent-bin/bwdc';

describe('resolveDataDir', () => {
  it('prefers BITWARDENCLI_CONNECTOR_APPDATA_DIR, then BITWARDEN_CONNECTOR_APPDATA_DIR', () => {
    const env = {
      BITWARDENCLI_CONNECTOR_APPDATA_DIR: '/a',
      BITWARDEN_CONNECTOR_APPDATA_DIR: '/b',
      XDG_CONFIG_HOME: '/x',
    };
    expect(resolveDataDir(env, noPortable, 'linux', '/home/u')).toBe('/a');
    expect(
      resolveDataDir({ BITWARDEN_CONNECTOR_APPDATA_DIR: '/b' }, noPortable, 'linux', '/home/u'),
    ).toBe('/b');
  });

  it('resolves a relative override against the working directory', () => {
    expect(
      resolveDataDir({ BITWARDENCLI_CONNECTOR_APPDATA_DIR: 'rel' }, noPortable, 'linux', '/h'),
    ).toBe(path.resolve('rel'));
  });

  it('uses bitwarden-connector-appdata beside the executable when it exists', () => {
    const bin = mkdtempSync(path.join(tmpdir(), 'bwdc-bin-'));
    mkdirSync(path.join(bin, 'bitwarden-connector-appdata'));
    expect(resolveDataDir({}, path.join(bin, 'bwdc'), 'linux', '/home/u')).toBe(
      path.join(bin, 'bitwarden-connector-appdata'),
    );
  });

  it('uses the platform folder otherwise', () => {
    expect(resolveDataDir({}, noPortable, 'darwin', '/Users/u')).toBe(
      `/Users/u/Library/Application Support/${NAME}`,
    );
    expect(
      resolveDataDir(
        { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
        'C:\\bin\\bwdc.exe',
        'win32',
        'C:\\Users\\u',
      ),
    ).toBe(`C:\\Users\\u\\AppData\\Roaming\\${NAME}`);
    expect(resolveDataDir({ XDG_CONFIG_HOME: '/cfg' }, noPortable, 'linux', '/home/u')).toBe(
      `/cfg/${NAME}`,
    );
    expect(resolveDataDir({}, noPortable, 'linux', '/home/u')).toBe(`/home/u/.config/${NAME}`);
  });
});

describe('bwdcExecutable', () => {
  const versions = process.versions;

  it('is the script node runs for the npm-installed CLI, not node itself', () => {
    expect(
      bwdcExecutable(
        { execPath: '/usr/bin/node', argv: ['/usr/bin/node', '/usr/local/bin/bwdc'], versions },
        false,
      ),
    ).toBe('/usr/local/bin/bwdc');
  });

  it('is the executable for the standalone binary and the desktop app', () => {
    const argv = ['/opt/bwdc/bwdc', 'sync'];
    expect(bwdcExecutable({ execPath: '/opt/bwdc/bwdc', argv, versions }, true)).toBe(
      '/opt/bwdc/bwdc',
    );
    expect(
      bwdcExecutable(
        { execPath: '/opt/bwdc-desktop/bwdc', argv, versions: { ...versions, electron: '41.7.1' } },
        false,
      ),
    ).toBe('/opt/bwdc-desktop/bwdc');
  });

  it('falls back to the executable when node runs no script', () => {
    expect(
      bwdcExecutable({ execPath: '/usr/bin/node', argv: ['/usr/bin/node'], versions }, false),
    ).toBe('/usr/bin/node');
  });
});
