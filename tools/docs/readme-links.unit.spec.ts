// The docs name only what the repository holds: every relative markdown link and every backticked
// path in the READMEs and docs/*.md must exist, so a README cannot drift from the tree unnoticed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** Folders never searched for docs: installed, built or run-time output. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.data', '.git', '.nx', 'coverage']);

/** Top-level entries of the repository: a backticked token starting with one of these is a repo path. */
const TOP_LEVEL = readdirSync(root).filter((name) => !SKIPPED_DIRS.has(name));

/**
 * Paths under these are made when the project runs, not kept in the repository: they are not checked.
 */
const GENERATED_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['.data/', "npm start's data directory (LEADSTREAM_DATA_DIR), made on the first start"],
  ['dist/', 'the output of npm run build'],
]);

/**
 * Backticked paths in one doc that name no file of this repository, each with its reason. Nothing else
 * is skipped: add an entry here (with the reason) rather than loosening the rules below.
 */
const NOT_REPO_PATHS: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  ['docs/seams.md', new Map([['src/index.ts', "every library's entry point, named in general"]])],
  ['deploy/README.md', new Map([['src/main.ts', "every app's entry point, named in general"]])],
]);

/** Folders, besides the doc's own and the root, where a doc's relative paths are looked up, with the reason. */
const OTHER_BASES: ReadonlyMap<string, { readonly base: string; readonly reason: string }> = new Map([
  ['libs/platform/kafka/README.md', { base: 'node_modules/kafkajs', reason: "its table names kafkajs's own files, which patches/ changes" }],
]);

/** Docs files not checked, each with its reason. Empty: every doc is checked. */
const UNCHECKED_DOCS: ReadonlyMap<string, string> = new Map([]);

function docsFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path.join(dir, entry.name));
      } else if (entry.name === 'README.md') {
        found.push(path.relative(root, path.join(dir, entry.name)));
      }
    }
  };
  walk(root);
  for (const name of readdirSync(path.join(root, 'docs'))) if (name.endsWith('.md')) found.push(path.join('docs', name));
  return found.filter((file) => !UNCHECKED_DOCS.has(file)).sort();
}

/** Markdown without fenced code blocks: their contents are commands and sample output, not references. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** Targets of inline links `[text](target)` that point into the repository (not URLs, not anchors). */
export function relativeLinks(markdown: string): string[] {
  const targets: string[] = [];
  for (const match of prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1] ?? '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    targets.push(decodeURI(target.split('#')[0] ?? ''));
  }
  return targets.filter((target) => target !== '');
}

/**
 * Backticked tokens that name a repository path: a single token with a slash, starting with a
 * top-level entry of the repository (`apps/...`, `docs/adr/...`, `tools/stack/`), or starting with
 * `./` or `../`, or a top-level file (`package.json`). Placeholders (`apps/<service>/src/`), globs,
 * URLs and `host:port` are not paths. Relative paths in a nested README (`src/lib/x.ts`) are checked
 * against that README's folder.
 */
export function backtickedPaths(markdown: string): string[] {
  const paths: string[] = [];
  for (const match of prose(markdown).matchAll(/`([^`\n]+)`/g)) {
    const token = (match[1] ?? '').trim().split('#')[0] ?? '';
    if (/[\s<>*{}$|=?]|\.\.\.|:/.test(token)) continue;
    const first = token.split('/')[0] ?? '';
    const namesTopLevel = TOP_LEVEL.includes(first) && (token.includes('/') || /\.[a-z]+$/i.test(token));
    const nested = token.includes('/') && /\.(ts|js|mjs|cjs|md|json|ya?ml|sql|csv|sh)$/.test(token);
    if (namesTopLevel || token.startsWith('./') || token.startsWith('../') || nested) paths.push(token);
  }
  return paths;
}

function exists(docFile: string, target: string): boolean {
  const bases = [path.dirname(docFile), '.'];
  const other = OTHER_BASES.get(docFile);
  if (other) bases.push(other.base);
  return bases.some((base) => existsSync(path.resolve(root, base, target)));
}

function isChecked(docFile: string, token: string): boolean {
  if ([...GENERATED_PREFIXES.keys()].some((prefix) => token.startsWith(prefix))) return false;
  return !NOT_REPO_PATHS.get(docFile)?.has(token);
}

describe('the docs name only what the repository holds', () => {
  const files = docsFiles();

  it('finds the READMEs and docs (the root README, each service, library and tool)', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/seams.md', 'libs/contracts/README.md', 'tools/broker/README.md']));
  });

  it('has a README for every service, each linked from the root README', () => {
    const services = readdirSync(path.join(root, 'apps'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(services.length).toBeGreaterThan(0);
    const rootLinks = relativeLinks(readFileSync(path.join(root, 'README.md'), 'utf8'));
    for (const service of services) {
      expect(files).toContain(`apps/${service}/README.md`);
      expect(rootLinks).toContain(`apps/${service}/README.md`);
    }
  });

  it.each(files)('%s: every relative link and backticked path exists', (file) => {
    const markdown = readFileSync(path.join(root, file), 'utf8');
    const missing = [
      ...relativeLinks(markdown)
        .filter((target) => !exists(file, target))
        .map((target) => `link (${target})`),
      ...backtickedPaths(markdown)
        .filter((token) => isChecked(file, token) && !exists(file, token))
        .map((token) => `path \`${token}\``),
    ];
    expect(missing).toEqual([]);
  });
});

describe('what counts as a reference', () => {
  it('takes relative links and repo paths, not URLs, anchors, placeholders or code blocks', () => {
    const markdown = [
      'See [the ADR](docs/adr/0004-x.md#why), [site](https://example.org), [here](#run-it).',
      'Files: `apps/ingestion/src/main.ts`, `docs/benchmarks.md#bulk-lane`, `apps/<service>/src/`, `src/lib/x.ts`, `127.0.0.1:5433`, `npm start`, `package.json`.',
      '```sh',
      'cat docs/not-checked.md `tools/in-a-block.ts`',
      '```',
    ].join('\n');
    expect(relativeLinks(markdown)).toEqual(['docs/adr/0004-x.md']);
    expect(backtickedPaths(markdown)).toEqual(['apps/ingestion/src/main.ts', 'docs/benchmarks.md', 'src/lib/x.ts', 'package.json']);
  });
});
