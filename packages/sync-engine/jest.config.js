module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'sync-engine',
  rootDir: __dirname,
};
