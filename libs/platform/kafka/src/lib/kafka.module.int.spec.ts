// KafkaModule inside a real Nest application context, against the development broker over TCP.
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FactoryProvider, Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { startBroker, type RunningBroker } from '@leadstream/broker';
import { bulkTopicOf, reactTo, TOPICS, type LeadEnriched, type LeadReceived } from '@leadstream/contracts';
import type { Logger } from '@leadstream/platform-observability';
import { aLeadReceivedEvent, resetTestIds } from '@leadstream/testing';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { ConsumedEvent } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { KafkaConsumers, KafkaModule, type ConsumerRegistration, type LaneConsumers } from './kafka.module';

type TestConsumerClass = typeof LeadReceivedTestConsumer | typeof SlowLaneTestConsumer;

/** The injection token of a test consumer's LaneConsumers. */
function lanesOf(consumerClass: TestConsumerClass): string {
  return `lanes:${consumerClass.groupId}`;
}

/** Registers a test consumer class with KafkaConsumers, as a service's stage transport does. */
function registered(consumerClass: TestConsumerClass, options: Partial<ConsumerRegistration>): FactoryProvider<LaneConsumers> {
  return {
    provide: lanesOf(consumerClass),
    inject: [KafkaConsumers, consumerClass],
    useFactory: (registry: KafkaConsumers, instance: LeadReceivedTestConsumer) =>
      registry.register({ ...options, groupId: consumerClass.groupId, topics: consumerClass.topics, handler: (batch) => instance.handle(batch) }),
  };
}

jest.setTimeout(60_000);

const warnings: string[] = [];
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: (msg) => warnings.push(msg), error: () => undefined };

@Injectable()
class LeadReceivedTestConsumer {
  static readonly groupId = 'nest-module-test';
  static readonly topics = [TOPICS.leadReceived];
  readonly seen: ConsumedEvent[] = [];

  async handle(batch: readonly ConsumedEvent[]): Promise<LeadEnriched[]> {
    this.seen.push(...batch);
    return batch.map(({ event }) => {
      const cause = event as LeadReceived;
      return reactTo<LeadEnriched>(cause, 'enrichment', {
        type: 'lead.enriched',
        data: { lead: { ...cause.data.lead, emailDomain: 'example.com', isFreeEmail: false } },
        occurredAt: '2026-01-15T09:00:01.000Z',
      });
    });
  }
}

/** Enriches like LeadReceivedTestConsumer, slowly (40 ms a call), noting each call's topics and leads. */
@Injectable()
class SlowLaneTestConsumer {
  static readonly groupId = 'nest-lanes-test';
  static readonly topics = [TOPICS.leadReceived];
  readonly calls: { topics: string[]; leadIds: string[] }[] = [];

  async handle(batch: readonly ConsumedEvent[]): Promise<LeadEnriched[]> {
    this.calls.push({ topics: [...new Set(batch.map((c) => c.topic))], leadIds: batch.map((c) => c.event.metadata.leadId) });
    await new Promise((resolve) => setTimeout(resolve, 40));
    return new LeadReceivedTestConsumer().handle(batch);
  }
}

function appModuleFor(brokers: string[], consumer: typeof LeadReceivedTestConsumer | typeof SlowLaneTestConsumer = LeadReceivedTestConsumer, options = {}): new () => unknown {
  @Module({
    imports: [KafkaModule.forRoot({ brokers, clientId: 'nest-module-test', logger: quiet })],
    providers: [consumer, registered(consumer, { sessionTimeout: 10_000, ...options })],
  })
  class TestAppModule {}
  return TestAppModule;
}

async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let broker: RunningBroker | undefined;
let dataDir: string;
let app: INestApplicationContext | undefined;
let admin: Admin | undefined;

beforeEach(() => {
  resetTestIds();
  warnings.length = 0;
  dataDir = mkdtempSync(join(tmpdir(), 'leadstream-kafka-nest-'));
});

afterEach(async () => {
  await admin?.disconnect();
  admin = undefined;
  await app?.close();
  app = undefined;
  await broker?.stop();
  broker = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

async function adminFor(port: number): Promise<Admin> {
  admin = new Kafka({ clientId: 'nest-test-admin', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  return admin;
}

describe('KafkaModule', () => {
  it('starts registered consumers after bootstrap and, on close, finishes, commits and leaves the group', async () => {
    broker = await startBroker({ port: 0, dataDir });
    app = await NestFactory.createApplicationContext(appModuleFor([`127.0.0.1:${broker.port}`]), { logger: false });
    app.enableShutdownHooks();
    const kafka = app.get(KafkaConsumers);
    await eventually(() => kafka.isReady(), 20_000, 'publisher connected and consumer joined');
    expect(() => kafka.assertReady()).not.toThrow();
    const lanes = app.get<LaneConsumers>(lanesOf(LeadReceivedTestConsumer));
    expect([lanes.live.groupId, lanes.bulk?.groupId]).toEqual(['nest-module-test', 'nest-module-test.bulk']);

    const event = aLeadReceivedEvent().build();
    await app.get(EventPublisher).publish([event]);
    const consumer = app.get(LeadReceivedTestConsumer);
    await eventually(() => consumer.seen.length === 1, 20_000, 'the consumer to see the event');
    expect(consumer.seen[0]?.event).toEqual(event);

    const client = await adminFor(broker.port);
    await eventually(async () => (await client.fetchTopicOffsets(TOPICS.leadEnriched).catch(() => [])).some((p) => p.high === '1'), 10_000, 'the enriched event');

    await app.close();
    app = undefined;
    const [offsets] = await client.fetchOffsets({ groupId: 'nest-module-test', topics: [TOPICS.leadReceived] });
    expect(offsets?.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)).toBe(1);
    const described = await client.describeGroups(['nest-module-test', 'nest-module-test.bulk']);
    expect(described.groups.map((group) => group.members)).toEqual([[], []]);
  });

  it('boots while the broker is down, reports not-ready naming what is down, and connects once it is up', async () => {
    // Find a free port, then leave it unused for now.
    const probe = await startBroker({ port: 0, dataDir });
    const port = probe.port;
    await probe.stop();

    app = await NestFactory.createApplicationContext(appModuleFor([`127.0.0.1:${port}`]), { logger: false });
    const kafka = app.get(KafkaConsumers);
    expect(kafka.isReady()).toBe(false);
    expect(() => kafka.assertReady()).toThrow('Kafka not ready: publisher, consumer nest-module-test, consumer nest-module-test.bulk');
    // long enough for kafkajs' own connection retries to give up, so the module's backoff loop takes over
    await eventually(() => warnings.includes('cannot connect the event publisher yet; retrying'), 20_000, 'a failed connection attempt');
    expect(kafka.isReady()).toBe(false);

    broker = await startBroker({ port, dataDir });
    await eventually(() => kafka.isReady(), 45_000, 'the module to connect once the broker is up');
    const event = aLeadReceivedEvent().build();
    await app.get(EventPublisher).publish([event]);
    const consumer = app.get(LeadReceivedTestConsumer);
    await eventually(() => consumer.seen.length === 1, 20_000, 'the event');
  });

  it('forRootAsync takes its settings from a factory with injected dependencies; a publish-only app gets a connected publisher', async () => {
    broker = await startBroker({ port: 0, dataDir });
    const brokers = [`127.0.0.1:${broker.port}`];
    const CONFIG = 'TEST_CONFIG';
    @Module({ providers: [{ provide: CONFIG, useValue: { kafkaBrokers: brokers } }], exports: [CONFIG] })
    class ConfigModule {}
    @Module({
      imports: [
        KafkaModule.forRootAsync({
          imports: [ConfigModule],
          inject: [CONFIG],
          useFactory: (config: { kafkaBrokers: string[] }) => ({ brokers: config.kafkaBrokers, clientId: 'async-test', logger: quiet }),
        }),
      ],
    })
    class PublishOnlyModule {}

    app = await NestFactory.createApplicationContext(PublishOnlyModule, { logger: false });
    const publisher = app.get(EventPublisher);
    await eventually(() => publisher.isReady(), 20_000, 'the publisher to connect');
    await publisher.publish([aLeadReceivedEvent().build()]);
    const client = await adminFor(broker.port);
    const offsets = await client.fetchTopicOffsets(TOPICS.leadReceived);
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(1);
    await app.close();
    app = undefined;
    expect(publisher.isReady()).toBe(false);
  });

  it('handles a live event before the bulk backlog ahead of it, and keeps what each lane causes in its lane', async () => {
    broker = await startBroker({ port: 0, dataDir });
    const brokers = [`127.0.0.1:${broker.port}`];
    const bulkTopic = bulkTopicOf(TOPICS.leadReceived);
    const client = await adminFor(broker.port);
    await client.createTopics({ topics: [TOPICS.leadReceived, bulkTopic].map((topic) => ({ topic, numPartitions: 3 })) });
    // the backlog: 600 bulk events, written before the service starts, in small record batches (a fetch
    // always brings whole batches)
    const backlog = Array.from({ length: 600 }, () => aLeadReceivedEvent().build());
    const seed = new EventPublisher({ brokers, clientId: 'lanes-seed' }, { logger: quiet });
    await seed.connect();
    for (let at = 0; at < backlog.length; at += 6) await seed.publish(backlog.slice(at, at + 6), undefined, 'bulk');
    await seed.disconnect();

    // 16 KiB bulk fetches: ~20 events a call at 40 ms each, so the backlog takes a few seconds
    app = await NestFactory.createApplicationContext(appModuleFor(brokers, SlowLaneTestConsumer, { bulkMaxBytes: 16 * 1024 }), { logger: false });
    app.enableShutdownHooks();
    const consumer = app.get(SlowLaneTestConsumer);
    await eventually(() => consumer.calls.some((call) => call.topics.includes(bulkTopic)), 20_000, 'the first bulk call');
    const live = aLeadReceivedEvent().build();
    await app.get(EventPublisher).publish([live]);

    await eventually(() => consumer.calls.some((call) => call.leadIds.includes(live.metadata.leadId)), 20_000, 'the live event');
    const liveCall = consumer.calls.findIndex((call) => call.leadIds.includes(live.metadata.leadId));
    const bulkSeenBefore = consumer.calls.slice(0, liveCall).reduce((sum, call) => sum + call.leadIds.length, 0);
    expect(consumer.calls[liveCall]?.topics).toEqual([TOPICS.leadReceived]);
    expect(bulkSeenBefore).toBeLessThan(backlog.length / 2);

    const totalOn = async (topic: string): Promise<number> => (await client.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
    await eventually(async () => (await totalOn(bulkTopicOf(TOPICS.leadEnriched))) >= backlog.length, 60_000, 'the whole backlog enriched');
    expect(await totalOn(bulkTopicOf(TOPICS.leadEnriched))).toBe(backlog.length);
    expect(await totalOn(TOPICS.leadEnriched)).toBe(1);

    await app.close();
    app = undefined;
    const committed = async (groupId: string, topic: string): Promise<number> => {
      const [offsets] = await client.fetchOffsets({ groupId, topics: [topic] });
      return offsets?.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0) ?? 0;
    };
    expect(await committed('nest-lanes-test', TOPICS.leadReceived)).toBe(1);
    expect(await committed('nest-lanes-test.bulk', bulkTopic)).toBe(backlog.length);
  });
});
