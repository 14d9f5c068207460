const path = require('node:path');
const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'provider-entra',
  rootDir: __dirname,
  // The integration specs start the Entra emulator from source, like sibling packages.
  moduleNameMapper: {
    '^@bwdc/emulator-entra$': path.join(__dirname, '../../tools/emulators/entra/src/index.ts'),
    ...preset.moduleNameMapper,
  },
};
