// POST /v1/leads against the real development broker (over TCP) and the test PostgreSQL:
// 202 only once Kafka acknowledged the event; 503 with Retry-After while it cannot.
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, silentLogger, type RunningBroker } from '@leadstream/broker';
import { parseEvent, TOPICS } from '@leadstream/contracts';
import { bootstrapService, type ServiceConfig } from '@leadstream/platform-service';
import { IngestionModule } from '../ingestion.module';
import { until } from '@leadstream/testing';

const databaseUrl = process.env['LEADSTREAM_TEST_DATABASE_URL'];
if (!databaseUrl) throw new Error('LEADSTREAM_TEST_DATABASE_URL is not set: run through the integration Jest project');

let dataDir: string;
let broker: RunningBroker | undefined;
let brokerPort: number;
let app: INestApplication;
let baseUrl: string;
// Stored (hashed) as an admin key at start-up; every request sends it.
const ADMIN_KEY = 'create-lead-int-spec-admin-key-8c2e4f6a1b3d';

async function post(body: unknown): Promise<Response> {
  return fetch(`${baseUrl}/v1/leads`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` }, body: JSON.stringify(body) });
}


beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ingestion-int-'));
  broker = await startBroker({ port: 0, dataDir, logger: silentLogger });
  brokerPort = broker.port;
  const config: ServiceConfig = {
    name: 'ingestion',
    port: 0,
    databaseUrl: databaseUrl!,
    databaseSchema: 'ingestion',
    kafkaBrokers: [`127.0.0.1:${brokerPort}`],
    logLevel: 'error',
  };
  process.env['LEADSTREAM_BOOTSTRAP_ADMIN_KEY'] = ADMIN_KEY;
  app = await bootstrapService({ name: 'ingestion', module: IngestionModule.forRoot(config), port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  baseUrl = `http://127.0.0.1:${address.port}`;
  await until(async () => ((await fetch(`${baseUrl}/health/ready`)).status === 200 ? true : undefined), 'ingestion to be ready');
}, 60_000);

afterAll(async () => {
  await app?.close();
  await broker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('POST /v1/leads', () => {
  it('answers 202 with the lead id once lead.received is on Kafka, keyed by that id', async () => {
    const response = await post({ email: 'margaret@apollo-guidance.example', firstName: 'Margaret', source: 'referral' });
    expect(response.status).toBe(202);
    const { leadId } = (await response.json()) as { leadId: string };

    const kafka = new Kafka({ clientId: 'ingestion-int', brokers: [`127.0.0.1:${brokerPort}`], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `ingestion-int-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.leadReceived, fromBeginning: true });
    const seen: { key: string; value: unknown; traceparent?: string }[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({ key: message.key?.toString() ?? '', value: JSON.parse(message.value?.toString() ?? 'null'), traceparent: message.headers?.['traceparent']?.toString() });
      },
    });
    try {
      const record = await until(async () => seen.find((entry) => entry.key === leadId), 'the lead.received record');
      const event = parseEvent(record.value);
      expect(event).toMatchObject({ type: 'lead.received', metadata: { leadId, causationId: null }, data: { channel: 'api', lead: { email: 'margaret@apollo-guidance.example', source: 'referral' } } });
    } finally {
      await consumer.disconnect();
    }
  }, 60_000);

  it('answers 503 with Retry-After, and reports not ready, while Kafka cannot acknowledge; recovers when it can', async () => {
    await broker!.stop();
    broker = undefined;

    const refused = await post({ email: 'no.broker@example.org' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(JSON.stringify(await refused.json())).toMatch(/Kafka/);

    const ready = await until(async () => {
      const response = await fetch(`${baseUrl}/health/ready`);
      return response.status === 503 ? ((await response.json()) as { checks: Record<string, string> }) : undefined;
    }, 'readiness to report Kafka down');
    expect(ready.checks['kafka']).toMatch(/^down/);
    expect(ready.checks['database']).toBe('up');

    broker = await startBroker({ port: brokerPort, dataDir, logger: silentLogger });
    const accepted = await until(async () => {
      const response = await post({ email: 'broker.back@example.org' });
      return response.status === 202 ? response : undefined;
    }, 'ingestion to accept leads again');
    expect(((await accepted.json()) as { leadId: string }).leadId).toMatch(/^[0-9a-f-]{36}$/);
  }, 90_000);
});
