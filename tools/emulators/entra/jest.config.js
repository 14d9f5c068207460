module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'emulator-entra',
  rootDir: __dirname,
};
