#!/usr/bin/env node
// The official bwdc turns its global flags into BW_* variables before any command runs;
// doing the same here lets every command (and library code) read one source of truth.
require('../dist/global-flags').applyGlobalFlags(process.argv);
require('@oclif/core/execute')
  .execute({ dir: __dirname })
  .catch(require('../dist/global-flags').handleFatal);
