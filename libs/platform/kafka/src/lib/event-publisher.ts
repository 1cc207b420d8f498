import { parseEvent, topicFor, type EventEnvelope, type EventType, type Lane } from '@leadstream/contracts';
import { createLogger, injectTraceHeaders, type Context, type Logger } from '@leadstream/platform-observability';
import { context } from '@opentelemetry/api';
import { CompressionTypes, type Message, type Producer, type TopicMessages } from 'kafkajs';
import { classifyError, describeError, PermanentError, TransientError } from './errors';
import { createKafkaClient, type KafkaSettings } from './kafka-client';
import { LeadPartitioner } from './lead-partitioner';
import { eventRecord, type OutgoingRecord } from './message-headers';

/**
 * Gives, for one outgoing event, the trace context it belongs to (its headers get that context's
 * traceparent). undefined → the context active when publish() was called. The consumer uses it so
 * that each outgoing event continues the trace of the event that caused it, even when one batch
 * carries many leads.
 */
export type TraceCarrierFor = (event: EventEnvelope) => Context | undefined;

export interface EventPublisherOptions {
  readonly logger?: Logger;
  /**
   * Check each outgoing event against its contract (parseEvent) before sending, so a bug surfaces in
   * the producing service as a PermanentError instead of as dead letters downstream. Default true.
   */
  readonly validate?: boolean;
}

interface PendingSend {
  readonly records: readonly OutgoingRecord[];
  resolve(): void;
  reject(err: unknown): void;
}

// Bound on what one produce request carries when many callers are waiting; whole calls are never split.
const MAX_RECORDS_PER_FLUSH = 5_000;
const PROBE_INTERVAL_MS = 1_000;

/**
 * Publishes events with acks=-1 (all in-sync replicas). Calls made while a send is in flight are
 * coalesced into the next single sendBatch (group commit), and exactly one send is in flight at a time,
 * so a kafkajs retry can never reorder one lead's events. Duplicates that a retry may cause are harmless:
 * event ids are deterministic and every consumer is idempotent on them.
 */
export class EventPublisher {
  private readonly logger: Logger;
  private readonly producer: Producer;
  private readonly validate: boolean;
  private connected = false;
  private degraded = false;
  private probeTimer: NodeJS.Timeout | undefined;
  private queue: PendingSend[] = [];
  private flushing = false;

  constructor(
    readonly settings: KafkaSettings,
    options: EventPublisherOptions = {},
  ) {
    this.logger = options.logger ?? createLogger('platform-kafka');
    this.validate = options.validate ?? true;
    const kafka = createKafkaClient(settings, this.logger);
    this.producer = kafka.producer({
      // Not the kafkajs idempotent producer: it needs InitProducerId, which the development broker does not
      // serve, and deterministic event ids already make duplicates harmless. One request in flight keeps order.
      idempotent: false,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      // kafkajs's DefaultPartitioner placement, computed without its 64-bit Long arithmetic.
      createPartitioner: LeadPartitioner,
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
  }

  async connect(): Promise<void> {
    try {
      await this.producer.connect();
      this.connected = true;
      this.setDegraded(false);
    } catch (err) {
      throw new TransientError(`cannot connect to Kafka ${this.settings.brokers.join(',')}: ${describeError(err)}`, { cause: err });
    }
  }

  async disconnect(): Promise<void> {
    this.connected = false;
    this.stopProbe();
    // Let calls already accepted finish rather than failing them half-way.
    while (this.flushing) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.producer.disconnect();
  }

  /** Connected, and the last send (or reconnection probe) reached the broker. */
  isReady(): boolean {
    return this.connected && !this.degraded;
  }

  /**
   * Sends the events to their topics (topicFor(type), or its bulk twin when `lane` is bulk) in one
   * sendBatch: key = partitionKeyOf(event) (the surviving lead), value = the JSON envelope, headers
   * event-type/event-id/correlation-id/causation-id and the trace context.
   * Resolves only after the broker acknowledged every event. Throws TransientError when Kafka cannot be
   * reached (retry later), PermanentError when an event can never be sent (unknown type, breaks its contract,
   * rejected by the broker as such).
   */
  async publish(events: readonly EventEnvelope[], trace?: TraceCarrierFor, lane: Lane = 'live'): Promise<void> {
    if (events.length === 0) return;
    const active = context.active();
    const records = events.map((event) => this.toRecord(event, trace?.(event) ?? active, lane));
    await this.publishRecords(records);
  }

  /**
   * The Kafka record publish() would send for `event` (validated against its contract, serialized, with
   * the trace context of `traceContext`, default the active one), for publishRecords() later. A producer
   * that holds many events before sending (a CSV import) keeps these compact records instead of the event
   * objects, and learns at once which event breaks its contract. Throws PermanentError for such an event.
   */
  toRecord(event: EventEnvelope, traceContext: Context = context.active(), lane: Lane = 'live'): OutgoingRecord {
    let topic: string;
    try {
      if (this.validate) parseEvent(event);
      topic = topicFor(event.type as EventType, lane);
    } catch (err) {
      throw new PermanentError(`cannot publish ${event.type} ${event.metadata?.eventId}: ${describeError(err)}`, { cause: err });
    }
    return eventRecord(topic, event, this.traceHeadersOf(traceContext));
  }

  // Consecutive events of one publish() call or one import share their context: inject it once.
  private lastTraceContext: Context | undefined;
  private lastTraceHeaders: Readonly<Record<string, string>> = {};

  private traceHeadersOf(traceContext: Context): Readonly<Record<string, string>> {
    if (traceContext !== this.lastTraceContext) {
      this.lastTraceHeaders = injectTraceHeaders(traceContext);
      this.lastTraceContext = traceContext;
    }
    return this.lastTraceHeaders;
  }

  /**
   * Low level: sends prepared records as they are (the consumer uses it for dead letters, whose value is
   * the original bytes). Same acknowledgement and error semantics as publish().
   */
  async publishRecords(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (!this.connected) throw new TransientError('the event publisher is not connected to Kafka');
    await new Promise<void>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Defer one turn so that calls made in the same tick share the request.
        setImmediate(() => void this.flushLoop());
      }
    });
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const pending = this.takeFlush();
        try {
          await this.send(pending.flatMap((p) => p.records));
          pending.forEach((p) => p.resolve());
        } catch (err) {
          if (pending.length > 1 && classifyError(err) === 'permanent') {
            // One caller's bad record must not fail the others that shared the request: send them apart.
            for (const p of pending) {
              await this.send(p.records).then(p.resolve, (inner: unknown) => p.reject(inner));
            }
          } else {
            pending.forEach((p) => p.reject(err));
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private takeFlush(): PendingSend[] {
    let count = 0;
    let take = 0;
    for (const pending of this.queue) {
      if (take > 0 && count + pending.records.length > MAX_RECORDS_PER_FLUSH) break;
      count += pending.records.length;
      take += 1;
    }
    return this.queue.splice(0, take);
  }

  private async send(records: readonly OutgoingRecord[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const record of records) {
      let messages = byTopic.get(record.topic);
      if (!messages) byTopic.set(record.topic, (messages = []));
      messages.push({ key: record.key, value: record.value, headers: { ...record.headers } });
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    try {
      await this.producer.sendBatch({ topicMessages, acks: -1, compression: CompressionTypes.None });
      this.setDegraded(false);
    } catch (err) {
      // A disconnected producer answers with a non-retriable kafkajs error; for the caller it is "not now".
      const kind = this.connected ? classifyError(err) : 'transient';
      if (kind === 'transient') {
        this.setDegraded(true);
        throw new TransientError(`Kafka did not acknowledge ${records.length} record(s): ${describeError(err)}`, { cause: err });
      }
      throw new PermanentError(`Kafka rejected ${records.length} record(s): ${describeError(err)}`, { cause: err });
    }
  }

  private setDegraded(degraded: boolean): void {
    if (degraded === this.degraded) return;
    this.degraded = degraded;
    if (degraded) {
      this.logger.warn('event publisher cannot reach Kafka; reporting not-ready until it can', { brokers: this.settings.brokers });
      this.startProbe();
    } else {
      this.logger.info('event publisher reaches Kafka again', { brokers: this.settings.brokers });
      this.stopProbe();
    }
  }

  // Without traffic nothing would notice the broker is back (and a not-ready pod gets no traffic), so
  // while degraded a timer re-runs connect(), which refreshes metadata and fails fast while the broker is down.
  private startProbe(): void {
    if (this.probeTimer) return;
    this.probeTimer = setInterval(() => {
      if (!this.connected) return;
      this.producer.connect().then(
        () => this.setDegraded(false),
        () => undefined,
      );
    }, PROBE_INTERVAL_MS);
    this.probeTimer.unref();
  }

  private stopProbe(): void {
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = undefined;
  }
}
