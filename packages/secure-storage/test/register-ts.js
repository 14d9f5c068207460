// Lets a plain `node` child process of a test load this repository's TypeScript sources, the way
// Jest does: .ts files are compiled on require by SWC, and @bwdc/* resolves to packages/*/src.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '../../..');

require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const match = /^@bwdc\/([^/]+)$/.exec(request);
  if (match) return path.join(root, 'packages', match[1], 'src', 'index.ts');
  return resolve.call(this, request, ...rest);
};
