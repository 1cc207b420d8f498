import type { LeadstreamEvent } from './events';
import { partitionKeyOf } from './partition-key';

const MASTER = '11111111-1111-4111-8111-111111111111';
const DUPLICATE = '22222222-2222-4222-8222-222222222222';
const lead = { email: 'ada@example.com', emailDomain: 'example.com', isFreeEmail: false };

function event(type: LeadstreamEvent['type'], leadId: string, data: object = {}): LeadstreamEvent {
  const metadata = { eventId: '33333333-3333-4333-8333-333333333333', leadId, occurredAt: '2026-01-01T00:00:00.000Z', correlationId: 'c', causationId: null };
  return { type, version: 1, data, metadata } as LeadstreamEvent;
}

describe('partitionKeyOf', () => {
  it('keys a merged lead.resolved by the surviving lead, not the incoming one', () => {
    const resolved = event('lead.resolved', DUPLICATE, { outcome: 'merged', masterLeadId: MASTER, matchedOn: 'email', lead });
    expect(partitionKeyOf(resolved)).toBe(MASTER);
  });

  it('keys a new lead.resolved by its own lead (it is the survivor)', () => {
    expect(partitionKeyOf(event('lead.resolved', MASTER, { outcome: 'new', masterLeadId: MASTER, lead }))).toBe(MASTER);
  });

  it('keys events before resolution by the incoming lead and later ones by the lead they name', () => {
    expect(partitionKeyOf(event('lead.received', DUPLICATE))).toBe(DUPLICATE);
    expect(partitionKeyOf(event('lead.enriched', DUPLICATE))).toBe(DUPLICATE);
    expect(partitionKeyOf(event('lead.scored', MASTER))).toBe(MASTER);
    expect(partitionKeyOf(event('lead.assigned', MASTER))).toBe(MASTER);
  });

  it('puts a merged journey after resolution on one key, the surviving lead', () => {
    const journey = [
      event('lead.resolved', DUPLICATE, { outcome: 'merged', masterLeadId: MASTER, lead }),
      event('lead.scored', MASTER),
      event('lead.qualified', MASTER),
      event('lead.assigned', MASTER),
      event('nurture.enrolled', MASTER),
    ];
    expect(new Set(journey.map(partitionKeyOf))).toEqual(new Set([MASTER]));
  });
});
