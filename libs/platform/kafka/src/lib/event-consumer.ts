import { deadLetterTopicFor, parseEvent, type EventEnvelope, type Lane, type LeadstreamEvent } from '@leadstream/contracts';
import { createLogger, extractTraceContext, type Context, type Logger } from '@leadstream/platform-observability';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Link, type Span } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { backoffDelay, resolveRetryPolicy, type RetryPolicy } from './backoff';
import { ensureTopics, DEFAULT_PARTITIONS } from './ensure-topics';
import { classifyError, describeError, TransientError } from './errors';
import type { EventPublisher } from './event-publisher';
import { createKafkaClient, type KafkaSettings } from './kafka-client';
import { deadLetterRecord, decodeHeaders, type OutgoingRecord } from './message-headers';

/** One valid event of a batch, with where it came from. */
export interface ConsumedEvent {
  readonly event: LeadstreamEvent;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The context of this event's processing span, a child of the trace context the producer put in the
   * headers. Run per-event work under it (`context.with(ce.traceContext, ...)`) to keep it in the lead's trace.
   * EventConsumer always sets it; it is optional so that hand-built values in tests need not invent one.
   */
  readonly traceContext?: Context;
}

/**
 * Handles one batch of valid events and returns the events to publish in reaction (each with
 * metadata.causationId = the eventId of the consumed event that caused it). It must make its effects
 * durable before resolving and be idempotent: a batch is redelivered after a crash, retried after a
 * transient error, and re-run event by event after a permanent one. One EventConsumer never calls it
 * concurrently; KafkaConsumers registers a live and a bulk consumer with the same handler, which may
 * overlap, as the calls of two replicas of a service do (different partitions, shared database).
 */
export type BatchHandler = (events: readonly ConsumedEvent[]) => Promise<readonly EventEnvelope[]>;

export interface EventConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly handler: BatchHandler;
  /** Publishes the handler's outgoing events and the dead letters; connect it before start(). */
  readonly publisher: EventPublisher;
  readonly logger?: Logger;
  /** Backoff for transient failures; maxAttempts = consecutive failures before reporting not-ready. */
  readonly retry?: Partial<RetryPolicy>;
  /** Where a new group starts: the earliest offset (default true) or only new messages. */
  readonly fromBeginning?: boolean;
  /**
   * Most partition batches kafkajs hands over at once; the ones handed over together are combined into
   * one handler call (the handler is never called concurrently). Default: every partition of the
   * subscribed topics (topics x `partitions`), so one fetch is one handler call. 1 = one partition per call.
   */
  readonly partitionsConsumedConcurrently?: number;
  /** Create the subscribed topics and the dead-letter topic when missing (default true). */
  readonly ensureTopics?: boolean;
  /** Partitions of topics this consumer creates (default 12). */
  readonly partitions?: number;
  /** kafkajs group session timeout in ms (default 30,000): a silent member is evicted after it. */
  readonly sessionTimeout?: number;
  /** How long a fetch waits for data (default 500 ms); the broker answers earlier when data arrives. */
  readonly maxWaitTimeInMs?: number;
  /**
   * Most bytes one fetch brings (default 2 MiB; kafkajs's own default is 10 MiB). A fetch becomes one
   * handler call, so this bounds what a consumer holds at once while it works off a backlog: decoded
   * messages, parsed events and the events it publishes in return take several times the raw bytes.
   */
  readonly maxBytes?: number;
  /**
   * The lane of the subscribed topics (default `live`). The handler's outgoing events are published in
   * the same lane: what a bulk event causes stays in the bulk lane.
   */
  readonly lane?: Lane;
}

const DEFAULT_FETCH_MAX_BYTES = 2 * 1024 * 1024;


const TRACER_NAME = '@leadstream/platform-kafka';
// Longest single wait between heartbeats while backing off (kafkajs throttles heartbeats itself).
const HEARTBEAT_SLICE_MS = 1_000;

/** One topic-partition batch handed over by kafkajs, waiting for (or in) a handler call. */
interface PartitionBatch {
  readonly payload: EachBatchPayload;
  readonly topic: string;
  readonly partition: number;
  readonly received: readonly Received[];
  /** The kafkajs call returns: committed, or abandoned uncommitted. */
  readonly resolve: () => void;
  /** The kafkajs call throws (a rebalance seen by heartbeat, a failed commit); nothing was committed. */
  readonly reject: (err: unknown) => void;
}

/** `next offset to read` of each partition batch, grouped by topic, for one OffsetCommit. */
function commitOffsetsOf(group: readonly PartitionBatch[]): { topic: string; partitions: { partition: number; offset: string }[] }[] {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const p of group) {
    const partitions = byTopic.get(p.topic) ?? [];
    partitions.push({ partition: p.partition, offset: (BigInt(p.payload.batch.lastOffset()) + 1n).toString() });
    byTopic.set(p.topic, partitions);
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}

/** `topic/partition@firstOffset` of each batch, for logs. */
function describePartitions(group: readonly PartitionBatch[]): string[] {
  return group.map((p) => `${p.topic}/${p.partition}@${p.payload.batch.firstOffset() ?? '?'}`);
}

interface Received {
  readonly message: KafkaMessage;
  readonly headers: Record<string, string>;
  readonly span: Span;
  readonly consumed?: ConsumedEvent;
  readonly invalidReason?: string;
}

/**
 * Consumes events in batches (kafkajs eachBatch), hands the valid ones to the handler, publishes what it
 * returns, dead-letters what can never succeed, and only then commits the batch's offset explicitly.
 * At-least-once in: nothing is committed before its effects (handler, outgoing events, dead letters) are durable.
 */
export class EventConsumer {
  readonly groupId: string;
  readonly deadLetterTopic: string;
  readonly lane: Lane;
  /** Most bytes one fetch brings (`maxBytes`). */
  readonly fetchMaxBytes: number;
  private readonly topics: readonly string[];
  private readonly logger: Logger;
  private readonly policy: RetryPolicy;
  private readonly tracer = trace.getTracer(TRACER_NAME);
  private consumer: Consumer | undefined;
  private starting: Promise<void> | undefined;
  private joined = false;
  private stopping = false;
  private readonly wakeSleepers = new Set<() => void>();
  // topic/partition -> consecutive failed attempts of the batch in hand
  private readonly failures = new Map<string, number>();
  // partition batches handed over by kafkajs and not yet taken by a handler call
  private readonly pending: PartitionBatch[] = [];
  private draining = false;

  constructor(
    private readonly settings: KafkaSettings,
    private readonly options: EventConsumerOptions,
  ) {
    if (options.topics.length === 0) throw new TypeError('EventConsumer needs at least one topic');
    this.groupId = options.groupId;
    this.deadLetterTopic = deadLetterTopicFor(options.groupId);
    this.topics = [...new Set(options.topics)];
    this.lane = options.lane ?? 'live';
    this.fetchMaxBytes = options.maxBytes ?? DEFAULT_FETCH_MAX_BYTES;
    this.logger = options.logger ?? createLogger('platform-kafka');
    this.policy = resolveRetryPolicy(options.retry);
  }

  /** Joins the group and starts consuming. Throws TransientError when Kafka cannot be reached. */
  start(): Promise<void> {
    this.starting ??= this.startOnce().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async startOnce(): Promise<void> {
    if (this.consumer) return;
    this.stopping = false;
    if (this.options.ensureTopics ?? true) {
      await ensureTopics(this.settings, [...this.topics, this.deadLetterTopic], this.options.partitions ?? DEFAULT_PARTITIONS, {
        logger: this.logger,
      });
    }
    const consumer = createKafkaClient(this.settings, this.logger).consumer({
      groupId: this.groupId,
      sessionTimeout: this.options.sessionTimeout ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((this.options.sessionTimeout ?? 30_000) / 3)),
      maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? 500,
      maxBytes: this.fetchMaxBytes,
      allowAutoTopicCreation: true,
      // kafkajs gives up on a consumer whose crash it deems non-retriable; a service must never sit there
      // silently not consuming, so it restarts (and reports not-ready until it has rejoined). Except once
      // stop() began: a fetch or join still retrying against a broker that is gone can crash after kafkajs's
      // disconnect() has returned, and a restart then would leave an orphaned consumer reconnecting
      // forever, which also keeps the process from exiting.
      retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 10, restartOnFailure: async () => this.consumer === consumer && !this.stopping },
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.joined = false;
      const fields = { groupId: this.groupId, error: describeError(event.payload.error), restart: event.payload.restart };
      if (event.payload.restart) this.logger.error('Kafka consumer crashed; kafkajs restarts it', fields);
      else if (this.stopping) this.logger.info('Kafka consumer crashed while stopping; not restarted', fields);
      else this.logger.error('Kafka consumer crashed; kafkajs does not restart it', fields);
    });
    consumer.on(consumer.events.STOP, () => {
      this.joined = false;
    });
    this.consumer = consumer;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...this.topics], fromBeginning: this.options.fromBeginning ?? true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently:
          this.options.partitionsConsumedConcurrently ?? this.topics.length * (this.options.partitions ?? DEFAULT_PARTITIONS),
        eachBatch: (payload) => this.onBatch(payload),
      });
    } catch (err) {
      this.consumer = undefined;
      await consumer.disconnect().catch(() => undefined);
      throw new TransientError(`consumer group ${this.groupId} cannot start: ${describeError(err)}`, { cause: err });
    }
    this.logger.info('Kafka consumer started', { groupId: this.groupId, topics: this.topics, lane: this.lane, fetchMaxBytes: this.fetchMaxBytes });
  }

  /**
   * Graceful stop: no new batch is taken, the batch in hand is finished and committed (a batch that is
   * backing off after a transient error is abandoned uncommitted, to be redelivered), the group is left
   * so its partitions move to the other members at once, and the connections are closed.
   */
  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const consumer = this.consumer;
    if (!consumer) return;
    this.stopping = true;
    [...this.wakeSleepers].forEach((wake) => wake());
    try {
      await consumer.disconnect();
    } finally {
      this.consumer = undefined;
      this.joined = false;
      this.failures.clear();
      this.logger.info('Kafka consumer stopped', { groupId: this.groupId });
    }
  }

  /** Member of its group and not stuck retrying a batch (fewer than retry.maxAttempts consecutive failures). */
  isReady(): boolean {
    if (!this.consumer || !this.joined || this.stopping) return false;
    for (const count of this.failures.values()) if (count >= this.policy.maxAttempts) return false;
    return true;
  }

  /**
   * kafkajs calls this once per topic-partition batch, for up to `partitionsConsumedConcurrently`
   * partitions of one fetch at a time. The batch is queued; batches queued together are handled by
   * ONE handler call and ONE publish, and their offsets committed in ONE OffsetCommit, after which each
   * call returns. A partition's next batch is only fetched after this one returned, so two batches of
   * the same partition are never in hand at once (order per lead), and handler calls never overlap.
   */
  private onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0 || payload.isStale()) return Promise.resolve();
    const received = batch.messages.map((message) => this.receive(batch.topic, batch.partition, message));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ payload, topic: batch.topic, partition: batch.partition, received, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // setImmediate: every partition batch kafkajs hands over from the same fetch joins this call
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const group = this.pending.splice(0, this.pending.length);
        try {
          await this.handleGroup(group);
        } catch (err) {
          // A rebalance reported by a heartbeat, or a failed OffsetCommit: nothing of the group was
          // committed; each kafkajs call gets the error, as it did with one batch per call.
          for (const p of group) p.reject(err);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async handleGroup(group: readonly PartitionBatch[]): Promise<void> {
    const topics = [...new Set(group.map((p) => p.topic))];
    const received = group.flatMap((p) => p.received);
    const batchSpan = this.tracer.startSpan(
      `process batch ${topics.join(',')}`,
      {
        kind: SpanKind.CONSUMER,
        links: received.map((r): Link => ({ context: r.span.spanContext() })),
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': topics.join(','),
          ...(group.length === 1 ? { 'messaging.destination.partition.id': String(group[0]?.partition) } : {}),
          'messaging.consumer.group.name': this.groupId,
          'messaging.batch.message_count': received.length,
          'leadstream.batch.partition_count': group.length,
        },
      },
      ROOT_CONTEXT,
    );
    let done: readonly PartitionBatch[] = [];
    try {
      done = await context.with(trace.setSpan(ROOT_CONTEXT, batchSpan), () => this.processWithRetry(group));
      const [first] = done;
      if (first) {
        for (const p of done) p.payload.resolveOffset(p.payload.batch.lastOffset());
        // one OffsetCommit for every partition of the call (kafkajs commits whatever topics it is given)
        await first.payload.commitOffsetsIfNecessary({ topics: commitOffsetsOf(done) });
      }
    } finally {
      // However the batches ended (done, abandoned, or a rebalance thrown by heartbeat), they no longer
      // count against readiness here; if they come back, their failures count afresh.
      for (const p of group) this.failures.delete(`${p.topic}/${p.partition}`);
      for (const r of received) r.span.end();
      if (done.length < group.length) batchSpan.setStatus({ code: SpanStatusCode.ERROR, message: 'abandoned uncommitted' });
      batchSpan.end();
    }
    // the abandoned ones return uncommitted, to be fetched again
    for (const p of group) p.resolve();
  }

  private receive(topic: string, partition: number, message: KafkaMessage): Received {
    const headers = decodeHeaders(message.headers);
    const parent = extractTraceContext(headers);
    const span = this.tracer.startSpan(
      `process ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.destination.partition.id': String(partition),
          'messaging.kafka.offset': Number(message.offset),
          'messaging.consumer.group.name': this.groupId,
          'messaging.message.id': headers['event-id'] ?? '',
        },
      },
      parent,
    );
    try {
      const event = parseEvent(message.value);
      span.setAttribute('leadstream.lead_id', event.metadata.leadId);
      span.setAttribute('leadstream.event_type', event.type);
      const traceContext = trace.setSpan(parent, span);
      return { message, headers, span, consumed: { event, topic, partition, offset: message.offset, headers, traceContext } };
    } catch (err) {
      return { message, headers, span, invalidReason: describeError(err) };
    }
  }

  /**
   * Handles the group until it succeeds; returns the partition batches whose effects are durable and
   * whose offsets may be committed. Batches of partitions revoked while retrying are dropped from the
   * group (abandoned uncommitted); on stop() every batch is abandoned.
   */
  private async processWithRetry(group: readonly PartitionBatch[]): Promise<readonly PartitionBatch[]> {
    let live = group;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.processOnce(live);
        if (attempt > 1) {
          this.logger.info('batch succeeded after retrying', { groupId: this.groupId, partitions: describePartitions(live), attempts: attempt });
        }
        return live;
      } catch (err) {
        // Whatever escapes processOnce is retried: permanent failures were already isolated and
        // dead-lettered there, so this is a transient error or a failure to reach Kafka itself.
        for (const p of live) this.failures.set(`${p.topic}/${p.partition}`, attempt);
        const delay = backoffDelay(attempt, this.policy);
        const log = attempt >= this.policy.maxAttempts ? this.logger.error : this.logger.warn;
        log.call(this.logger, 'batch failed; retrying without committing', {
          groupId: this.groupId,
          partitions: describePartitions(live),
          attempt,
          retryInMs: delay,
          error: describeError(err),
          kind: classifyError(err),
        });
        live = this.stillOurs(live);
        const [first] = live;
        if (!first) return [];
        await this.sleepWithHeartbeat(delay, first.payload);
        live = this.stillOurs(live);
        if (live.length === 0) return [];
      }
    }
  }

  /** The batches that may still be retried: none after stop(), and none of a revoked partition. */
  private stillOurs(group: readonly PartitionBatch[]): readonly PartitionBatch[] {
    if (this.stopping) return [];
    return group.filter((p) => p.payload.isRunning() && !p.payload.isStale());
  }

  private async processOnce(group: readonly PartitionBatch[]): Promise<void> {
    const deadLetters: { letter: OutgoingRecord; r: Received }[] = [];
    for (const p of group) {
      for (const r of p.received) {
        if (r.invalidReason !== undefined) deadLetters.push({ letter: this.deadLetter(p.topic, p.partition, r, r.invalidReason), r });
      }
    }
    const valid = group.flatMap((p) => p.received.filter((r) => r.consumed !== undefined));
    if (valid.length > 0) {
      try {
        await this.handleAndPublish(valid);
      } catch (err) {
        if (classifyError(err) !== 'permanent') throw err;
        // Find the culprit(s): each event on its own; a transient error here still retries the whole group.
        for (const p of group) {
          for (const r of p.received) {
            if (r.consumed === undefined) continue;
            try {
              await this.handleAndPublish([r]);
            } catch (inner) {
              if (classifyError(inner) !== 'permanent') throw inner;
              deadLetters.push({ letter: this.deadLetter(p.topic, p.partition, r, describeError(inner)), r });
            }
          }
        }
      }
    }
    await this.options.publisher.publishRecords(deadLetters.map((d) => d.letter));
    for (const { letter, r } of deadLetters) {
      r.span.setStatus({ code: SpanStatusCode.ERROR, message: `dead-lettered: ${letter.headers['dlq-reason']}` });
      this.logger.warn('message dead-lettered', {
        groupId: this.groupId,
        deadLetterTopic: this.deadLetterTopic,
        topic: letter.headers['dlq-source-topic'],
        partition: Number(letter.headers['dlq-source-partition']),
        offset: letter.headers['dlq-source-offset'],
        reason: letter.headers['dlq-reason'],
      });
    }
  }

  private async handleAndPublish(received: readonly Received[]): Promise<void> {
    const consumed = received.flatMap((r) => (r.consumed ? [r.consumed] : []));
    // One event: its own span is the active context, so the handler's SQL spans join the lead's trace.
    const only = consumed.length === 1 ? consumed[0] : undefined;
    const active = only?.traceContext ?? context.active();
    const outgoing = await context.with(active, () => this.options.handler(consumed));
    const contextByEventId = new Map(consumed.map((c) => [c.event.metadata.eventId, c.traceContext]));
    await this.options.publisher.publish(
      outgoing,
      (event) => (event.metadata.causationId ? contextByEventId.get(event.metadata.causationId) : undefined),
      this.lane,
    );
  }

  private deadLetter(topic: string, partition: number, r: Received, reason: string): OutgoingRecord {
    return deadLetterRecord(
      this.deadLetterTopic,
      { key: r.message.key, value: r.message.value, headers: r.headers },
      { topic, partition, offset: r.message.offset, groupId: this.groupId, reason },
    );
  }

  // Waits `ms` in slices, heart-beating between them so the group does not evict us while a dependency
  // is down; returns early when stop() is called. A heartbeat that reports a rebalance throws, which hands
  // the (uncommitted) batch back to kafkajs to rejoin.
  private async sleepWithHeartbeat(ms: number, payload: EachBatchPayload): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.stopping) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.wakeSleepers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(remaining, HEARTBEAT_SLICE_MS));
        this.wakeSleepers.add(wake);
      });
      if (!this.stopping) await payload.heartbeat();
    }
  }
}
