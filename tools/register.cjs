'use strict';
// Lets `node -r ./tools/register.cjs file.ts` run the TypeScript sources directly:
// .ts files are transpiled in memory by SWC (with the decorator metadata NestJS needs,
// which Node's own type stripping does not emit), and the @leadstream/* aliases of
// tsconfig.base.json resolve to each library's single public entry (src/index.ts).
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
const { paths } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;
const aliases = new Map(Object.entries(paths).map(([alias, [target]]) => [alias, path.join(root, target)]));

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, parent, isMain, options) {
  const target = aliases.get(request);
  return originalResolve.call(this, target ?? request, parent, isMain, options);
};

const swcOptions = require('./swc-options.cjs');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...swcOptions, filename });
  module._compile(code, filename);
};
// Stack traces point at the TypeScript sources of this project's own code. Not at node_modules: loading
// every dependency's source map (typeorm's embed all their sources) costs each service megabytes of heap
// (docs/benchmarks.md#service-memory).
if (typeof Module.setSourceMapsSupport === 'function') Module.setSourceMapsSupport(true, { nodeModules: false, generatedCode: false });
else process.setSourceMapsEnabled?.(true);
