const path = require('node:path');
const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'provider-onelogin',
  rootDir: __dirname,
  // The integration specs start the onelogin emulator from source, like sibling packages.
  moduleNameMapper: {
    '^@bwdc/emulator-onelogin$': path.join(
      __dirname,
      '../../tools/emulators/onelogin/src/index.ts',
    ),
    ...preset.moduleNameMapper,
  },
};
