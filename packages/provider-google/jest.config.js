module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'provider-google',
  rootDir: __dirname,
};
