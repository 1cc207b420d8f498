// For the specs of our kafkajs patch (patches/kafkajs+<version>.patch, docs/adr/0012-kafkajs-patches.md):
// kafkajs as published, rebuilt by copying the installed package and reversing the patch on the copy.
// The specs compare the installed package with it, so they say what the patch changes and fail when it
// is not applied (reversing a patch that is not there fails). Not used at run time.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPOSITORY_ROOT = path.resolve(__dirname, '../../../../..');

/** Where the installed (patched) kafkajs is. */
export const installedKafkajs = path.dirname(require.resolve('kafkajs/package.json'));

/** The patch applied at install (`postinstall: patch-package`). */
export function kafkajsPatchFile(): string {
  const { version } = JSON.parse(readFileSync(path.join(installedKafkajs, 'package.json'), 'utf8')) as { version: string };
  const file = path.join(REPOSITORY_ROOT, 'patches', `kafkajs+${version}.patch`);
  if (!existsSync(file)) throw new Error(`${file} does not exist: the installed kafkajs ${version} has no patch of ours`);
  return file;
}

let upstreamRoot: string | undefined;

/** A copy of the installed kafkajs with our patch reversed: the package as published. Made once per process. */
export function upstreamKafkajs(): string {
  if (upstreamRoot) return upstreamRoot;
  const patch = kafkajsPatchFile();
  const dir = mkdtempSync(path.join(tmpdir(), 'kafkajs-upstream-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  cpSync(installedKafkajs, path.join(dir, 'node_modules', 'kafkajs'), { recursive: true });
  // The patch names node_modules/kafkajs/...; git apply works outside a repository, like patch(1).
  execFileSync('git', ['apply', '--reverse', patch], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  upstreamRoot = path.join(dir, 'node_modules', 'kafkajs');
  return upstreamRoot;
}

/** A module of kafkajs (`src/...`, no extension), installed (patched) or as published. */
export function kafkajsModule<T>(module: string, from: 'installed' | 'upstream'): T {
  return require(path.join(from === 'installed' ? installedKafkajs : upstreamKafkajs(), module)) as T;
}
