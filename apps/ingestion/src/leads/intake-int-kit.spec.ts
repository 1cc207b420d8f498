// Named *.spec.ts so that it may import the development broker (test-only); it holds no tests itself.
// Test support for the intake endpoints' integration suites (not used by the service): boots the
// development broker and ingestion in-process, and records every event published on the intake topics.
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { startBroker, silentLogger, type RunningBroker } from '@leadstream/broker';
import { parseEvent, TOPICS, type LeadstreamEvent } from '@leadstream/contracts';
import { bootstrapService, type ServiceConfig } from '@leadstream/platform-service';
import { setupOpenApi } from '../docs/openapi';
import { IngestionModule } from '../ingestion.module';
import { until } from '@leadstream/testing';

export const TEST_ADMIN_KEY = 'intake-int-test-admin-key-0123456789abcdef';


const WATCHED_TOPICS = [TOPICS.leadReceived, TOPICS.leadRejected, TOPICS.activityRecorded] as const;

export interface IntakeTestApp {
  readonly baseUrl: string;
  readonly broker: RunningBroker;
  /** Every event read so far from lead.received.v1, lead.rejected.v1 and activity.recorded.v1. */
  readonly events: LeadstreamEvent[];
  /** Resolves once every record on the watched topics at the time of the call has been read. */
  caughtUp(): Promise<void>;
  request(pathName: string, init?: RequestInit & { auth?: boolean }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startIntakeApp(env: Record<string, string> = {}): Promise<IntakeTestApp> {
  const databaseUrl = process.env['LEADSTREAM_TEST_DATABASE_URL'];
  if (!databaseUrl) throw new Error('LEADSTREAM_TEST_DATABASE_URL is not set: run through the integration Jest project');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'intake-int-'));
  const broker = await startBroker({ port: 0, dataDir, logger: silentLogger });
  // Read by the security module when it stores the bootstrap key, possibly after boot: left set.
  process.env['LEADSTREAM_BOOTSTRAP_ADMIN_KEY'] = TEST_ADMIN_KEY;
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(env)) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
  const config: ServiceConfig = {
    name: 'ingestion',
    port: 0,
    databaseUrl,
    databaseSchema: 'ingestion',
    kafkaBrokers: [`127.0.0.1:${broker.port}`],
    logLevel: 'error',
  };
  let app: INestApplication;
  try {
    app = await bootstrapService({ name: 'ingestion', module: IngestionModule.forRoot(config), port: 0, host: '127.0.0.1', configure: setupOpenApi });
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  await until(async () => ((await fetch(`${baseUrl}/health/ready`)).status === 200 ? true : undefined), 'ingestion to be ready');

  const kafka = new Kafka({ clientId: 'intake-int', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: WATCHED_TOPICS.map((topic) => ({ topic })) }).catch(() => undefined);
  const events: LeadstreamEvent[] = [];
  const readUpTo = new Map<string, number>();
  const consumer: Consumer = kafka.consumer({ groupId: `intake-int-${Date.now()}-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [...WATCHED_TOPICS], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      events.push(parseEvent(JSON.parse(message.value?.toString() ?? 'null')));
      readUpTo.set(`${topic}/${partition}`, Number(message.offset) + 1);
    },
  });

  return {
    baseUrl,
    broker,
    events,
    async caughtUp() {
      const targets: [string, number][] = [];
      for (const topic of WATCHED_TOPICS) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) targets.push([`${topic}/${partition}`, Number(high)]);
      }
      await until(async () => (targets.every(([key, high]) => (readUpTo.get(key) ?? 0) >= high) ? true : undefined), 'the consumer to read every published event');
    },
    request(pathName, init = {}) {
      const { auth = true, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (auth && !headers.has('authorization')) headers.set('authorization', `Bearer ${TEST_ADMIN_KEY}`);
      return fetch(`${baseUrl}${pathName}`, { ...rest, headers, redirect: 'manual' });
    },
    async stop() {
      await consumer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      await app.close();
      await broker.stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
