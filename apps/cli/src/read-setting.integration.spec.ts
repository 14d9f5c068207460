import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { BWDC_BIN, assertBuilt, runBwdc, tempDataDir } from './testing/run-bwdc';

// `bwdc config <setting>` is answered without oclif (quick-commands.ts, read-setting.ts): it
// must answer exactly as the `config` command does, whose answer `--json` still gets.

const CLI_DIR = join(__dirname, '..');
let dataDir: string;
let env: Record<string, string>;
const bwdc = (...args: string[]) => runBwdc(args, env);

beforeAll(async () => {
  assertBuilt();
  dataDir = tempDataDir('bwdc-read-setting-');
  env = {
    BITWARDENCLI_CONNECTOR_APPDATA_DIR: dataDir,
    BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true',
  };
  for (const [setting, value] of [
    ['server', 'https://vault.example.com'],
    ['directory', 'ldap'],
    ['ldap.hostname', 'dc1.example.com'],
    ['ldap.password', 'the-ldap-password'],
    ['sync.userFilter', '(memberOf=CN=Bitwarden,OU=Groups,DC=corp,DC=example)'],
    ['entra.tenant', 'contoso.onmicrosoft.com'],
  ]) {
    expect(await bwdc('config', setting!, value!)).toMatchObject({ code: 0 });
  }
}, 60_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build's own script (plain JS)
const build = require('../scripts/bundle-quick.js') as {
  BUNDLE: string;
  bundle(write: boolean): { outputFiles: { text: string }[] };
};

it('runs the bundle of the built modules, not an older one', () => {
  expect(readFileSync(build.BUNDLE, 'utf8')).toBe(build.bundle(false).outputFiles[0]!.text);
});

it.each([
  ['ldap.hostname', 'dc1.example.com'],
  ['LDAP.HostName', 'dc1.example.com'],
  ['ldap.port', '389'],
  ['ldap.domain', null],
  ['ldap.password', '[STORED SECURELY]'],
  ['sync.userFilter', '(memberOf=CN=Bitwarden,OU=Groups,DC=corp,DC=example)'],
  ['azure.tenant', 'contoso.onmicrosoft.com'],
  ['server', 'https://vault.example.com'],
  ['directory', 'ldap'],
])(
  'reads %s as the config command does',
  async (setting, value) => {
    const plain = await bwdc('config', setting);
    expect(plain).toEqual({ code: 0, stdout: value === null ? '' : `${value}\n`, stderr: '' });
    const json = await bwdc('config', setting, '--json');
    expect(JSON.parse(json.stdout)).toEqual({ object: 'string', data: value });
    const wrapped = await bwdc('config', setting, '--response');
    expect(JSON.parse(wrapped.stdout)).toEqual({ success: true, data: JSON.parse(json.stdout) });
    expect(await bwdc('config', setting, '--quiet')).toEqual({ code: 0, stdout: '', stderr: '' });
  },
  30_000,
);

it('refuses an unknown setting as the config command does, with the way forward', async () => {
  const plain = await bwdc('config', 'ldap.hostnme');
  expect(plain).toEqual({
    code: 1,
    stdout: '',
    stderr:
      'Unknown setting.\n' +
      'Did you mean ldap.hostname? bwdc config ldap.hostname <value>\n' +
      '"ldap.hostnme" is not a setting: bwdc config --help lists every setting with what it does.\n',
  });
  const json = JSON.parse((await bwdc('config', 'ldap.hostnme', '--json')).stdout) as {
    error: { message: string; actions: string[] };
  };
  expect(plain.stderr).toBe(`${[json.error.message, ...json.error.actions].join('\n')}\n`);
  expect(await bwdc('config', 'ldap.hostnme', '--response')).toEqual({
    code: 1,
    stdout: '{"success":false,"message":"Unknown setting."}\n',
    stderr: '',
  });
  expect(await bwdc('config', 'ldap.hostnme', '--cleanexit')).toMatchObject({ code: 0 });
}, 30_000);

it('reads settings beside the member lists of a last sync, however data.json is laid out', async () => {
  const folder = tempDataDir('bwdc-read-setting-members-');
  const file = join(folder, 'data.json');
  const { directoryLdap, ...rest } = JSON.parse(
    readFileSync(join(dataDir, 'data.json'), 'utf8'),
  ) as Record<string, unknown>;
  const managedMembers = [
    {
      organizationId: null,
      directoryType: 0,
      members: [{ externalId: 'cn=a ]}", b', email: 'a@example.com' }],
    },
  ];
  const read = (setting: string) =>
    runBwdc(['config', setting], { ...env, BITWARDENCLI_CONNECTOR_APPDATA_DIR: folder });
  // As bwdc writes it: the lists last (a setting's read leaves them unparsed).
  writeFileSync(file, `${JSON.stringify({ directoryLdap, ...rest, managedMembers }, null, 2)}\n`);
  expect(await read('ldap.hostname')).toEqual({ code: 0, stdout: 'dc1.example.com\n', stderr: '' });
  // Edited by hand: a section after the lists, on their line.
  const text = `${JSON.stringify({ ...rest, managedMembers }, null, 2).slice(0, -2)}, "directoryLdap": ${JSON.stringify(directoryLdap)}\n}\n`;
  writeFileSync(file, text);
  expect(await read('ldap.hostname')).toEqual({ code: 0, stdout: 'dc1.example.com\n', stderr: '' });
  expect(readFileSync(file, 'utf8')).toBe(text);
  rmSync(folder, { recursive: true, force: true });
}, 30_000);

it('reports an unreadable data.json by name and leaves it as it was', async () => {
  const broken = tempDataDir('bwdc-read-setting-broken-');
  const file = join(broken, 'data.json');
  writeFileSync(file, '{"version": 8, "organizationId": ');
  const result = await runBwdc(['config', 'ldap.hostname'], {
    ...env,
    BITWARDENCLI_CONNECTOR_APPDATA_DIR: broken,
  });
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(file);
  expect(readFileSync(file, 'utf8')).toBe('{"version": 8, "organizationId": ');
  rmSync(broken, { recursive: true, force: true });
}, 30_000);

it('loads neither oclif nor the connector module by module, only the one bundled file', () => {
  // The npm CLI's bin script with this node, whatever bwdc the other tests run.
  const record = mkdtempSync(join(tmpdir(), 'bwdc-modules-'));
  const hook = join(record, 'hook.js');
  const loaded = join(record, 'loaded.json');
  writeFileSync(
    hook,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(Object.keys(require.cache))));`,
  );
  const run = spawnSync(process.execPath, ['--require', hook, BWDC_BIN, 'config', 'ldap.port'], {
    env: { ...process.env, ...env, NODE_ENV: undefined },
    encoding: 'utf8',
  });
  expect(run.stdout).toBe('389\n');
  const modules = (JSON.parse(readFileSync(loaded, 'utf8')) as string[]).filter((m) => m !== hook);
  rmSync(record, { recursive: true, force: true });
  // The bin script, the global flags, the argument check and the bundle; nothing else from disk.
  expect(modules.map((m) => relative(CLI_DIR, m))).toEqual([
    join('bin', 'run.js'),
    join('dist', 'global-flags.js'),
    join('dist', 'quick-commands.js'),
    join('dist', 'read-setting.bundle.js'),
  ]);
});
