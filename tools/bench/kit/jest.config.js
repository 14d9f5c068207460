module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'bench-kit',
  rootDir: __dirname,
};
