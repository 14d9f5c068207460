module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'directory-provider',
  rootDir: __dirname,
};
