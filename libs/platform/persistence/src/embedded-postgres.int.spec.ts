import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../../..');
const fixture = path.join(__dirname, 'test-support/run-embedded-postgres.ts');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function runFixture(dataDir: string, port: number, mode: 'write' | 'read') {
  return run(process.execPath, ['tools/run-ts.mjs', fixture, dataDir, String(port), mode], { cwd: root, timeout: 60_000 });
}

// As root the server runs as `postgres`, which must pass through every directory above the binaries:
// a clone in a 0700 folder (root's home, a `mktemp -d`) gets the search bit added along that path. The
// test suites keep their cluster in the system temp dir, so only this path reaches the clone's parents;
// when it could not be found (the package exports no package.json) initdb died with EACCES.
describe('the PostgreSQL binaries embedded-postgres runs', () => {
  it('are found in this clone, so their parent directories can be opened to the postgres user', async () => {
    const { stdout } = await run(process.execPath, ['tools/run-ts.mjs', fixture, 'binaries'], { cwd: root, timeout: 60_000 });
    const { directory } = JSON.parse(stdout.trim()) as { directory: string };
    expect(directory.startsWith(path.join(root, 'node_modules') + path.sep)).toBe(true);
    await expect(access(path.join(directory, 'initdb'))).resolves.toBeUndefined();
    await expect(access(path.join(directory, 'postgres'))).resolves.toBeUndefined();
  });
});

describe('startEmbeddedPostgres (in a child process, as `npm start` runs it)', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'leadstream-embedded-'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('initialises the cluster once, on 127.0.0.1 only, and keeps its data across a restart', async () => {
    const dataDir = path.join(base, 'cluster');
    const port = await freePort();
    const first = JSON.parse((await runFixture(dataDir, port, 'write')).stdout.trim());
    expect(first).toMatchObject({ initialised: true, listen: '127.0.0.1' });
    expect(first.url).toBe(`postgres://leadstream:leadstream@127.0.0.1:${port}/leadstream`);
    // The caller owns its signals: nothing left that would call process.exit() mid-shutdown.
    expect(first.hooks).toEqual({ SIGINT: 0, SIGTERM: 0, SIGHUP: 0, beforeExit: 0 });

    const second = JSON.parse((await runFixture(dataDir, port, 'read')).stdout.trim());
    expect(second).toMatchObject({ initialised: false, rows: [{ note: 'written before the restart' }] });
  }, 120_000);

  it('comes back with its data after kill -9, though the lock file left behind names a live postgres of another cluster', async () => {
    const dataDir = path.join(base, 'killed');
    const port = await freePort();
    const { stdout } = await run(process.execPath, ['tools/run-ts.mjs', fixture, dataDir, String(port), 'kill', String(await freePort())], { cwd: root, timeout: 120_000 });
    const result = JSON.parse(stdout.trim());
    expect(result).toMatchObject({ signal: 'SIGKILL', pidWhileDown: null, otherStillUp: true, rows: [{ note: 'committed before the kill' }] });
    expect(result.restartedPid).toEqual(expect.any(Number));
    expect(result.restartedPid).not.toBe(result.killedPid);
  }, 150_000);

  it('refuses a non-empty directory that holds no cluster, and leaves it untouched', async () => {
    const dataDir = path.join(base, 'not-a-cluster');
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'notes.txt'), 'precious');
    await expect(runFixture(dataDir, await freePort(), 'write')).rejects.toMatchObject({
      stderr: expect.stringContaining('is not empty but holds no PostgreSQL cluster'),
    });
  }, 60_000);

  it('says which port it could not listen on when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      await expect(runFixture(path.join(base, 'busy'), port, 'write')).rejects.toMatchObject({
        stderr: expect.stringContaining(`embedded PostgreSQL did not start on 127.0.0.1:${port}`),
      });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 60_000);
});
