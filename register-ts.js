// Lets a plain `node` child process of a test load this repository's TypeScript sources the way
// Jest does: .ts files are compiled on require by SWC, and every workspace package resolves to
// its source, through the same map as jest.preset.js.
const fs = require('node:fs');
const Module = require('node:module');
const swc = require('@swc/core');
const { moduleNameMapper } = require('./jest.preset.js');

require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

const sources = Object.entries(moduleNameMapper).map(([pattern, file]) => [new RegExp(pattern), file]);
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const hit = sources.find(([pattern]) => pattern.test(request));
  return hit ? hit[1] : resolve.call(this, request, ...rest);
};
