module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'provider-okta',
  rootDir: __dirname,
};
