// Runs a TypeScript entry point through tools/register.cjs: `node tools/run-ts.mjs path/to/file.ts [args]`.
import { createRequire } from 'node:module';
import path from 'node:path';
const require = createRequire(import.meta.url);
require('./register.cjs');
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node tools/run-ts.mjs <file.ts> [args...]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...rest];
require(path.resolve(entry));
