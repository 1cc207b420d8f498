// Integration tests of the Kafka wrapper against the development broker (tools/broker) over TCP,
// with real kafkajs clients on both sides. Every test gets a fresh broker and data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type RunningBroker } from '@leadstream/broker';
import { TOPICS, type EventEnvelope, type LeadEnriched, type LeadReceived, reactTo } from '@leadstream/contracts';
import type { Logger } from '@leadstream/platform-observability';
import { aLead, aLeadReceivedEvent, resetTestIds } from '@leadstream/testing';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { context, propagation, trace } from '@opentelemetry/api';
import { Kafka, logLevel, type Admin, type KafkaMessage } from 'kafkajs';
import { PermanentError, TransientError } from './errors';
import { EventConsumer, type BatchHandler, type ConsumedEvent, type EventConsumerOptions } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { ensureTopics } from './ensure-topics';
import type { KafkaSettings } from './kafka-client';

jest.setTimeout(60_000);

const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const contextManager = new AsyncLocalStorageContextManager().enable();

beforeAll(() => {
  trace.setGlobalTracerProvider(tracerProvider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(contextManager);
});
afterAll(async () => {
  await tracerProvider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
});

/** Collects log lines so a test can look at them; prints nothing. */
class RecordingLogger implements Logger {
  readonly lines: { level: string; msg: string; fields?: object }[] = [];
  debug(msg: string, fields?: object): void {
    this.lines.push({ level: 'debug', msg, fields });
  }
  info(msg: string, fields?: object): void {
    this.lines.push({ level: 'info', msg, fields });
  }
  warn(msg: string, fields?: object): void {
    this.lines.push({ level: 'warn', msg, fields });
  }
  error(msg: string, fields?: object): void {
    this.lines.push({ level: 'error', msg, fields });
  }
}

let broker: RunningBroker | undefined;
let dataDir: string;
let settings: KafkaSettings;
let logger: RecordingLogger;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  resetTestIds();
  spans.reset();
  dataDir = mkdtempSync(join(tmpdir(), 'leadstream-kafka-int-'));
  broker = await startBroker({ port: 0, dataDir });
  settings = { brokers: [`127.0.0.1:${broker.port}`], clientId: 'platform-kafka-int' };
  logger = new RecordingLogger();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  await broker?.stop();
  broker = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

// ---- helpers -------------------------------------------------------------------------------------

async function connectedPublisher(): Promise<EventPublisher> {
  const publisher = new EventPublisher(settings, { logger });
  await publisher.connect();
  cleanups.push(() => publisher.disconnect());
  return publisher;
}

function consumerOf(options: Omit<EventConsumerOptions, 'logger'>): EventConsumer {
  const consumer = new EventConsumer(settings, { sessionTimeout: 10_000, ...options, logger });
  cleanups.push(() => consumer.stop());
  return consumer;
}

function rawKafka(): Kafka {
  return new Kafka({ clientId: 'int-test-raw', brokers: [...settings.brokers], logLevel: logLevel.NOTHING });
}

async function adminClient(): Promise<Admin> {
  const admin = rawKafka().admin();
  await admin.connect();
  cleanups.push(() => admin.disconnect());
  return admin;
}

let readerCount = 0;
/** Reads `topic` from the beginning with a plain kafkajs consumer until `count` messages arrived. */
async function readTopic(topic: string, count: number, timeoutMs = 20_000): Promise<KafkaMessage[]> {
  readerCount += 1;
  const reader = rawKafka().consumer({ groupId: `int-test-reader-${readerCount}`, maxWaitTimeInMs: 200 });
  const messages: KafkaMessage[] = [];
  await reader.connect();
  try {
    await reader.subscribe({ topics: [topic], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        messages.push(message);
      },
    });
    await eventually(() => messages.length >= count, timeoutMs, `${count} message(s) on ${topic}, got ${messages.length}`);
    return messages;
  } finally {
    await reader.disconnect();
  }
}

async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function header(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  return value === undefined ? undefined : String(Array.isArray(value) ? value[0] : value);
}

/** Committed offsets of `groupId` on `topic`, summed over partitions (-1 for none counts as 0). */
async function committedTotal(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (result?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

async function endOffsetTotal(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

function enrich(cause: LeadReceived): LeadEnriched {
  const email = cause.data.lead.email?.trim().toLowerCase();
  const fromEmail = email === undefined ? {} : { email, emailDomain: email.split('@')[1] ?? '', isFreeEmail: false };
  return reactTo<LeadEnriched>(cause, 'enrichment', {
    type: 'lead.enriched',
    data: { lead: { ...cause.data.lead, ...fromEmail } },
    occurredAt: '2026-01-15T09:00:01.000Z',
  });
}

/** A handler that remembers every event it was given and reacts to lead.received with lead.enriched. */
function enrichingHandler(seen: ConsumedEvent[]): BatchHandler {
  return async (batch) => {
    seen.push(...batch);
    return batch.flatMap((c) => (c.event.type === 'lead.received' ? [enrich(c.event)] : []));
  };
}

function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent?.split('-')[1];
}

// ---- tests ---------------------------------------------------------------------------------------

describe('EventPublisher -> EventConsumer round trip', () => {
  it('delivers the event with key, headers and trace context, and the handler sees it intact', async () => {
    const publisher = await connectedPublisher();
    const event = aLeadReceivedEvent(aLead().withEmail('Ada@Example.com').build()).build();
    const tracer = trace.getTracer('int-test');
    const httpSpan = tracer.startSpan('POST /v1/leads');
    await context.with(trace.setSpan(context.active(), httpSpan), () => publisher.publish([event]));
    httpSpan.end();

    const [raw] = await readTopic(TOPICS.leadReceived, 1);
    expect(raw?.key?.toString()).toBe(event.metadata.leadId);
    expect(JSON.parse(raw?.value?.toString() ?? 'null')).toEqual(event);
    expect(header(raw!, 'event-type')).toBe('lead.received');
    expect(header(raw!, 'event-id')).toBe(event.metadata.eventId);
    expect(header(raw!, 'correlation-id')).toBe(event.metadata.correlationId);
    expect(header(raw!, 'causation-id')).toBeUndefined();
    expect(traceIdOf(header(raw!, 'traceparent'))).toBe(httpSpan.spanContext().traceId);

    const seen: ConsumedEvent[] = [];
    const consumer = consumerOf({ groupId: 'roundtrip', topics: [TOPICS.leadReceived], handler: enrichingHandler(seen), publisher });
    await consumer.start();
    await eventually(() => seen.length === 1, 20_000, 'the handler to see the event');

    const consumed = seen[0]!;
    expect(consumed.event).toEqual(event);
    expect(consumed.topic).toBe(TOPICS.leadReceived);
    expect(consumed.offset).toBe(raw!.offset);
    expect(consumed.headers['event-id']).toBe(event.metadata.eventId);
    expect(consumed.traceContext).toBeDefined();
    expect(trace.getSpanContext(consumed.traceContext ?? context.active())?.traceId).toBe(httpSpan.spanContext().traceId);
    await eventually(() => consumer.isReady(), 10_000, 'the consumer to report ready');
    expect(publisher.isReady()).toBe(true);
  });

  it("publishes the handler's outgoing events on their topic, each in the trace of the event that caused it", async () => {
    const publisher = await connectedPublisher();
    const tracer = trace.getTracer('int-test');
    // Two leads, each born in its own HTTP request (its own trace), published in one call so they share a batch.
    const first = aLeadReceivedEvent().build();
    const second = aLeadReceivedEvent().build();
    const spanA = tracer.startSpan('POST /v1/leads a');
    const spanB = tracer.startSpan('POST /v1/leads b');
    const traceByEvent = new Map([
      [first.metadata.eventId, trace.setSpan(context.active(), spanA)],
      [second.metadata.eventId, trace.setSpan(context.active(), spanB)],
    ]);
    await publisher.publish([first, second], (e) => traceByEvent.get(e.metadata.eventId));
    spanA.end();
    spanB.end();

    const seen: ConsumedEvent[] = [];
    const consumer = consumerOf({ groupId: 'enrichment-test', topics: [TOPICS.leadReceived], handler: enrichingHandler(seen), publisher });
    await consumer.start();

    const enriched = await readTopic(TOPICS.leadEnriched, 2);
    const byCause = new Map(enriched.map((m) => [header(m, 'causation-id'), m]));
    for (const [cause, span] of [
      [first, spanA],
      [second, spanB],
    ] as const) {
      const message = byCause.get(cause.metadata.eventId);
      expect(message).toBeDefined();
      expect(JSON.parse(message!.value!.toString())).toEqual(enrich(cause));
      expect(message!.key?.toString()).toBe(cause.metadata.leadId);
      expect(header(message!, 'event-type')).toBe('lead.enriched');
      expect(header(message!, 'correlation-id')).toBe(cause.metadata.correlationId);
      // same trace as the lead's HTTP request, parented by the consumer's span for that very event
      const traceparent = header(message!, 'traceparent');
      expect(traceIdOf(traceparent)).toBe(span.spanContext().traceId);
      const processSpan = spans
        .getFinishedSpans()
        .find((s) => s.name === `process ${TOPICS.leadReceived}` && s.spanContext().traceId === span.spanContext().traceId);
      expect(processSpan).toBeDefined();
      expect(processSpan!.parentSpanContext?.spanId).toBe(span.spanContext().spanId);
      expect(traceparent?.split('-')[2]).toBe(processSpan!.spanContext().spanId);
    }
    expect(spanA.spanContext().traceId).not.toBe(spanB.spanContext().traceId);

    // and the batch is committed once its outgoing events are acknowledged
    const admin = await adminClient();
    await eventually(async () => (await committedTotal(admin, 'enrichment-test', TOPICS.leadReceived)) === 2, 10_000, 'the commit');
  });
});

describe('dead-letter topic', () => {
  it('sends malformed messages to the DLQ with the reason and goes on with the next ones', async () => {
    const publisher = await connectedPublisher();
    const before = aLeadReceivedEvent().build();
    const after = aLeadReceivedEvent().build();
    const leadKey = before.metadata.leadId; // one key: one partition, in this order
    const invalidContract = { ...aLeadReceivedEvent().build(), data: { lead: { firstName: 'names no one' }, channel: 'api' } };
    const producer = rawKafka().producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    await producer.send({
      topic: TOPICS.leadReceived,
      acks: -1,
      messages: [
        { key: leadKey, value: JSON.stringify(before) },
        { key: leadKey, value: '{"type": "lead.received", ', headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } },
        { key: leadKey, value: JSON.stringify(invalidContract) },
        { key: leadKey, value: JSON.stringify({ ...after, metadata: { ...after.metadata, leadId: leadKey } }) },
      ],
    });

    const seen: ConsumedEvent[] = [];
    const consumer = consumerOf({ groupId: 'dlq-test', topics: [TOPICS.leadReceived], handler: enrichingHandler(seen), publisher });
    await consumer.start();

    const dead = await readTopic('dlq-test.dlq.v1', 2);
    expect(dead.map((m) => header(m, 'dlq-source-offset'))).toEqual(['1', '2']);
    const [notJson, breaksContract] = dead as [KafkaMessage, KafkaMessage];
    expect(notJson.value?.toString()).toBe('{"type": "lead.received", ');
    expect(notJson.key?.toString()).toBe(leadKey);
    expect(header(notJson, 'dlq-reason')).toMatch(/ContractViolation.*not valid JSON/);
    expect(header(notJson, 'dlq-source-topic')).toBe(TOPICS.leadReceived);
    expect(header(notJson, 'dlq-group')).toBe('dlq-test');
    expect(header(notJson, 'traceparent')).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(header(breaksContract, 'dlq-reason')).toMatch(/data\.lead names no one/);
    expect(header(breaksContract, 'dlq-source-partition')).toBe(header(notJson, 'dlq-source-partition'));

    await eventually(() => seen.length === 2, 10_000, 'both valid events');
    expect(seen.map((c) => c.event.metadata.eventId)).toEqual([before.metadata.eventId, after.metadata.eventId]);
    const admin = await adminClient();
    await eventually(async () => (await committedTotal(admin, 'dlq-test', TOPICS.leadReceived)) === 4, 10_000, 'all four offsets committed');
    expect(logger.lines.filter((l) => l.msg === 'message dead-lettered')).toHaveLength(2);
  });

  it('isolates a permanent failure: only the failing event is dead-lettered, the rest of its batch proceeds', async () => {
    const publisher = await connectedPublisher();
    const leadId = aLeadReceivedEvent().build().metadata.leadId;
    const events = ['one@example.com', 'poison@example.com', 'three@example.com'].map((email) =>
      aLeadReceivedEvent(aLead().withEmail(email).build()).forLead(leadId).build(),
    );
    await publisher.publish(events);

    const calls: (string | undefined)[][] = [];
    const handler: BatchHandler = async (batch) => {
      calls.push(batch.map((c) => (c.event as LeadReceived).data.lead.email));
      if (batch.some((c) => (c.event as LeadReceived).data.lead.email?.startsWith('poison'))) {
        throw new PermanentError('routing rule ROUTE-7 rejects poison leads');
      }
      return batch.map((c) => enrich(c.event as LeadReceived));
    };
    const consumer = consumerOf({ groupId: 'isolate-test', topics: [TOPICS.leadReceived], handler, publisher });
    await consumer.start();

    const [dead] = await readTopic('isolate-test.dlq.v1', 1);
    expect(JSON.parse(dead!.value!.toString()).data.lead.email).toBe('poison@example.com');
    expect(header(dead!, 'dlq-reason')).toBe('PermanentError: routing rule ROUTE-7 rejects poison leads');
    const enriched = await readTopic(TOPICS.leadEnriched, 2);
    expect(enriched.map((m) => JSON.parse(m.value!.toString()).data.lead.email).sort()).toEqual(['one@example.com', 'three@example.com']);
    // the poison event was retried on its own, never skipped silently, and its neighbours were not dead-lettered
    expect(calls).toContainEqual(['poison@example.com']);
    const admin = await adminClient();
    await eventually(async () => (await committedTotal(admin, 'isolate-test', TOPICS.leadReceived)) === 3, 10_000, 'the commit');
    expect(await endOffsetTotal(admin, 'isolate-test.dlq.v1')).toBe(1);
  });
  it('dead-letters the cause of an outgoing event that breaks its contract, and publishes the others', async () => {
    const publisher = await connectedPublisher();
    const leadId = aLeadReceivedEvent().build().metadata.leadId;
    const good = aLeadReceivedEvent(aLead().withEmail('good@example.com').build()).forLead(leadId).build();
    const bad = aLeadReceivedEvent(aLead().withEmail('bad@example.com').build()).forLead(leadId).build();
    await publisher.publish([good, bad]);

    // a handler bug: for one lead it builds a lead.enriched without emailDomain
    const handler: BatchHandler = async (batch) =>
      batch.map((c) => {
        const enriched = enrich(c.event as LeadReceived);
        if (c.event.metadata.eventId !== bad.metadata.eventId) return enriched;
        const { emailDomain: _dropped, ...lead } = enriched.data.lead;
        return { ...enriched, data: { lead } } as unknown as LeadEnriched;
      });
    const consumer = consumerOf({ groupId: 'outgoing-contract-test', topics: [TOPICS.leadReceived], handler, publisher });
    await consumer.start();

    const [dead] = await readTopic('outgoing-contract-test.dlq.v1', 1);
    expect(header(dead!, 'event-id')).toBe(bad.metadata.eventId);
    expect(header(dead!, 'dlq-reason')).toMatch(/^PermanentError: cannot publish lead\.enriched .*data\.lead\.emailDomain/);
    const [enriched] = await readTopic(TOPICS.leadEnriched, 1);
    expect(header(enriched!, 'causation-id')).toBe(good.metadata.eventId);
    const admin = await adminClient();
    await eventually(async () => (await committedTotal(admin, 'outgoing-contract-test', TOPICS.leadReceived)) === 2, 10_000, 'the commit');
    expect(await endOffsetTotal(admin, TOPICS.leadEnriched)).toBe(1);
  });
});

describe('transient errors', () => {
  it('retries the batch with backoff until it succeeds, reporting not-ready meanwhile, and loses nothing', async () => {
    const publisher = await connectedPublisher();
    const events = [aLeadReceivedEvent().build(), aLeadReceivedEvent().build(), aLeadReceivedEvent().build()];
    await publisher.publish(events);

    let failuresLeft = 4;
    const readiness: boolean[] = [];
    const processed = new Set<string>();
    let consumer: EventConsumer | undefined = undefined;
    const handler: BatchHandler = async (batch) => {
      readiness.push(consumer!.isReady());
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new TransientError('connect ECONNREFUSED 127.0.0.1:5433');
      }
      batch.forEach((c) => processed.add(c.event.metadata.eventId));
      return batch.map((c) => enrich(c.event as LeadReceived));
    };
    consumer = consumerOf({
      groupId: 'retry-test',
      topics: [TOPICS.leadReceived],
      handler,
      publisher,
      retry: { maxAttempts: 2, initialMs: 20, maxMs: 100 },
    });
    await consumer.start();

    await eventually(() => processed.size === 3, 20_000, 'all three events processed');
    expect([...processed].sort()).toEqual(events.map((e) => e.metadata.eventId).sort());
    // not ready once two consecutive attempts had failed, ready again after the success
    expect(readiness).toContain(false);
    await eventually(() => consumer!.isReady(), 5_000, 'ready again');
    const enriched = await readTopic(TOPICS.leadEnriched, 3);
    expect(new Set(enriched.map((m) => header(m, 'causation-id')))).toEqual(new Set(events.map((e) => e.metadata.eventId)));
    expect(logger.lines.some((l) => l.msg === 'batch failed; retrying without committing')).toBe(true);
  });

  it('commits nothing while the handler fails: a restarted consumer sees the same events again', async () => {
    const publisher = await connectedPublisher();
    const events = [aLeadReceivedEvent().build(), aLeadReceivedEvent().build()];
    await publisher.publish(events);

    let attempts = 0;
    const failing = consumerOf({
      groupId: 'no-commit-test',
      topics: [TOPICS.leadReceived],
      publisher,
      retry: { maxAttempts: 3, initialMs: 50, maxMs: 200 },
      handler: async () => {
        attempts += 1;
        throw new Error('database is down (unclassified, hence transient)');
      },
    });
    await failing.start();
    await eventually(() => attempts >= 3, 20_000, 'three failed attempts');
    expect(failing.isReady()).toBe(false);
    await failing.stop(); // abandons the batch in hand without committing

    const admin = await adminClient();
    expect(await committedTotal(admin, 'no-commit-test', TOPICS.leadReceived)).toBe(0);
    expect(await admin.listTopics()).not.toContain(TOPICS.leadEnriched);

    const seen: ConsumedEvent[] = [];
    const healthy = consumerOf({ groupId: 'no-commit-test', topics: [TOPICS.leadReceived], publisher, handler: enrichingHandler(seen) });
    await healthy.start();
    await eventually(() => seen.length === 2, 20_000, 'the same two events redelivered');
    expect(seen.map((c) => c.event.metadata.eventId).sort()).toEqual(events.map((e) => e.metadata.eventId).sort());
  });
});

describe('partition batches coalesced into one handler call', () => {
  const partitionsOf = (batch: readonly ConsumedEvent[]): string[] => [...new Set(batch.map((c) => `${c.topic}/${c.partition}`))].sort();

  /** Publishes `count` lead.received events of distinct leads, so that they land on several partitions. */
  async function publishSpread(publisher: EventPublisher, count: number, emailOf = (i: number) => `lead${i}@example.com`): Promise<LeadReceived[]> {
    const events = Array.from({ length: count }, (_, i) => aLeadReceivedEvent(aLead().withEmail(emailOf(i)).build()).build());
    await publisher.publish(events);
    const admin = await adminClient();
    const ends = await admin.fetchTopicOffsets(TOPICS.leadReceived);
    expect(ends.filter((p) => Number(p.high) > 0).length).toBeGreaterThan(1); // precondition: several partitions
    return events;
  }

  it('hands the batches of several partitions to one call, never two calls at once, and commits each partition only after the call succeeded', async () => {
    const publisher = await connectedPublisher();
    const events = await publishSpread(publisher, 24);
    const admin = await adminClient();

    const calls: string[][] = [];
    const committedDuringCalls: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const seen: ConsumedEvent[] = [];
    const handler: BatchHandler = async (batch) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        calls.push(partitionsOf(batch));
        committedDuringCalls.push(await committedTotal(admin, 'coalesce-test', TOPICS.leadReceived));
        seen.push(...batch);
        return batch.map((c) => enrich(c.event as LeadReceived));
      } finally {
        inFlight -= 1;
      }
    };
    const consumer = consumerOf({ groupId: 'coalesce-test', topics: [TOPICS.leadReceived], handler, publisher });
    await consumer.start();
    await eventually(() => seen.length >= events.length, 20_000, 'every event handled');

    // the events were all there before the consumer joined: its first fetch is one call over every partition
    expect(calls[0]!.length).toBeGreaterThan(1);
    expect(maxInFlight).toBe(1);
    // nothing was committed before the first call had returned
    expect(committedDuringCalls[0]).toBe(0);
    expect(seen.map((c) => c.event.metadata.eventId).sort()).toEqual(events.map((e) => e.metadata.eventId).sort());
    await eventually(async () => (await committedTotal(admin, 'coalesce-test', TOPICS.leadReceived)) === events.length, 10_000, 'every partition committed');
    const [committed] = await admin.fetchOffsets({ groupId: 'coalesce-test', topics: [TOPICS.leadReceived] });
    const ends = await admin.fetchTopicOffsets(TOPICS.leadReceived);
    for (const end of ends) {
      expect(committed!.partitions.find((p) => p.partition === end.partition)?.offset).toBe(Number(end.high) > 0 ? end.high : '-1');
    }
    expect(await readTopic(TOPICS.leadEnriched, events.length)).toHaveLength(events.length);
  });

  it('commits nothing of any partition while the combined call fails, then retries the same batches together', async () => {
    const publisher = await connectedPublisher();
    const events = await publishSpread(publisher, 12);
    const admin = await adminClient();

    const calls: string[][] = [];
    const committedDuringCalls: number[] = [];
    const seen: ConsumedEvent[] = [];
    const handler: BatchHandler = async (batch) => {
      calls.push(partitionsOf(batch));
      committedDuringCalls.push(await committedTotal(admin, 'coalesce-fail-test', TOPICS.leadReceived));
      if (calls.length <= 2) throw new TransientError('database is down');
      seen.push(...batch);
      return [];
    };
    const consumer = consumerOf({
      groupId: 'coalesce-fail-test',
      topics: [TOPICS.leadReceived],
      handler,
      publisher,
      retry: { maxAttempts: 5, initialMs: 50, maxMs: 100 },
    });
    await consumer.start();
    await eventually(() => seen.length >= events.length, 20_000, 'every event handled after the failures');

    expect(calls[0]!.length).toBeGreaterThan(1);
    // the retries carried the same partition batches, and no partition was committed while they failed
    expect(calls[1]).toEqual(calls[0]);
    expect(calls[2]).toEqual(calls[0]);
    expect(committedDuringCalls.slice(0, 3)).toEqual([0, 0, 0]);
    await eventually(async () => (await committedTotal(admin, 'coalesce-fail-test', TOPICS.leadReceived)) === events.length, 10_000, 'the commit');
    expect(logger.lines.filter((l) => l.msg === 'batch failed; retrying without committing')).toHaveLength(2);
  });

  it('dead-letters only the event that fails permanently; the events of the other partitions proceed', async () => {
    const publisher = await connectedPublisher();
    const events = await publishSpread(publisher, 12, (i) => (i === 5 ? 'poison@example.com' : `lead${i}@example.com`));
    const poison = events[5]!;

    let combinedCalls = 0;
    const handler: BatchHandler = async (batch) => {
      if (partitionsOf(batch).length > 1) combinedCalls += 1;
      if (batch.some((c) => (c.event as LeadReceived).data.lead.email?.startsWith('poison'))) {
        throw new PermanentError('routing rule ROUTE-7 rejects poison leads');
      }
      return batch.map((c) => enrich(c.event as LeadReceived));
    };
    const consumer = consumerOf({ groupId: 'coalesce-dlq-test', topics: [TOPICS.leadReceived], handler, publisher });
    await consumer.start();

    const [dead] = await readTopic('coalesce-dlq-test.dlq.v1', 1);
    expect(header(dead!, 'event-id')).toBe(poison.metadata.eventId);
    const enriched = await readTopic(TOPICS.leadEnriched, events.length - 1);
    expect(enriched.map((m) => JSON.parse(m.value!.toString()).metadata.causationId).sort()).toEqual(
      events.filter((e) => e !== poison).map((e) => e.metadata.eventId).sort(),
    );
    expect(combinedCalls).toBeGreaterThan(0);
    const admin = await adminClient();
    await eventually(async () => (await committedTotal(admin, 'coalesce-dlq-test', TOPICS.leadReceived)) === events.length, 10_000, 'the commit');
    expect(await endOffsetTotal(admin, 'coalesce-dlq-test.dlq.v1')).toBe(1);
  });
});

describe('stop()', () => {
  it('finishes the batch in hand, commits it and leaves the group', async () => {
    const publisher = await connectedPublisher();
    const first = aLeadReceivedEvent().build();
    await publisher.publish([first]);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const consumer = consumerOf({
      groupId: 'stop-test',
      topics: [TOPICS.leadReceived],
      publisher,
      handler: async (batch) => {
        entered();
        await gate;
        return batch.map((c) => enrich(c.event as LeadReceived));
      },
    });
    await consumer.start();
    await inHandler;

    let stopped = false;
    const stopping = consumer.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stopped).toBe(false); // waits for the batch in hand
    expect(consumer.isReady()).toBe(false);
    release();
    await stopping;

    const admin = await adminClient();
    expect(await committedTotal(admin, 'stop-test', TOPICS.leadReceived)).toBe(1);
    const group = await admin.describeGroups(['stop-test']);
    expect(group.groups[0]?.members).toEqual([]);
    const [enriched] = await readTopic(TOPICS.leadEnriched, 1);
    expect(header(enriched!, 'causation-id')).toBe(first.metadata.eventId);

    // a new member of the group starts after the committed offset: it sees only what came later
    const second = aLeadReceivedEvent().build();
    await publisher.publish([second]);
    const seenLater: ConsumedEvent[] = [];
    const next = consumerOf({ groupId: 'stop-test', topics: [TOPICS.leadReceived], publisher, handler: enrichingHandler(seenLater) });
    await next.start();
    await eventually(() => seenLater.length >= 1, 20_000, 'the later event');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seenLater.map((c) => c.event.metadata.eventId)).toEqual([second.metadata.eventId]);
  });

  it('stops for good while Kafka is down: kafkajs does not restart the consumer once stop() returned', async () => {
    const publisher = await connectedPublisher();
    // Its own logger, so that only this consumer's kafkajs client is listened to.
    const consumerLog = new RecordingLogger();
    const consumer = new EventConsumer(settings, { groupId: 'stop-while-down-test', topics: [TOPICS.leadReceived], publisher, handler: async () => [], sessionTimeout: 10_000, logger: consumerLog });
    cleanups.push(() => consumer.stop());
    await consumer.start();
    await eventually(() => consumer.isReady(), 20_000, 'the consumer to join its group');

    await broker!.stop();
    broker = undefined;
    // kafkajs is now retrying its fetch against nothing; stop() comes in the middle of that.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await consumer.stop();
    const stoppedAt = consumerLog.lines.length;
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    // The fetch in progress crashes about when stop() returns; restarted, it would reconnect every second or two, forever.
    const afterStop = consumerLog.lines.slice(stoppedAt).map((line) => line.msg);
    expect(afterStop.filter((msg) => /restarts it|Restarting the consumer/.test(msg))).toEqual([]);
  });
});

describe('broker restart', () => {
  it('publisher and consumer recover when the broker comes back on the same data, and nothing is lost', async () => {
    const publisher = await connectedPublisher();
    const seen: ConsumedEvent[] = [];
    const consumer = consumerOf({ groupId: 'restart-test', topics: [TOPICS.leadReceived], handler: enrichingHandler(seen), publisher });
    await consumer.start();
    const before = aLeadReceivedEvent().build();
    await publisher.publish([before]);
    await eventually(() => seen.length === 1, 20_000, 'the first event');
    const admin = rawKafka().admin();
    await admin.connect();
    await eventually(async () => (await committedTotal(admin, 'restart-test', TOPICS.leadReceived)) === 1, 10_000, 'the first commit');
    await admin.disconnect();

    const port = broker!.port;
    await broker!.stop();
    broker = undefined;
    await expect(publisher.publish([aLeadReceivedEvent().build()])).rejects.toBeInstanceOf(TransientError);
    expect(publisher.isReady()).toBe(false);

    broker = await startBroker({ port, dataDir });
    await eventually(() => publisher.isReady(), 30_000, 'the publisher to reach the broker again');
    const after = aLeadReceivedEvent().build();
    await publisher.publish([after]);
    await eventually(() => seen.some((c) => c.event.metadata.eventId === after.metadata.eventId), 45_000, 'the event published after the restart');
    await eventually(() => consumer.isReady(), 30_000, 'the consumer to rejoin');

    // the event from before the restart was committed (durably, by the broker) and is not handled again
    expect(seen.filter((c) => c.event.metadata.eventId === before.metadata.eventId)).toHaveLength(1);
    const enriched = await readTopic(TOPICS.leadEnriched, 2);
    expect(new Set(enriched.map((m) => header(m, 'causation-id')))).toEqual(new Set([before.metadata.eventId, after.metadata.eventId]));
  });
});

describe('broker lost in the middle of a batch', () => {
  it('retries the batch whose outgoing events could not be acknowledged, and commits only after they are', async () => {
    const publisher = await connectedPublisher();
    const event = aLeadReceivedEvent().build();
    await publisher.publish([event]);

    const port = broker!.port;
    let calls = 0;
    let restarted: Promise<void> | undefined;
    const handler: BatchHandler = async (batch) => {
      calls += 1;
      if (calls === 1) {
        // the handler's effects are done, but Kafka goes away before the outgoing event is acknowledged
        await broker!.stop();
        broker = undefined;
        restarted = new Promise((resolve) => setTimeout(resolve, 1_500)).then(async () => {
          broker = await startBroker({ port, dataDir });
        });
      }
      return batch.map((c) => enrich(c.event as LeadReceived));
    };
    const consumer = consumerOf({ groupId: 'mid-batch-test', topics: [TOPICS.leadReceived], handler, publisher, retry: { initialMs: 100, maxMs: 1_000 } });
    await consumer.start();

    await eventually(() => restarted !== undefined, 20_000, 'the first handler call');
    await restarted;
    const admin = await adminClient();
    await eventually(async () => (await committedTotal(admin, 'mid-batch-test', TOPICS.leadReceived).catch(() => 0)) === 1, 45_000, 'the commit');
    expect(calls).toBeGreaterThanOrEqual(2);
    const enriched = await readTopic(TOPICS.leadEnriched, 1);
    expect(enriched.map((m) => header(m, 'causation-id'))).toContain(event.metadata.eventId);
    // a retried publish may duplicate; the duplicate is the same event with the same id
    expect(new Set(enriched.map((m) => header(m, 'event-id'))).size).toBe(1);
  });
});

describe('EventPublisher failures', () => {
  it('throws TransientError and reports not-ready when the broker is gone', async () => {
    const publisher = await connectedPublisher();
    await publisher.publish([aLeadReceivedEvent().build()]);
    expect(publisher.isReady()).toBe(true);

    await broker!.stop();
    broker = undefined;
    await expect(publisher.publish([aLeadReceivedEvent().build()])).rejects.toBeInstanceOf(TransientError);
    expect(publisher.isReady()).toBe(false);
  });

  it('cannot connect to a port where no broker listens: TransientError', async () => {
    const publisher = new EventPublisher({ brokers: ['127.0.0.1:1'], clientId: 'nowhere' }, { logger });
    await expect(publisher.connect()).rejects.toBeInstanceOf(TransientError);
    expect(publisher.isReady()).toBe(false);
    await expect(publisher.publish([aLeadReceivedEvent().build()])).rejects.toBeInstanceOf(TransientError);
  });

  it('refuses an event that breaks its contract with PermanentError, before anything is sent', async () => {
    const publisher = await connectedPublisher();
    const broken = { ...aLeadReceivedEvent().build(), data: { lead: {}, channel: 'api' } } as unknown as EventEnvelope;
    await expect(publisher.publish([broken])).rejects.toThrow(PermanentError);
    const admin = await adminClient();
    expect(await admin.listTopics()).not.toContain(TOPICS.leadReceived);
  });
});

describe('ensureTopics', () => {
  it('creates missing topics with the given partitions and leaves existing ones alone', async () => {
    await ensureTopics(settings, ['alpha.v1', 'beta.v1'], 3, { logger });
    await ensureTopics(settings, ['alpha.v1', 'gamma.v1'], 5, { logger });
    const admin = await adminClient();
    const metadata = await admin.fetchTopicMetadata({ topics: ['alpha.v1', 'beta.v1', 'gamma.v1'] });
    const partitions = Object.fromEntries(metadata.topics.map((t) => [t.name, t.partitions.length]));
    expect(partitions).toEqual({ 'alpha.v1': 3, 'beta.v1': 3, 'gamma.v1': 5 });
  });
});
