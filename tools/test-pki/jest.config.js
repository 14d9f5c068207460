module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'test-pki',
  rootDir: __dirname,
};
