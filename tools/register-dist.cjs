'use strict';
// Resolves the @leadstream/* aliases of tsconfig.base.json to the compiled output in dist/
// (`npm run build`), for running services and tools without a TypeScript transpiler:
//   node -r ./tools/register-dist.cjs dist/apps/<service>/src/main.js
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const root = path.resolve(__dirname, '..');
const { paths } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;
const aliases = new Map(
  Object.entries(paths).map(([alias, [target]]) => [alias, path.join(root, 'dist', target.replace(/\.ts$/, '.js'))]),
);

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, parent, isMain, options) {
  const target = aliases.get(request);
  return originalResolve.call(this, target ?? request, parent, isMain, options);
};
// Stack traces point at the TypeScript sources of this project's own code. Not at node_modules: loading
// every dependency's source map (typeorm's embed all their sources) costs each service megabytes of heap
// (docs/benchmarks.md#service-memory).
if (typeof Module.setSourceMapsSupport === 'function') Module.setSourceMapsSupport(true, { nodeModules: false, generatedCode: false });
else process.setSourceMapsEnabled?.(true);
