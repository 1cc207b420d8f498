// `npm install` on a fresh clone is quiet and leaves package-lock.json as it is (README "Run it"). npm
// runs on the system Node, checks every package's `engines` against that Node, lists dependencies whose
// install scripts `allowScripts` does not cover, and rewrites a lockfile whose root entry disagrees
// with package.json. These assertions hold what keeps each of those quiet.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const root = path.resolve(__dirname, '../..');

interface PackageJson {
  readonly engines?: { readonly node?: string };
  readonly devEngines?: { readonly runtime?: { readonly name?: string; readonly version?: string } };
  readonly allowScripts?: Readonly<Record<string, boolean>>;
  readonly scripts?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

interface LockedPackage extends PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly optional?: boolean;
  readonly hasInstallScript?: boolean;
}

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson;
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
const locked = Object.entries(lock.packages).filter(([location]) => location !== '');

/** The package name of a lockfile location (`node_modules/a/node_modules/@b/c` -> `@b/c`). */
function nameAt(location: string, entry: LockedPackage): string {
  return entry.name ?? location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

describe('install settings', () => {
  const oldestNode = semver.minVersion(pkg.devEngines?.runtime?.version ?? '');

  it('devEngines names the oldest Node that may run npm; the code runs on the pinned node devDependency, within engines', () => {
    expect(pkg.devEngines?.runtime?.name).toBe('node');
    expect(oldestNode).not.toBeNull();
    const pinned = pkg.devDependencies?.['node'];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(semver.satisfies(pinned ?? '', pkg.engines?.node ?? '')).toBe(true);
  });

  it('every installed package accepts that Node in its engines, so npm warns of no engine (EBADENGINE)', () => {
    const refusing = locked
      .filter(([, entry]) => !entry.optional && entry.engines?.node !== undefined)
      .filter(([, entry]) => !semver.satisfies(oldestNode?.version ?? '', entry.engines?.node ?? '*'))
      .map(([location, entry]) => `${location}@${entry.version}: node ${entry.engines?.node}`);
    expect(refusing).toEqual([]);
  });

  it('allowScripts decides on every dependency that has an install script, so none is listed as not covered', () => {
    const undecided = locked
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([location, entry]) => nameAt(location, entry))
      .filter((name) => pkg.allowScripts?.[name] === undefined);
    expect(undecided).toEqual([]);
  });

  it("the lockfile's root entry agrees with package.json, so npm install does not rewrite it", () => {
    const rootEntry = lock.packages[''] ?? {};
    expect(rootEntry.dependencies).toEqual(pkg.dependencies);
    expect(rootEntry.devDependencies).toEqual(pkg.devDependencies);
    expect(rootEntry.engines).toEqual(pkg.engines);
    const ownInstallScript = ['preinstall', 'install', 'postinstall'].some((name) => pkg.scripts?.[name] !== undefined);
    expect(rootEntry.hasInstallScript === true).toBe(ownInstallScript);
  });
});
