#!/usr/bin/env node
// Builds one benchmark with `tsc -b`, then runs it:
//   node tools/bench/run.js <engine|ldap|csv|startup|entra|changes> [options of that benchmark]
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const [name, ...args] = process.argv.slice(2);
const dir = name && path.join(__dirname, name);
if (!dir || !existsSync(path.join(dir, 'tsconfig.lib.json'))) {
  console.error('usage: node tools/bench/run.js <engine|ldap|csv|startup|entra|changes> [options]');
  process.exit(2);
}
const tsc = require.resolve('typescript/bin/tsc');
const build = spawnSync(process.execPath, [tsc, '-b', path.join(dir, 'tsconfig.lib.json')], {
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(
  process.execPath,
  ['--expose-gc', path.join(dir, 'dist', 'main.js'), ...args],
  { stdio: 'inherit' },
);
process.exit(run.status ?? 1);
