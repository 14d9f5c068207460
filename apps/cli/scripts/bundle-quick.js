#!/usr/bin/env node
// Part of the CLI's build (after tsc): bundles what answers `bwdc config <setting>` without
// oclif (src/read-setting.ts, see src/quick-commands.ts) into dist/read-setting.bundle.js, which
// bin/run.js loads. Node resolves, reads and compiles each module file on its own, and a
// setting's read reaches ~240 of them: as one file it starts in ~140 ms instead of ~190.
// What the connector loads only on demand (a directory provider, the Bitwarden client, the UI)
// stays outside and resolves from node_modules as usual; so do native modules.
const { buildSync } = require('esbuild');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const BUNDLE = join(ROOT, 'dist', 'read-setting.bundle.js');

/** The bundle as the build writes it; `write: false` hands it back instead. */
function bundle(write = true) {
  return buildSync({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'dist', 'read-setting.js')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@bwdc/provider-*', '@bwdc/bitwarden-api', '@bwdc/ui', '@github/keytar', 'keytar'],
    logLevel: 'warning',
    write,
  });
}

if (require.main === module) bundle();

module.exports = { BUNDLE, bundle };
