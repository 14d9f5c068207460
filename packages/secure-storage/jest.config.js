module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'secure-storage',
  rootDir: __dirname,
};
