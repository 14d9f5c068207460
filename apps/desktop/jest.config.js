module.exports = { ...require('../../jest.preset.js'), displayName: 'desktop', rootDir: __dirname };
