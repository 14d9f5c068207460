#!/usr/bin/env node
// Builds the benchmark with `tsc -b`, then runs it (needs slapd and ldap-utils from Debian):
//   node tools/bench/ldap/run.js [--users 100000] [--groups 10000] [--page 1000]
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', path.join(__dirname, 'tsconfig.lib.json')], {
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'dist', 'main.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
