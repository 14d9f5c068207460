module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'emulator-okta',
  rootDir: __dirname,
};
