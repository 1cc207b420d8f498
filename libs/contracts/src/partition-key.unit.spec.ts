import { aLeadAssignedEvent, aLeadEnrichedEvent, aLeadReceivedEvent, aLeadResolvedEvent, aLeadScoredEvent, nextLeadId } from '@leadstream/testing';
import { partitionKeyOf } from './partition-key';

describe('partitionKeyOf', () => {
  it('keys a merged lead.resolved by the surviving lead, not the incoming one', () => {
    const master = nextLeadId();
    const incoming = nextLeadId();
    const event = aLeadResolvedEvent().forLead(incoming).merged(master).build();
    expect(partitionKeyOf(event)).toBe(master);
    expect(event.metadata.leadId).toBe(incoming);
  });

  it('keys a new lead.resolved by its own lead (it is the survivor)', () => {
    const lead = nextLeadId();
    expect(partitionKeyOf(aLeadResolvedEvent().forLead(lead).build())).toBe(lead);
  });

  it('keys events before resolution by the incoming lead and after it by metadata.leadId', () => {
    const lead = nextLeadId();
    expect(partitionKeyOf(aLeadReceivedEvent().forLead(lead).build())).toBe(lead);
    expect(partitionKeyOf(aLeadEnrichedEvent().forLead(lead).build())).toBe(lead);
    expect(partitionKeyOf(aLeadScoredEvent().forLead(lead).build())).toBe(lead);
    expect(partitionKeyOf(aLeadAssignedEvent().forLead(lead).build())).toBe(lead);
  });

  it('puts every event of a merged journey on the partition of the surviving lead', () => {
    const master = nextLeadId();
    const duplicate = nextLeadId();
    const resolved = aLeadResolvedEvent().forLead(duplicate).merged(master).build();
    const scored = aLeadScoredEvent().causedBy(resolved, 'scoring').forLead(master).build();
    expect(new Set([partitionKeyOf(resolved), partitionKeyOf(scored), partitionKeyOf(aLeadAssignedEvent().forLead(master).build())])).toEqual(new Set([master]));
  });
});
