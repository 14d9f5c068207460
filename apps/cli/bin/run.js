#!/usr/bin/env node
// The official bwdc turns its global flags into BW_* variables before any command runs;
// doing the same here lets every command (and library code) read one source of truth.
require('../dist/global-flags').applyGlobalFlags(process.argv);
const setting = require('../dist/quick-commands').settingToRead(process.argv);
if (setting !== undefined) {
  // One file (scripts/bundle-quick.js): a setting's read starts in about 140 ms instead of 250.
  void require('../dist/read-setting.bundle').readSetting(setting);
} else {
  require('@oclif/core/execute')
    .execute({ dir: __dirname })
    .catch(require('../dist/global-flags').handleFatal);
}
