module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'provider-ldap',
  rootDir: __dirname,
};
