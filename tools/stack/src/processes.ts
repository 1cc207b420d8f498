import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest folder above this file holding Leadstream's package.json. */
export function repositoryRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'nx.json')) && existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the Leadstream repository root above ${from}`);
    dir = parent;
  }
}

/**
 * How to run one of the project's TypeScript entry points as a child process: the compiled file in
 * dist/ when this launcher itself runs compiled (npm start), else the source through tools/register.cjs.
 */
export function nodeArgsFor(root: string, sourceFile: string): string[] {
  const compiled = __filename.endsWith('.js');
  if (compiled) {
    return ['-r', path.join(root, 'tools/register-dist.cjs'), path.join(root, 'dist', sourceFile.replace(/\.ts$/, '.js'))];
  }
  return ['-r', path.join(root, 'tools/register.cjs'), path.join(root, sourceFile)];
}

export interface SupervisedProcess {
  readonly name: string;
  pid(): number | undefined;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
}

export interface SuperviseOptions {
  readonly name: string;
  readonly args: string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly logFile: string;
  /**
   * Run at this nice value (1-19: lower priority) through the system's `nice`, so that every thread of
   * the process has it from the start; 0 or absent: the launcher's own priority.
   */
  readonly nice?: number;
  /** Restart after an unexpected exit (with a growing delay); default true. */
  readonly restart?: boolean;
  readonly onLine?: (line: string) => void;
  readonly onExit?: (code: number | null, signal: NodeJS.Signals | null, restarting: boolean) => void;
}

/** Starts a Node child process, appends its output to a log file, and restarts it if it dies. */
export function supervise(options: SuperviseOptions): SupervisedProcess {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log: WriteStream = createWriteStream(options.logFile, { flags: 'a' });
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;

  const start = (): void => {
    const [command, args] = options.nice ? ['nice', ['-n', String(options.nice), process.execPath, ...options.args]] : [process.execPath, options.args];
    const spawned = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = spawned;
    spawned.once('error', (error) => log.write(`could not start ${options.name} (${command}): ${error.message}\n`));
    let pending = '';
    const onData = (chunk: Buffer): void => {
      log.write(chunk);
      if (!options.onLine) return;
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    };
    spawned.stdout?.on('data', onData);
    spawned.stderr?.on('data', onData);
    spawned.once('exit', (code, signal) => {
      const restarting = !stopping && options.restart !== false;
      options.onExit?.(code, signal, restarting);
      if (!restarting) return;
      restarts += 1;
      restartTimer = setTimeout(start, restartDelayMs(restarts));
    });
  };
  start();

  return {
    name: options.name,
    pid: () => child?.pid,
    stop: async (signal = 'SIGTERM', timeoutMs = 15_000) => {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const running = child;
      if (running && running.exitCode === null && running.signalCode === null) {
        const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
        running.kill(signal);
        const timer = setTimeout(() => running.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
      }
      await new Promise<void>((resolve) => log.end(resolve));
    },
  };
}

/**
 * How long to wait before restart number `attempt` (1, 2, ...) of a process that died: 1 s, doubling
 * to at most 30 s, so a process that dies at once on every start does not spin the machine.
 */
export function restartDelayMs(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.min(Math.max(attempt, 1) - 1, 5));
}

/** A server that is not a child started by supervise() but can tell when it died and start again. */
export interface RestartableServer {
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  /** Starts it again; rejects with the reason when it does not come up. */
  restart(): Promise<void>;
}

export interface RestartSupervision {
  /** No restart after this (call it before stopping the server, so its exit is not taken for a crash). */
  stop(): void;
}

/**
 * Restarts `server` each time it dies, after restartDelayMs, and again after a failed restart, until
 * stop(). Every step is reported through `say` in one line naming the server. A server that stayed up
 * for `stableMs` counts as healthy again: its next death starts over from the shortest delay.
 */
export function restartWhenDead(name: string, server: RestartableServer, say: (line: string) => void, stableMs = 60_000): RestartSupervision {
  let stopped = false;
  let attempt = 0;
  let upSince = Date.now();
  let timer: NodeJS.Timeout | undefined;

  const scheduleRestart = (): void => {
    attempt += 1;
    const delay = restartDelayMs(attempt);
    say(`restarting ${name} in ${delay / 1000} s (attempt ${attempt})`);
    timer = setTimeout(() => void tryRestart(), delay);
  };
  const tryRestart = async (): Promise<void> => {
    if (stopped) return;
    const began = Date.now();
    try {
      await server.restart();
    } catch (error) {
      if (stopped) return;
      say(`${name} did not restart: ${error instanceof Error ? error.message : String(error)}`);
      scheduleRestart();
      return;
    }
    upSince = Date.now();
    say(`${name} is running again (restarted in ${((upSince - began) / 1000).toFixed(1)} s)`);
  };
  server.onExit((code, signal) => {
    if (stopped) return;
    if (Date.now() - upSince >= stableMs) attempt = 0;
    say(`${name} exited unexpectedly (${signal ?? `code ${code}`}); the services report it down on /health/ready until it is back`);
    scheduleRestart();
  });
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200 or the deadline passes; returns the last failure otherwise. */
export async function waitForHttpOk(url: string, timeoutMs: number, isAbandoned: () => boolean = () => false): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline && !isAbandoned()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      if (response.status === 200) return undefined;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return last;
}
