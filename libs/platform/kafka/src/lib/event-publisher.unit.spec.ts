import { LEADSTREAM_NAMESPACE, newEdgeEvent, uuidV5, type EventEnvelope, type LeadReceived } from '@leadstream/contracts';
import { EventPublisher } from './event-publisher';
import { PermanentError } from './errors';

// toRecord needs no broker: the publisher is made but never connected.
const publisher = new EventPublisher({ brokers: ['127.0.0.1:1'], clientId: 'event-publisher-unit' });

function received(line: number, email = `lead${line}@example.com`): EventEnvelope {
  return newEdgeEvent<LeadReceived>({
    type: 'lead.received',
    data: { lead: { email }, channel: 'csv', importId: '3f2b8c1e-9a4d-4e6f-8b21-5c7d9e0f1a2b', line },
    eventId: uuidV5(`unit:${line}:event`, LEADSTREAM_NAMESPACE),
    leadId: uuidV5(`unit:${line}:lead`, LEADSTREAM_NAMESPACE),
    occurredAt: '2026-11-23T10:00:00.000Z',
  });
}

describe('EventPublisher.toRecord', () => {
  it('gives the record publish() sends: topic of the type, lead id as key, the JSON envelope, id headers', () => {
    const event = received(7);
    const record = publisher.toRecord(event);
    expect(record.topic).toBe('lead.received.v1');
    expect(record.key).toBe(event.metadata.leadId);
    expect(JSON.parse(String(record.value))).toEqual(event);
    expect(record.headers).toMatchObject({ 'event-type': 'lead.received', 'event-id': event.metadata.eventId, 'correlation-id': event.metadata.correlationId });
  });

  it('refuses an event that breaks its contract with a PermanentError naming the event and the field', () => {
    const event = received(8, 'not-an-email');
    expect(() => publisher.toRecord(event)).toThrow(PermanentError);
    expect(() => publisher.toRecord(event)).toThrow(new RegExp(`cannot publish lead.received ${event.metadata.eventId}: .*data.lead.email`));
  });

  it('gives each event its own headers object even when the trace context is shared', () => {
    const first = publisher.toRecord(received(1));
    const second = publisher.toRecord(received(2));
    expect(first.headers).not.toBe(second.headers);
    expect(first.headers['event-id']).not.toBe(second.headers['event-id']);
  });
});
