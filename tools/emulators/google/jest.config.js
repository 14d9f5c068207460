module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'emulator-google',
  rootDir: __dirname,
};
