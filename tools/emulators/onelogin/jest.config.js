module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'emulator-onelogin',
  rootDir: __dirname,
};
