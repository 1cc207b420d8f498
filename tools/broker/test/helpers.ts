// Shared helpers of the broker's integration tests: temp data dirs, kafkajs clients, and the
// broker or a consumer run as a separate process (so that it can be killed with SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel, type Admin, type Consumer, type EachMessagePayload } from 'kafkajs';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `broker-${prefix}-`));
}

export function kafkaFor(port: number, clientId = 'broker-test'): Kafka {
  return new Kafka({
    clientId,
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 1000 },
  });
}

export async function withAdmin<T>(kafka: Kafka, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Received {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Record<string, string>;
  readonly at: number;
}

export function toReceived({ topic, partition, message }: EachMessagePayload): Received {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = Buffer.isBuffer(v) ? v.toString() : String(v);
  return { topic, partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers, at: Date.now() };
}

/** Starts a consumer that records every message it is handed. */
export async function collectingConsumer(
  kafka: Kafka,
  groupId: string,
  topic: string,
  sink: Received[],
  options: { sessionTimeout?: number; fromBeginning?: boolean; maxBytes?: number; maxBytesPerPartition?: number } = {},
): Promise<Consumer> {
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: options.sessionTimeout ?? 6000,
    rebalanceTimeout: 8000,
    heartbeatInterval: 300,
    maxWaitTimeInMs: 200,
    maxBytes: options.maxBytes,
    maxBytesPerPartition: options.maxBytesPerPartition,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    eachMessage: async (payload) => {
      sink.push(toReceived(payload));
    },
  });
  return consumer;
}

export interface ChildBroker {
  readonly port: number;
  readonly child: ChildProcess;
  readonly output: () => string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Runs the broker command (tools/broker/src/cli.ts) as a child process and waits for its listening line. */
export async function spawnBroker(dataDir: string, extraArgs: string[] = []): Promise<ChildBroker> {
  const child = spawn(process.execPath, ['tools/run-ts.mjs', 'tools/broker/src/cli.ts', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker did not start: ${out}`)), 20_000);
    const check = (): void => {
      const m = /listening on [^\s:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`broker exited with ${code}: ${out}`));
    });
  });
  return {
    port,
    child,
    output: () => out,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
