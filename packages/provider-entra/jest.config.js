module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'provider-entra',
  rootDir: __dirname,
};
