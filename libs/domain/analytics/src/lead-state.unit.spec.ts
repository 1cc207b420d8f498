import type { LeadstreamEvent } from '@leadstream/contracts';
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
  testUuid,
} from '@leadstream/testing';
import { WrongLeadError, evolveLeadState, projectLeadState } from './lead-state';

const LEAD = testUuid(1);
const MASTER = testUuid(2);
const lead = anEnrichedLead().withEmail('ada@example.com').withSource('webinar').withCampaign('spring').build();

function at(minute: number): string {
  return `2026-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
}

function journey(): LeadstreamEvent[] {
  return [
    aLeadReceivedEvent(aLead().withEmail(' Ada@Example.com ').withSource('webinar').build()).forLead(LEAD).at(at(0)).build(),
    aLeadEnrichedEvent(lead).forLead(LEAD).at(at(1)).build(),
    aLeadResolvedEvent(lead).forLead(LEAD).at(at(2)).build(),
    aLeadScoredEvent(lead).forLead(LEAD).at(at(3)).withDataPatch({ score: 85, grade: 'A' }).build(),
    aLeadQualifiedEvent().forLead(LEAD).at(at(4)).withDataPatch({ stage: 'MQL', score: 85 }).build(),
    aLeadAssignedEvent().forLead(LEAD).at(at(5)).withDataPatch({ assignee: { kind: 'rep', repId: 'ada-rep' }, score: 85, grade: 'A' }).build(),
  ];
}

describe('evolveLeadState', () => {
  it('given a lead that went through the whole pipeline, then it is assigned with its score, grade and owner', () => {
    expect(projectLeadState(journey())).toEqual({
      leadId: LEAD,
      email: 'ada@example.com',
      status: 'assigned',
      score: 85,
      grade: 'A',
      stage: 'MQL',
      owner: { kind: 'rep', repId: 'ada-rep' },
      source: 'webinar',
      campaign: 'spring',
      lastEventAt: at(5),
    });
  });

  it.each([
    [1, 'received'],
    [2, 'enriched'],
    [3, 'new'],
    [4, 'scored'],
    [5, 'MQL'],
  ] as const)('after the first %d events the status is %s', (count, status) => {
    expect(projectLeadState(journey().slice(0, count))?.status).toBe(status);
  });

  it('given a duplicate, then it is merged into the surviving lead', () => {
    const state = projectLeadState([
      aLeadReceivedEvent().forLead(LEAD).build(),
      aLeadResolvedEvent(lead).forLead(LEAD).merged(MASTER).build(),
    ]);
    expect(state).toMatchObject({ status: 'merged', mergedInto: MASTER });
  });

  it('given an assigned lead, when a rescore arrives, then it stays assigned but shows the new score', () => {
    const state = projectLeadState([...journey(), aLeadScoredEvent(lead).forLead(LEAD).at(at(9)).withDataPatch({ score: 95, grade: 'A' }).build()]);
    expect(state).toMatchObject({ status: 'assigned', score: 95, lastEventAt: at(9) });
  });

  it('given a late event, then the status does not go backwards and lastEventAt keeps the latest time', () => {
    const [received, enriched, resolved] = journey();
    const state = projectLeadState([received, resolved, enriched]);
    expect(state).toMatchObject({ status: 'new', lastEventAt: at(2) });
  });

  it('given an SQL lead, when an MQL arrives late, then the stage stays SQL', () => {
    const state = projectLeadState([
      aLeadQualifiedEvent().forLead(LEAD).withDataPatch({ stage: 'SQL' }).build(),
      aLeadQualifiedEvent().forLead(LEAD).withDataPatch({ stage: 'MQL' }).build(),
    ]);
    expect(state).toMatchObject({ status: 'SQL', stage: 'SQL' });
  });

  it('given a lead routed to the nurture queue, when it is enrolled, then it is nurturing', () => {
    const state = projectLeadState([
      ...journey().slice(0, 4),
      aLeadAssignedEvent().forLead(LEAD).withDataPatch({ assignee: { kind: 'queue', queueId: 'nurture' } }).build(),
      aNurtureEnrolledEvent().forLead(LEAD).withDataPatch({ sequenceId: 'welcome-v1' }).build(),
    ]);
    expect(state).toMatchObject({ status: 'nurturing', owner: { kind: 'queue', queueId: 'nurture' }, nurtureSequenceId: 'welcome-v1' });
  });

  it('given a rejected lead, then it stays rejected', () => {
    const state = projectLeadState([aLeadRejectedEvent().forLead(LEAD).build(), anActivityRecordedEvent().forLead(LEAD).build()]);
    expect(state?.status).toBe('rejected');
  });

  it('an activity only moves lastEventAt', () => {
    const before = projectLeadState(journey());
    const after = evolveLeadState(before, anActivityRecordedEvent().forLead(LEAD).at(at(30)).build());
    expect(after).toEqual({ ...before, lastEventAt: at(30) });
  });

  it("refuses to fold another lead's event into this lead", () => {
    const state = projectLeadState(journey());
    expect(() => evolveLeadState(state, aLeadScoredEvent().forLead(MASTER).build())).toThrow(WrongLeadError);
  });

  it('has no state without events', () => {
    expect(projectLeadState([])).toBeUndefined();
  });
});
