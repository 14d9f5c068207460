module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'bitwarden-api',
  rootDir: __dirname,
};
