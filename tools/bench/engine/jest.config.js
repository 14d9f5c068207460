module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'bench-engine',
  rootDir: __dirname,
};
