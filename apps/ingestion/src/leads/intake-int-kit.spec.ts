// Named *.spec.ts so that it may import the development broker (test-only); it holds no tests itself.
// Test support for ingestion's integration suites (not used by the service): boots the development
// broker and ingestion in-process, as main.ts does (body limit from the environment, OpenAPI description),
// against the test PostgreSQL, and records every event published on the intake topics.
import { type INestApplication, Module, type Type } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import { startBroker, silentLogger, type RunningBroker } from '@leadstream/broker';
import { bulkTopicOf, parseEvent, TOPICS, type LeadstreamEvent } from '@leadstream/contracts';
import { bootstrapService, type ServiceConfig } from '@leadstream/platform-service';
import { until } from '@leadstream/testing';
import { INGESTION_API_DOCS } from '../docs/openapi';
import { IngestionModule } from '../ingestion.module';
import { readBodyLimit } from '../security/body-limit';

/** The bootstrap admin key every app of the kit starts with; request() sends it unless told not to. */
export const TEST_ADMIN_KEY = 'intake-int-test-admin-key-0123456789abcdef';

// both lanes: HTTP intake publishes live, CSV imports publish bulk
const LIVE_TOPICS = [TOPICS.leadReceived, TOPICS.leadRejected, TOPICS.activityRecorded];
const WATCHED_TOPICS = [...LIVE_TOPICS, ...LIVE_TOPICS.map(bulkTopicOf)];

export interface IntakeAppOptions {
  /** Environment variables set while ingestion boots (at every boot of the app), restored afterwards. */
  readonly env?: Readonly<Record<string, string>>;
  /** Controllers mounted beside IngestionModule, such as a probe route for a test. */
  readonly controllers?: readonly Type<unknown>[];
  /** Partitions of the watched topics, created before anything is published. Default: the broker's. */
  readonly partitions?: number;
}

/** One record read from a watched topic. */
export interface IntakeRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The Kafka key (the lead id). */
  readonly key: string;
  readonly event: LeadstreamEvent;
}

export interface IntakeTestApp {
  /** Where the app answers now (a restart of ingestion moves it to another port). */
  readonly baseUrl: string;
  /** The development broker running now (restartBroker() replaces it). */
  readonly broker: RunningBroker;
  /** Every event read so far from lead.received.v1, lead.rejected.v1 and activity.recorded.v1. */
  readonly events: LeadstreamEvent[];
  /** The same, with topic, partition, offset and key. */
  readonly records: IntakeRecord[];
  /** How many times ingestion was booted: the app, its restarts and every startAnotherIngestion(). */
  readonly boots: number;
  /** Resolves once every record on the watched topics at the time of the call has been read. */
  caughtUp(): Promise<void>;
  /** Records on `topic` so far (the sum of its partitions' high watermarks). */
  recordsOn(topic: string): Promise<number>;
  request(pathName: string, init?: RequestInit & { auth?: boolean }): Promise<Response>;
  /** Stops the broker (Kafka unavailable). */
  stopBroker(): Promise<void>;
  /** Starts the broker again on the same port and data. */
  restartBroker(): Promise<void>;
  /** Closes ingestion gracefully (the broker keeps running). */
  stopIngestion(): Promise<void>;
  /** Boots ingestion again with the same options, and waits until it is ready. */
  startIngestion(): Promise<void>;
  /** A provider of the running ingestion (the primary one), to watch or hold what it does. */
  provider<T>(token: Type<T>): T;
  /** Boots another ingestion on the same broker and database with these variables set; answers its base URL. */
  startAnotherIngestion(env?: Readonly<Record<string, string>>): Promise<string>;
  stop(): Promise<void>;
}

export async function startIntakeApp(options: IntakeAppOptions = {}): Promise<IntakeTestApp> {
  const databaseUrl = process.env['LEADSTREAM_TEST_DATABASE_URL'];
  if (!databaseUrl) throw new Error('LEADSTREAM_TEST_DATABASE_URL is not set: run through the integration Jest project');
  // Read by the security module when it stores the bootstrap key, possibly after boot: left set.
  process.env['LEADSTREAM_BOOTSTRAP_ADMIN_KEY'] = TEST_ADMIN_KEY;

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'intake-int-'));
  let broker: RunningBroker | undefined = await startBroker({ port: 0, dataDir, logger: silentLogger });
  const brokerPort = broker.port;
  const brokers = [`127.0.0.1:${brokerPort}`];

  const config: ServiceConfig = { name: 'ingestion', port: 0, databaseUrl, databaseSchema: 'ingestion', kafkaBrokers: brokers, logLevel: 'error' };
  @Module({ imports: [IngestionModule.forRoot(config)], controllers: [...(options.controllers ?? [])] })
  class IntakeTestRoot {}

  const apps: INestApplication[] = [];
  let boots = 0;
  async function bootIngestion(env: Readonly<Record<string, string>>): Promise<{ app: INestApplication; baseUrl: string }> {
    const app = await withEnv(env, () =>
      bootstrapService({ name: 'ingestion', module: IntakeTestRoot, port: 0, host: '127.0.0.1', bodyLimit: readBodyLimit(process.env), apiDocs: INGESTION_API_DOCS }),
    );
    apps.push(app);
    boots += 1;
    const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    await until(async () => ((await fetch(`${baseUrl}/health/ready`)).status === 200 ? true : undefined), 'ingestion to be ready');
    return { app, baseUrl };
  }
  async function closeIngestion(app: INestApplication): Promise<void> {
    apps.splice(apps.indexOf(app), 1);
    await app.close();
  }

  let primary: { app: INestApplication; baseUrl: string } | undefined = await bootIngestion(options.env ?? {});

  const kafka = new Kafka({ clientId: 'intake-int', brokers, logLevel: logLevel.NOTHING });
  const admin: Admin = kafka.admin();
  await admin.connect();
  await admin
    .createTopics({ topics: WATCHED_TOPICS.map((topic) => ({ topic, ...(options.partitions ? { numPartitions: options.partitions } : {}) })) })
    .catch(() => undefined);
  const events: LeadstreamEvent[] = [];
  const records: IntakeRecord[] = [];
  const readUpTo = new Map<string, number>();
  let stopping = false;
  const consumer: Consumer = kafka.consumer({
    groupId: `intake-int-${Date.now()}-${Math.random()}`,
    // A consumer that crashes while stop() disconnects it (its broker stopped by a test) must not be
    // restarted by kafkajs: it would reconnect forever and Jest would never exit.
    retry: { restartOnFailure: async () => !stopping },
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [...WATCHED_TOPICS], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const event = parseEvent(JSON.parse(message.value?.toString() ?? 'null'));
      events.push(event);
      records.push({ topic, partition, offset: message.offset, key: message.key?.toString() ?? '', event });
      readUpTo.set(`${topic}/${partition}`, Number(message.offset) + 1);
    },
  });

  const baseUrl = (): string => {
    if (!primary) throw new Error('ingestion is stopped: startIngestion() first');
    return primary.baseUrl;
  };

  return {
    get baseUrl() {
      return baseUrl();
    },
    get broker() {
      if (!broker) throw new Error('the broker is stopped: restartBroker() first');
      return broker;
    },
    events,
    records,
    get boots() {
      return boots;
    },
    async caughtUp() {
      const targets: [string, number][] = [];
      for (const topic of WATCHED_TOPICS) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) targets.push([`${topic}/${partition}`, Number(high)]);
      }
      await until(async () => (targets.every(([key, high]) => (readUpTo.get(key) ?? 0) >= high) ? true : undefined), 'the consumer to read every published event');
    },
    async recordsOn(topic) {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
    },
    request(pathName, init = {}) {
      const { auth = true, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (auth && !headers.has('authorization')) headers.set('authorization', `Bearer ${TEST_ADMIN_KEY}`);
      return fetch(`${baseUrl()}${pathName}`, { ...rest, headers, redirect: 'manual' });
    },
    async stopBroker() {
      const running = broker;
      broker = undefined;
      await running?.stop();
    },
    async restartBroker() {
      broker ??= await startBroker({ port: brokerPort, dataDir, logger: silentLogger });
    },
    async stopIngestion() {
      const running = primary;
      primary = undefined;
      if (running) await closeIngestion(running.app);
    },
    async startIngestion() {
      primary ??= await bootIngestion(options.env ?? {});
    },
    provider(token) {
      if (!primary) throw new Error('ingestion is stopped: startIngestion() first');
      return primary.app.get(token);
    },
    async startAnotherIngestion(env = {}) {
      return (await bootIngestion(env)).baseUrl;
    },
    async stop() {
      stopping = true;
      await consumer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      for (const app of [...apps].reverse()) await closeIngestion(app);
      primary = undefined;
      await broker?.stop().catch(() => undefined);
      broker = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `boot` with these variables set, and puts the previous values back afterwards. */
async function withEnv<T>(env: Readonly<Record<string, string>>, boot: () => Promise<T>): Promise<T> {
  const saved = new Map(Object.keys(env).map((name) => [name, process.env[name]] as const));
  Object.assign(process.env, env);
  try {
    return await boot();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** POST a JSON body (a string is sent as it is, for malformed JSON). */
export function postJson(app: IntakeTestApp, pathName: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return app.request(pathName, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The problems a 4xx/5xx answer names, as one text: its `message` lines joined. */
export async function problemText(response: Response): Promise<string> {
  const body = (await response.json()) as { message?: unknown };
  return Array.isArray(body.message) ? body.message.join('\n') : String(body.message);
}
