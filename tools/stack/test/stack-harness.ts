import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { until } from '@leadstream/testing';

const SERVICES = ['ingestion', 'enrichment', 'dedupe', 'scoring', 'routing', 'nurture', 'analytics'] as const;
export type Service = (typeof SERVICES)[number];

export interface RunningStack {
  readonly urls: Record<Service, string>;
  readonly databaseUrl: string;
  readonly kafkaBrokers: string[];
  readonly dataDir: string;
  /** The admin API key the launcher wrote to `<dataDir>/api-key` (made on the first start). */
  readonly apiKey: string;
  /** `{ authorization: 'Bearer <apiKey>' }`, for requests made with fetch. */
  readonly authHeaders: Record<string, string>;
  readonly output: () => string;
  /** The last lines of every process's log (warnings and errors: the stack runs at LOG_LEVEL=warn), for a failure message. */
  logTails(lines?: number): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Boots the embedded stack exactly as `npm start` does (compiled launcher from dist/, so run
 * `npm run build` first, as `npm run test:e2e` does), on free ports and a throw-away data dir.
 */
export async function startStack(
  options: { dataDir?: string; keepData?: boolean; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<RunningStack> {
  const timeoutMs = options.timeoutMs ?? 240_000;
  const root = path.resolve(__dirname, '../../..');
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'leadstream-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, LEADSTREAM_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env['DATABASE_URL'];
  delete env['KAFKA_BROKERS'];
  // The 50,000-company enrichment sample is loaded by `npm start`, tested in tools/stack/src/enrichment-sample.int.spec.ts; not on every e2e start.
  env['ENRICHMENT_REFERENCE_CSV'] = 'none';
  Object.assign(env, options.env);
  env['POSTGRES_PORT'] = String(await freePort());
  env['BROKER_PORT'] = String(await freePort());
  const urls = {} as Record<Service, string>;
  for (const service of SERVICES) {
    const port = await freePort();
    env[`${service.toUpperCase()}_PORT`] = String(port);
    urls[service] = `http://127.0.0.1:${port}`;
  }
  const launcher: ChildProcess = spawn(
    process.execPath,
    ['-r', path.join(root, 'tools/register-dist.cjs'), path.join(root, 'dist/tools/stack/src/start.js')],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  launcher.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  launcher.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + timeoutMs;
  // The banner's last line: the key line before it waits for ingestion's answer, so 'Leadstream is ready.'
  // alone can come before the rest of the banner on a busy machine.
  while (!output.includes('Press Ctrl-C to stop.')) {
    const finished = await Promise.race([exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 250))]);
    if (finished) throw new Error(`npm start's launcher exited before the stack was ready:\n${output}`);
    if (Date.now() > deadline) {
      launcher.kill('SIGKILL');
      throw new Error(`the stack was not ready within ${timeoutMs / 1000} s:\n${output}`);
    }
  }
  const databaseUrl = /database\s+(postgres\S+)/.exec(output)?.[1] ?? '';
  const apiKey = readFileSync(path.join(dataDir, 'api-key'), 'utf8').trim();
  currentApiKey = apiKey;
  return {
    apiKey,
    authHeaders: { authorization: `Bearer ${apiKey}` },
    urls,
    databaseUrl,
    kafkaBrokers: env['KAFKA_BROKERS'] ? env['KAFKA_BROKERS'].split(',') : [`127.0.0.1:${env['BROKER_PORT']}`],
    dataDir,
    output: () => output,
    logTails: (lines = 15) => {
      const logDir = path.join(dataDir, 'logs');
      const files = existsSync(logDir) ? readdirSync(logDir).filter((file) => file.endsWith('.log')) : [];
      return files
        .map((file) => {
          const tail = readFileSync(path.join(logDir, file), 'utf8').trimEnd().split('\n').slice(-lines);
          return `--- ${file} (last ${tail.length} lines)\n${tail.join('\n')}`;
        })
        .join('\n');
    },
    stop: async () => {
      launcher.kill('SIGTERM');
      const timer = setTimeout(() => launcher.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` every 200 ms until it answers something (see `until` in @leadstream/testing). */
export function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  return until(probe, what, timeoutMs, 200);
}

/** One entry of analytics' `GET /v1/leads/:id/history`. */
export interface HistoryEvent {
  eventId: string;
  type: string;
  occurredAt: string;
  traceId: string | null;
  causationId: string | null;
  lane: 'live' | 'bulk';
  data: Record<string, unknown>;
}

/** The lead's history as analytics serves it; empty while analytics has recorded nothing for it. */
export async function historyOf(stack: Pick<RunningStack, 'urls'>, leadId: string): Promise<HistoryEvent[]> {
  const response = await getWithKey(`${stack.urls.analytics}/v1/leads/${leadId}/history`);
  if (response.status === 404) return [];
  if (response.status !== 200) throw new Error(`history answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { events: HistoryEvent[] }).events;
}

/** Waits until the lead's history holds every one of `types`; returns that history. */
export function waitForTypes(stack: Pick<RunningStack, 'urls' | 'logTails'>, leadId: string, types: readonly string[], timeoutMs = 60_000): Promise<HistoryEvent[]> {
  return withLogs(
    stack,
    eventually(
      async () => {
        const events = await historyOf(stack, leadId);
        const seen = new Set(events.map((event) => event.type));
        return types.every((type) => seen.has(type)) ? events : undefined;
      },
      timeoutMs,
      `lead ${leadId} to have ${types.join(', ')} in its history`,
    ),
  );
}

/** `waiting`, whose failure also shows the end of every log of the stack (read before the stack is stopped and its logs deleted). */
export async function withLogs<T>(stack: Pick<RunningStack, 'logTails'>, waiting: Promise<T>): Promise<T> {
  try {
    return await waiting;
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${stack.logTails()}`);
  }
}

/** The admin key of the stack started last: postJson sends it unless told otherwise. */
let currentApiKey: string | undefined;

/** GETs with `Authorization: Bearer <key>` (the last started stack's admin key by default; null sends none): every service's routes but /health/* and /docs need one. */
export function getWithKey(url: string, apiKey: string | null = currentApiKey ?? null): Promise<Response> {
  return fetch(url, { headers: apiKey === null ? {} : { authorization: `Bearer ${apiKey}` } });
}

/** POSTs JSON with `Authorization: Bearer <key>` (the last started stack's admin key by default; null sends none). */
export async function postJson(url: string, body: unknown, apiKey: string | null = currentApiKey ?? null): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey !== null) headers['authorization'] = `Bearer ${apiKey}`;
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON; keep the text
  }
  return { status: response.status, body: parsed };
}
