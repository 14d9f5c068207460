const path = require('node:path');
const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'tools-ldap',
  rootDir: __dirname,
  // The shared mapper resolves @bwdc/* under packages/; this tool lives under tools/.
  moduleNameMapper: {
    '^@bwdc/tools-ldap$': path.join(__dirname, 'src/index.ts'),
    ...preset.moduleNameMapper,
  },
};
