import { parseEvent } from '@leadstream/contracts';
import { leadRejectedEvent } from './lead-rejection';

describe('leadRejectedEvent', () => {
  it('carries the reasons, channel, source and form, and passes the lead.rejected contract', () => {
    const event = leadRejectedEvent([{ field: 'email', message: 'email has no @' }], { channel: 'form', source: ' webinar ', formId: 'spring' });
    expect(() => parseEvent(event)).not.toThrow();
    expect(event.data).toEqual({ reasons: [{ field: 'email', message: 'email has no @' }], channel: 'form', source: 'webinar', formId: 'spring' });
    expect(event.metadata.causationId).toBeNull();
  });

  it('keeps the event valid for hostile input: many reasons are summarised, long texts clipped, a non-text source dropped', () => {
    const reasons = Array.from({ length: 5000 }, (_, index) => ({ field: `f${index}`, message: 'x'.repeat(5000) }));
    const event = leadRejectedEvent(reasons, { channel: 'batch', source: { not: 'text' } });
    expect(() => parseEvent(event)).not.toThrow();
    expect(event.data.reasons).toHaveLength(101);
    expect(event.data.reasons[100]).toEqual({ field: '', message: 'and 4900 more problems' });
    expect(event.data.reasons[0]!.message.length).toBeLessThanOrEqual(1000);
    expect(event.data.source).toBeUndefined();
  });
});
