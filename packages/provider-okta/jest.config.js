const path = require('node:path');
const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'provider-okta',
  rootDir: __dirname,
  // The integration specs start the okta emulator from source, like sibling packages.
  moduleNameMapper: {
    '^@bwdc/emulator-okta$': path.join(__dirname, '../../tools/emulators/okta/src/index.ts'),
    ...preset.moduleNameMapper,
  },
};
