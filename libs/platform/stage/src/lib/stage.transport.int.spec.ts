// The stage mechanism end to end inside one small Nest service, against the development broker over
// TCP and PostgreSQL: @EventPattern handlers through the custom transport, dead letters for a handler's
// permanent error, and a process killed by SIGKILL between its commit and its publish.
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import { startBroker, type RunningBroker } from '@leadstream/broker';
import { deadLetterTopicFor, TOPICS, type EventEnvelope } from '@leadstream/contracts';
import { EventPublisher } from '@leadstream/platform-kafka';
import type { Logger } from '@leadstream/platform-observability';
import { createDatabaseIfMissing } from '@leadstream/platform-persistence';
import { aLead, aLeadReceivedEvent, nextLeadId } from '@leadstream/testing';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { Client } from 'pg';
import { startStageApp, TEST_GROUP, TEST_SCHEMA } from '../test-support/stage-app';

jest.setTimeout(120_000);

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const root = path.resolve(__dirname, '../../../../..');
let broker: RunningBroker;
let brokerDir: string;
let databaseUrl: string;
let app: INestApplication | undefined;

beforeAll(async () => {
  brokerDir = mkdtempSync(path.join(tmpdir(), 'leadstream-stage-broker-'));
  broker = await startBroker({ port: 0, dataDir: brokerDir });
  const url = new URL(process.env['LEADSTREAM_TEST_DATABASE_URL'] ?? '');
  url.pathname = `/stage_${randomBytes(4).toString('hex')}`;
  databaseUrl = url.toString();
  await createDatabaseIfMissing(databaseUrl);
});

afterEach(async () => {
  await app?.close();
  app = undefined;
});

afterAll(async () => {
  await broker?.stop();
  rmSync(brokerDir, { recursive: true, force: true });
});

const brokers = (): string[] => [`127.0.0.1:${broker.port}`];

async function query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows as T[];
  } finally {
    await client.end();
  }
}

let readers = 0;
/** Every message on `topic` once at least `count` arrived (and a moment more, to see extra ones). */
async function readTopic(topic: string, count: number): Promise<KafkaMessage[]> {
  readers += 1;
  const reader = new Kafka({ clientId: 'stage-test-reader', brokers: brokers(), logLevel: logLevel.NOTHING }).consumer({ groupId: `stage-reader-${readers}`, maxWaitTimeInMs: 100 });
  const messages: KafkaMessage[] = [];
  await reader.connect();
  try {
    await reader.subscribe({ topics: [topic], fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void messages.push(message) });
    await eventually(() => messages.length >= count, `${count} message(s) on ${topic}, got ${messages.length}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return messages;
  } finally {
    await reader.disconnect();
  }
}

async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function publish(events: readonly EventEnvelope[]): Promise<void> {
  const publisher = new EventPublisher({ brokers: brokers(), clientId: 'stage-test-edge' }, { logger: quiet });
  await publisher.connect();
  try {
    await publisher.publish(events);
  } finally {
    await publisher.disconnect();
  }
}

const parsed = (message: KafkaMessage): EventEnvelope => JSON.parse(String(message.value)) as EventEnvelope;

it('runs @EventPattern handlers as stages and dead-letters the event a handler refuses, with the reason', async () => {
  app = await startStageApp({ brokers: brokers(), databaseUrl, logger: quiet });
  const good = aLeadReceivedEvent(aLead().withEmail('good@example.com').build()).build();
  const poison = aLeadReceivedEvent(aLead().withEmail('poison@example.com').build()).build();
  await publish([good, poison]);

  const enriched = await readTopic(TOPICS.leadEnriched, 1);
  expect(enriched.map(parsed).map((event) => [event.type, event.metadata.causationId])).toEqual([['lead.enriched', good.metadata.eventId]]);
  const dead = await readTopic(deadLetterTopicFor(TEST_GROUP), 1);
  expect(dead.map((message) => String(message.headers?.['dlq-reason']))).toEqual([expect.stringContaining('refusing poison@example.com')]);
  expect(parsed(dead[0]!).metadata.eventId).toBe(poison.metadata.eventId);
});

it('a process killed between commit and publish republishes the stored events on restart, and decides nothing again', async () => {
  const lead = nextLeadId();
  const event = aLeadReceivedEvent().forLead(lead).build();
  await publish([event]);

  const child = execFile(process.execPath, ['tools/run-ts.mjs', path.join(__dirname, '../test-support/crash-after-commit.ts'), brokers().join(','), databaseUrl], {
    cwd: root,
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, killed) => resolve(killed)));
  expect(signal).toBe('SIGKILL');

  // committed, not published
  const [stored] = await query<{ events: Buffer }>(
    `SELECT o.events FROM ${TEST_SCHEMA}.stage_inbox i JOIN ${TEST_SCHEMA}.stage_outbox o ON o.id = i.outbox_id WHERE i.consumer_group = $1 AND i.event_id = $2`,
    [TEST_GROUP, event.metadata.eventId],
  );
  expect(stored).toBeDefined();
  const [storedEvent] = JSON.parse(inflateSync(stored!.events).toString('utf8')) as EventEnvelope[];
  const before = (await readTopic(TOPICS.leadEnriched, 0)).map(parsed).filter((e) => e.metadata.leadId === lead);
  expect(before).toEqual([]);

  app = await startStageApp({ brokers: brokers(), databaseUrl, logger: quiet });
  await eventually(async () => (await readTopic(TOPICS.leadEnriched, 0)).map(parsed).some((e) => e.metadata.leadId === lead), 'the republished lead.enriched');
  const republished = (await readTopic(TOPICS.leadEnriched, 0)).map(parsed).filter((e) => e.metadata.leadId === lead);
  expect(republished).toEqual([storedEvent]); // same id, payload and occurredAt as committed by the killed process
  expect(await query(`SELECT times FROM ${TEST_SCHEMA}.enrichment_count WHERE lead_id = $1`, [lead])).toEqual([{ times: 1 }]);
});
