#!/usr/bin/env node
// Builds the benchmark and what it measures with `tsc -b`, then runs it:
//   node tools/bench/engine/run.js [--users 100000 --groups 10000 --depth 5 --memberships 1000000 --baseline-budget 60]
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const build = spawnSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-b', path.join(__dirname, 'tsconfig.lib.json')],
  {
    stdio: 'inherit',
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(
  process.execPath,
  [path.join(__dirname, 'dist', 'main.js'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exit(run.status ?? 1);
