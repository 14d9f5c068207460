module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'emulator-bitwarden',
  rootDir: __dirname,
};
