import { partitionKeyOf, type EventEnvelope, type LeadstreamEvent } from '@leadstream/contracts';
import type { IHeaders } from 'kafkajs';

/** Header names on every event message (values are UTF-8 strings). */
export const EVENT_HEADERS = Object.freeze({
  eventType: 'event-type',
  eventId: 'event-id',
  correlationId: 'correlation-id',
  /** Absent on events born at the edge (causationId null). */
  causationId: 'causation-id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
});

/** Headers a dead-lettered message carries on top of its original ones. */
export const DEAD_LETTER_HEADERS = Object.freeze({
  reason: 'dlq-reason',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  group: 'dlq-group',
});

/** Reasons longer than this are cut: a header is for humans and dashboards, not for stack traces. */
export const MAX_REASON_LENGTH = 1_000;

/** A message ready for kafkajs: key, value and string headers. */
export interface OutgoingRecord {
  readonly topic: string;
  readonly key: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

const serialized = new WeakMap<EventEnvelope, string>();

/**
 * The JSON of an event as its Kafka message carries it. Serialised once per event object: a stage that
 * stores what it produced (its inbox) and the publish that follows share one JSON.stringify. Events are
 * immutable once produced; an object changed after its first serialisation would be published as it was.
 */
export function serializeEvent(event: EventEnvelope): string {
  let json = serialized.get(event);
  if (json === undefined) {
    json = JSON.stringify(event);
    serialized.set(event, json);
  }
  return json;
}

/**
 * The Kafka message of one event on `topic`: key = partitionKeyOf(event), the surviving lead once dedupe
 * has resolved it (one lead's events stay in order on one partition), value = the JSON envelope, headers = ids for routing and debugging without parsing
 * the value, plus the W3C trace context given in `traceHeaders` (only traceparent/tracestate are kept).
 */
export function eventRecord(topic: string, event: EventEnvelope, traceHeaders: Readonly<Record<string, string>>): OutgoingRecord {
  const headers: Record<string, string> = {
    [EVENT_HEADERS.eventType]: event.type,
    [EVENT_HEADERS.eventId]: event.metadata.eventId,
    [EVENT_HEADERS.correlationId]: event.metadata.correlationId,
  };
  if (event.metadata.causationId !== null && event.metadata.causationId !== undefined) {
    headers[EVENT_HEADERS.causationId] = event.metadata.causationId;
  }
  const traceparent = traceHeaders[EVENT_HEADERS.traceparent];
  if (traceparent) headers[EVENT_HEADERS.traceparent] = traceparent;
  const tracestate = traceHeaders[EVENT_HEADERS.tracestate];
  if (traceparent && tracestate) headers[EVENT_HEADERS.tracestate] = tracestate;
  return { topic, key: partitionKeyOf(event as LeadstreamEvent), value: serializeEvent(event), headers };
}

/** kafkajs headers (Buffers, sometimes arrays) as plain strings; the first value wins for repeated names. */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  if (!headers) return decoded;
  for (const [name, raw] of Object.entries(headers)) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value === null) continue;
    decoded[name] = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
  return decoded;
}

/** Where a consumed message came from, and why it is being dead-lettered. */
export interface DeadLetterSource {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly groupId: string;
  readonly reason: string;
}

/**
 * The dead-letter copy of a consumed message: the original key, value (bytes untouched, so it can be
 * replayed after a fix) and headers (trace context included), plus the dlq-* headers naming the reason
 * and the source position. dlq-* headers already on the message (a replayed dead letter) are replaced.
 */
export function deadLetterRecord(
  deadLetterTopic: string,
  message: { key: Buffer | string | null; value: Buffer | string | null; headers: Readonly<Record<string, string>> },
  source: DeadLetterSource,
): OutgoingRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (!name.startsWith('dlq-')) headers[name] = value;
  }
  headers[DEAD_LETTER_HEADERS.reason] = truncate(source.reason, MAX_REASON_LENGTH);
  headers[DEAD_LETTER_HEADERS.sourceTopic] = source.topic;
  headers[DEAD_LETTER_HEADERS.sourcePartition] = String(source.partition);
  headers[DEAD_LETTER_HEADERS.sourceOffset] = source.offset;
  headers[DEAD_LETTER_HEADERS.group] = source.groupId;
  return { topic: deadLetterTopic, key: message.key, value: message.value, headers };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
