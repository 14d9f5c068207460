import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET_ENV_VARIABLES } from '@bwdc/secure-storage';

/**
 * The systemd units in packaging/systemd, checked by systemd itself (`systemd-analyze verify`,
 * from the Debian package systemd): syntax, every key known, the command executable. Running
 * them needs a booted systemd; what they run is tested by the CLI end-to-end tests
 * (apps/cli/src/standalone.integration.spec.ts runs the unit's command with its environment).
 */
const SYSTEMD = join(__dirname, '..', 'systemd');
// Any executable stands in for the /usr/local/bin/bwdc of an installed server.
const BWDC = join(__dirname, '..', '..', 'apps', 'cli', 'bin', 'run.js');

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bwdc-systemd-'));
  for (const unit of ['bwdc-sync.service', 'bwdc-sync.timer']) {
    const text = readFileSync(join(SYSTEMD, unit), 'utf8');
    writeFileSync(join(dir, unit), text.replaceAll('/usr/local/bin/bwdc', BWDC));
  }
  mkdirSync(join(dir, 'bwdc-sync.service.d'));
  cpSync(
    join(SYSTEMD, 'credentials.conf.example'),
    join(dir, 'bwdc-sync.service.d', 'credentials.conf'),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What systemd says about the units (it exits 0 even for unknown keys, so its words count). */
function verify(): { status: number | null; complaints: string[] } {
  const result = spawnSync('systemd-analyze', ['verify', 'bwdc-sync.service', 'bwdc-sync.timer'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, SYSTEMD_LOG_LEVEL: 'notice' },
  });
  if (result.error) throw new Error(`systemd-analyze is not installed: apt-get install systemd`);
  const complaints = `${result.stdout}${result.stderr}`
    .split('\n')
    .filter((line) => line.includes('bwdc'));
  return { status: result.status, complaints };
}

describe('packaging/systemd', () => {
  it('passes systemd-analyze verify, with the credentials drop-in', () => {
    expect(verify()).toEqual({ status: 0, complaints: [] });
  });

  it('would report a mistake in them', () => {
    writeFileSync(
      join(dir, 'bwdc-sync.service.d', 'typo.conf'),
      '[Service]\nProtectSystm=strict\n',
    );
    expect(verify().complaints.join('\n')).toContain("Unknown key 'ProtectSystm'");
  });

  it('runs bwdc as a dynamic user that can write only its state folder, with no new privileges', () => {
    const unit = readFileSync(join(SYSTEMD, 'bwdc-sync.service'), 'utf8');
    for (const line of [
      'DynamicUser=yes',
      'StateDirectory=bwdc',
      'Environment=BITWARDENCLI_CONNECTOR_APPDATA_DIR=%S/bwdc',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'NoNewPrivileges=yes',
      'CapabilityBoundingSet=',
      'EnvironmentFile=/etc/bwdc/bwdc.env',
      'ExecStart=/usr/local/bin/bwdc sync',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
    // The timer starts that service.
    expect(readFileSync(join(SYSTEMD, 'bwdc-sync.timer'), 'utf8')).toMatch(/^OnCalendar=/m);
  });

  it('names only secret variables bwdc reads', () => {
    const known = new Set(Object.values(SECRET_ENV_VARIABLES));
    const named = (file: string) =>
      [
        ...readFileSync(join(SYSTEMD, file), 'utf8').matchAll(
          /\b((?:BW|BWDC)_[A-Z_]+?)(?:_FILE)?=/g,
        ),
      ].map((m) => m[1]!);
    const secrets = [...named('bwdc.env.example'), ...named('credentials.conf.example')];
    expect(secrets.length).toBeGreaterThan(6);
    expect(secrets.filter((name) => !known.has(name))).toEqual([]);
  });
});
