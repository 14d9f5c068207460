const path = require('node:path');
const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'ui',
  rootDir: __dirname,
  moduleNameMapper: {
    // Stylesheets are vite's business; specs see an empty module.
    '\\.css$': path.join(__dirname, 'src/renderer/test/style-stub.ts'),
    ...preset.moduleNameMapper,
  },
};
