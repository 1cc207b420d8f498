import { isUuid, namesSomeone, parseEvent } from '@leadstream/contracts';
import {
  aLead,
  aLeadAssignedEvent,
  aLeadEnrichedEvent,
  aLeadQualifiedEvent,
  aLeadReceivedEvent,
  aLeadRejectedEvent,
  aLeadResolvedEvent,
  aLeadScoredEvent,
  aNurtureEnrolledEvent,
  anActivityRecordedEvent,
  anEnrichedLead,
  resetTestIds,
  scenarioFor,
  testUuid,
} from './index';

describe('test ids', () => {
  beforeEach(resetTestIds);

  it('are valid UUIDs that repeat after a reset', () => {
    const first = aLeadReceivedEvent().build();
    resetTestIds();
    const again = aLeadReceivedEvent().build();
    expect(isUuid(first.metadata.eventId)).toBe(true);
    expect(isUuid(first.metadata.leadId)).toBe(true);
    expect(again.metadata).toEqual(first.metadata);
    expect(testUuid(255)).toBe('00000000-0000-4000-8000-0000000000ff');
  });
});

describe('event builders', () => {
  it.each([
    ['lead.received', () => aLeadReceivedEvent().build()],
    ['lead.rejected', () => aLeadRejectedEvent().build()],
    ['lead.enriched', () => aLeadEnrichedEvent().build()],
    ['lead.resolved new', () => aLeadResolvedEvent().build()],
    ['lead.resolved merged', () => aLeadResolvedEvent().merged(testUuid(9)).build()],
    ['lead.scored', () => aLeadScoredEvent().build()],
    ['lead.qualified', () => aLeadQualifiedEvent().build()],
    ['lead.assigned', () => aLeadAssignedEvent().build()],
    ['activity.recorded', () => anActivityRecordedEvent().build()],
    ['nurture.enrolled', () => aNurtureEnrolledEvent().build()],
  ])('%s builds an event the contract accepts', (_name, build) => {
    const event = build();
    expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('causedBy chains lead, correlation and causation like reactTo', () => {
    const received = aLeadReceivedEvent().build();
    const enriched = aLeadEnrichedEvent().causedBy(received, 'enrichment').build();
    expect(enriched.metadata).toMatchObject({
      leadId: received.metadata.leadId,
      correlationId: received.metadata.eventId,
      causationId: received.metadata.eventId,
    });
    expect(enriched.metadata.eventId).not.toBe(received.metadata.eventId);
  });

  it('a merged resolution points at the master lead, a new one at itself', () => {
    const fresh = aLeadResolvedEvent().forLead(testUuid(1)).build();
    const duplicate = aLeadResolvedEvent().forLead(testUuid(2)).merged(testUuid(1)).build();
    expect(fresh.data).toMatchObject({ outcome: 'new', masterLeadId: testUuid(1) });
    expect(duplicate.data).toMatchObject({ outcome: 'merged', masterLeadId: testUuid(1), matchedOn: 'email' });
  });
});

describe('lead builders', () => {
  it('aLead overrides and drops fields', () => {
    const lead = aLead().withEmail('x@y.io').withTitle('CTO').without('phone', 'company').build();
    expect(lead).toMatchObject({ email: 'x@y.io', title: 'CTO' });
    expect(lead).not.toHaveProperty('company');
  });

  it('anEnrichedLead keeps the email-derived fields consistent', () => {
    expect(anEnrichedLead().withEmail(' Bob@Gmail.com ').build()).toMatchObject({
      email: 'bob@gmail.com',
      emailDomain: 'gmail.com',
      isFreeEmail: true,
    });
    expect(anEnrichedLead().withEmail(' Bob@Gmail.com ').build()).not.toHaveProperty('companyDomain');
    expect(anEnrichedLead().withEmail('bob@initech.com').build()).toMatchObject({ companyDomain: 'initech.com', isFreeEmail: false });
  });

  it('withoutEmail builds a lead that came without one, which still passes the contracts', () => {
    const submitted = aLead().withoutEmail().build();
    expect(submitted).not.toHaveProperty('email');
    expect(namesSomeone(submitted)).toBe(true);
    const enriched = anEnrichedLead().withoutEmail().build();
    for (const key of ['email', 'emailDomain', 'isFreeEmail', 'isDisposableEmail', 'companyDomain']) expect(enriched).not.toHaveProperty(key);
    expect(() => parseEvent(aLeadEnrichedEvent(enriched).build())).not.toThrow();
  });
});

describe('scenarioFor', () => {
  // A counter decider: the events are increments, the command asks whether a limit is reached.
  const { given, givenState } = scenarioFor({
    initialState: 0,
    evolve: (state: number, event: number) => state + event,
    decide: (limit: number, state: number) => {
      if (limit < 0) throw Object.assign(new Error('negative'), { code: 'TEST.NEGATIVE' });
      return { reached: state >= limit };
    },
  });

  it('folds the history before deciding', () => {
    given([2, 3]).when(5).then({ reached: true });
    given([2]).when(5).then({ reached: false });
    givenState(7).when(5).thenMatches({ reached: true });
  });

  it('fails when the outcome differs', () => {
    expect(() => given([1]).when(5).then({ reached: true })).toThrow();
    expect(() => given([1]).when(5).thenThrows('TEST.NEGATIVE')).toThrow();
  });

  it('checks the code of a thrown domain error', () => {
    given([]).when(-1).thenThrows('TEST.NEGATIVE');
    expect(() => given([]).when(-1).thenThrows('OTHER.CODE')).toThrow();
  });
});
