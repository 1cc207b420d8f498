import { parseEvent, TOPICS } from '@leadstream/contracts';
import { aLeadEnrichedEvent, aLeadReceivedEvent, aLeadResolvedEvent, nextLeadId, resetTestIds } from '@leadstream/testing';
import { deadLetterRecord, decodeHeaders, eventRecord, MAX_REASON_LENGTH } from './message-headers';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

beforeEach(() => resetTestIds());

describe('eventRecord', () => {
  it('keys the message by lead id, carries the envelope as JSON and the ids as headers', () => {
    const received = aLeadReceivedEvent().build();
    const enriched = aLeadEnrichedEvent().causedBy(received, 'enrichment').build();

    const record = eventRecord(TOPICS.leadEnriched, enriched, { traceparent: TRACEPARENT, tracestate: 'vendor=1' });

    expect(record.topic).toBe('lead.enriched.v1');
    expect(record.key).toBe(received.metadata.leadId);
    expect(parseEvent(record.value)).toEqual(enriched);
    expect(record.headers).toEqual({
      'event-type': 'lead.enriched',
      'event-id': enriched.metadata.eventId,
      'correlation-id': received.metadata.eventId,
      'causation-id': received.metadata.eventId,
      traceparent: TRACEPARENT,
      tracestate: 'vendor=1',
    });
  });

  it('keys a merged lead.resolved by the surviving lead, so it shares the partition of that lead\'s events', () => {
    const master = nextLeadId();
    const record = eventRecord(TOPICS.leadResolved, aLeadResolvedEvent().merged(master).build(), {});
    expect(record.key).toBe(master);
  });

  it('omits causation-id for an edge event and trace headers when there is no trace', () => {
    const received = aLeadReceivedEvent().build();
    const record = eventRecord(TOPICS.leadReceived, received, {});
    expect(record.headers).toEqual({
      'event-type': 'lead.received',
      'event-id': received.metadata.eventId,
      'correlation-id': received.metadata.eventId,
    });
  });

  it('keeps only the W3C trace headers from the propagator (no baggage leaks onto every message)', () => {
    const record = eventRecord(TOPICS.leadReceived, aLeadReceivedEvent().build(), { traceparent: TRACEPARENT, baggage: 'user=42' });
    expect(record.headers['traceparent']).toBe(TRACEPARENT);
    expect(record.headers).not.toHaveProperty('baggage');
    // tracestate without a traceparent means nothing and is dropped
    expect(eventRecord(TOPICS.leadReceived, aLeadReceivedEvent().build(), { tracestate: 'a=b' }).headers).not.toHaveProperty('tracestate');
  });
});

describe('decodeHeaders', () => {
  it('turns kafkajs Buffers and arrays into strings, skipping empty values', () => {
    expect(
      decodeHeaders({
        traceparent: Buffer.from(TRACEPARENT),
        'event-type': 'lead.received',
        repeated: [Buffer.from('first'), Buffer.from('second')],
        missing: undefined,
      }),
    ).toEqual({ traceparent: TRACEPARENT, 'event-type': 'lead.received', repeated: 'first' });
    expect(decodeHeaders(undefined)).toEqual({});
  });
});

describe('deadLetterRecord', () => {
  const source = { topic: 'lead.received.v1', partition: 7, offset: '42', groupId: 'leadstream-enrichment', reason: 'event is not valid JSON' };

  it('keeps the original key, bytes and headers and adds the reason and source position', () => {
    const value = Buffer.from('{not json');
    const record = deadLetterRecord(
      'leadstream-enrichment.dlq.v1',
      { key: Buffer.from('lead-1'), value, headers: { traceparent: TRACEPARENT, 'event-id': 'e1' } },
      source,
    );
    expect(record.topic).toBe('leadstream-enrichment.dlq.v1');
    expect(record.key).toEqual(Buffer.from('lead-1'));
    expect(record.value).toBe(value);
    expect(record.headers).toEqual({
      traceparent: TRACEPARENT,
      'event-id': 'e1',
      'dlq-reason': 'event is not valid JSON',
      'dlq-source-topic': 'lead.received.v1',
      'dlq-source-partition': '7',
      'dlq-source-offset': '42',
      'dlq-group': 'leadstream-enrichment',
    });
  });

  it('replaces the dlq headers of a replayed dead letter and cuts an overlong reason', () => {
    const record = deadLetterRecord(
      'g.dlq.v1',
      { key: null, value: null, headers: { 'dlq-reason': 'old', 'dlq-source-offset': '1' } },
      { ...source, reason: 'x'.repeat(5_000) },
    );
    expect(record.headers['dlq-source-offset']).toBe('42');
    expect(record.headers['dlq-reason']).toHaveLength(MAX_REASON_LENGTH);
    expect(record.headers['dlq-reason']?.endsWith('…')).toBe(true);
  });
});
