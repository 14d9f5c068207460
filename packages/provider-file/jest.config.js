module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'provider-file',
  rootDir: __dirname,
};
