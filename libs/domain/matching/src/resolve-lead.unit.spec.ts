import type { EnrichedLead } from '@leadstream/contracts';
import { anEnrichedLead, scenarioFor, testUuid } from '@leadstream/testing';
import { resolveLead, type KnownLeads, type ResolveLead } from './resolve-lead';

const INCOMING = testUuid(2);
const MASTER = testUuid(1);

// The state dedupe keeps is "master lead id per mailbox key"; the history is the leads it has seen.
const { given, givenState } = scenarioFor<ResolveLead, KnownLeads, ReturnType<typeof resolveLead>>({
  initialState: { masterLeadIdForEmail: undefined },
  decide: resolveLead,
});

function command(lead: EnrichedLead = anEnrichedLead().build(), leadId = INCOMING): ResolveLead {
  return { lead, leadId };
}

describe('resolveLead', () => {
  it('given no lead with this email, when a lead arrives, then it is new and its own master', () => {
    given([]).when(command()).then({ outcome: 'new', masterLeadId: INCOMING });
  });

  it('given a known lead with this email, when another arrives, then it is merged into the known one', () => {
    givenState({ masterLeadIdForEmail: MASTER }).when(command()).then({ outcome: 'merged', masterLeadId: MASTER, matchedOn: 'email' });
  });

  it('given the lead itself was stored under the key, when its event is redelivered, then it is still new', () => {
    givenState({ masterLeadIdForEmail: INCOMING }).when(command()).then({ outcome: 'new', masterLeadId: INCOMING });
  });

  it('given any state, when the lead has no email, then DEDUPE.NO_MATCH_KEY', () => {
    const noEmail = { ...anEnrichedLead().build(), email: '  ' };
    givenState({ masterLeadIdForEmail: MASTER }).when(command(noEmail)).thenThrows('DEDUPE.NO_MATCH_KEY');
  });
});
