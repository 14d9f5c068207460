// Shared Jest settings for every project. SWC transpiles TypeScript with decorator metadata so
// tsyringe's constructor injection works in tests exactly as it does in the tsc build.
const fs = require('node:fs');
const path = require('node:path');

/** Every workspace package by name, mapped to its source entry point. */
function workspaceSources() {
  const root = __dirname;
  const { workspaces } = require('./package.json');
  const map = {};
  for (const pattern of workspaces) {
    const dir = path.join(root, pattern.replace(/\/\*$/, ''));
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const pkgFile = path.join(dir, entry.name, 'package.json');
      const src = path.join(dir, entry.name, 'src', 'index.ts');
      if (!entry.isDirectory() || !fs.existsSync(pkgFile) || !fs.existsSync(src)) continue;
      const { name } = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
      const escaped = name.replace(/[/@.-]/g, (c) => `\\${c}`);
      map[`^${escaped}$`] = src;
      // A package's helpers for other packages' tests; never part of what it publishes.
      const testing = path.join(dir, entry.name, 'src', 'testing', 'index.ts');
      if (fs.existsSync(testing)) map[`^${escaped}/testing$`] = testing;
    }
  }
  return map;
}

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true, decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  // Tests import sibling packages from source, so no build is needed before `jest`.
  moduleNameMapper: workspaceSources(),
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.spec.tsx', '<rootDir>/test/**/*.spec.ts'],
  clearMocks: true,
};
