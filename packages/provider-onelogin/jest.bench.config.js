// The benchmark runs through Jest only for its TypeScript transform and module mapping; it is not
// part of the test run: `npx jest -c packages/provider-onelogin/jest.bench.config.js`.
const base = require('./jest.config.js');

module.exports = {
  ...base,
  displayName: 'provider-onelogin bench',
  testMatch: ['<rootDir>/test/**/*.bench.ts'],
  testTimeout: 600_000,
};
