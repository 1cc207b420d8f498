import { newEdgeEvent, reactTo } from './build-event';
import { deriveEventId } from './event-ids';
import type { LeadEnriched, LeadReceived, LeadScored } from './events';
import { parseEvent } from './parse-event';

const EVENT_ID = '11111111-1111-4111-8111-111111111111';
const LEAD_ID = '22222222-2222-4222-8222-222222222222';
const MASTER_ID = '33333333-3333-4333-8333-333333333333';
const AT = '2026-03-01T10:00:00.000Z';

function received(): LeadReceived {
  return newEdgeEvent<LeadReceived>({
    type: 'lead.received',
    data: { lead: { email: 'Ada@Example.com' }, channel: 'api' },
    eventId: EVENT_ID,
    leadId: LEAD_ID,
    occurredAt: AT,
  });
}

describe('newEdgeEvent', () => {
  it('starts a journey: no cause, correlated to itself, current version', () => {
    const event = received();
    expect(event).toEqual({
      type: 'lead.received',
      version: 1,
      data: { lead: { email: 'Ada@Example.com' }, channel: 'api' },
      metadata: { eventId: EVENT_ID, leadId: LEAD_ID, occurredAt: AT, correlationId: EVENT_ID, causationId: null },
    });
    expect(parseEvent(event)).toBe(event);
  });

  it('keeps a correlation id handed in by the edge', () => {
    const event = newEdgeEvent<LeadReceived>({
      type: 'lead.received',
      data: { lead: { email: 'ada@example.com' }, channel: 'csv' },
      eventId: EVENT_ID,
      leadId: LEAD_ID,
      occurredAt: AT,
      correlationId: MASTER_ID,
    });
    expect(event.metadata.correlationId).toBe(MASTER_ID);
  });
});

describe('reactTo', () => {
  const lead = { email: 'ada@example.com', emailDomain: 'example.com', isFreeEmail: false };

  it('derives the id from the cause and the stage, and chains correlation and causation', () => {
    const cause = received();
    const enriched = reactTo<LeadEnriched>(cause, 'enrichment', { type: 'lead.enriched', data: { lead }, occurredAt: AT });
    expect(enriched.metadata).toEqual({
      eventId: deriveEventId(EVENT_ID, 'enrichment'),
      leadId: LEAD_ID,
      occurredAt: AT,
      correlationId: EVENT_ID,
      causationId: EVENT_ID,
    });
    expect(parseEvent(enriched)).toBe(enriched);
  });

  it('a retry builds an identical event', () => {
    const next = { type: 'lead.enriched' as const, data: { lead }, occurredAt: AT };
    expect(reactTo<LeadEnriched>(received(), 'enrichment', next)).toEqual(reactTo<LeadEnriched>(received(), 'enrichment', next));
  });

  it('moves later events onto the master lead when told', () => {
    const scored = reactTo<LeadScored>(received(), 'scoring', {
      type: 'lead.scored',
      data: { score: 10, grade: 'C', ruleSetVersion: 'v1', reasons: [], lead },
      occurredAt: AT,
      leadId: MASTER_ID,
    });
    expect(scored.metadata.leadId).toBe(MASTER_ID);
    expect(scored.metadata.correlationId).toBe(EVENT_ID);
  });

  it('refuses an unknown type', () => {
    expect(() => reactTo(received(), 'x', { type: 'lead.lost' as never, data: {} as never, occurredAt: AT })).toThrow(/lead\.lost/);
  });
});
