module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'provider-onelogin',
  rootDir: __dirname,
};
