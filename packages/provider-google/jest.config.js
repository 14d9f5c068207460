const path = require('node:path');
const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'provider-google',
  rootDir: __dirname,
  // Integration specs drive the real client against the emulator, which lives under tools/.
  moduleNameMapper: {
    '^@bwdc/emulator-google$': path.join(__dirname, '../../tools/emulators/google/src/index.ts'),
    ...preset.moduleNameMapper,
  },
};
