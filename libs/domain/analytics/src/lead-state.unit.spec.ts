import type { EnrichedLead, LeadMergeRequested, LeadstreamEvent } from '@leadstream/contracts';
import {
  EventBuilder,
  aLead,
  aLeadAssignedEvent,
  aLeadEnrichedEvent,
  aLeadMergedEvent,
  aLeadQualifiedEvent,
  aLeadReceivedEvent,
  aLeadRejectedEvent,
  aLeadResolvedEvent,
  aLeadScoredEvent,
  aLeadUnmergedEvent,
  aNurtureEnrolledEvent,
  anActivityRecordedEvent,
  anEnrichedLead,
  testUuid,
} from '@leadstream/testing';
import { WrongLeadError, evolveLeadState, leadsChangedBy, projectLeadState } from './lead-state';

const LEAD = testUuid(1);
const MASTER = testUuid(2);
const OTHER = testUuid(3);
const ACCOUNT = testUuid(40);
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

describe('evolveLeadState for a lead without email', () => {
  const phoneOnly: EnrichedLead = { phone: '+442071838750', phoneAsTyped: '020 7183 8750', country: 'GB', source: 'trade-show' };

  it('given a lead known only by its phone, when it goes through the pipeline, then its state has no email and follows the funnel as any other', () => {
    const state = projectLeadState([
      aLeadReceivedEvent({ phone: '020 7183 8750', country: 'UK', source: 'trade-show' }).forLead(LEAD).at(at(0)).build(),
      aLeadEnrichedEvent(phoneOnly).forLead(LEAD).at(at(1)).build(),
      aLeadResolvedEvent(phoneOnly).forLead(LEAD).at(at(2)).build(),
      aLeadScoredEvent(phoneOnly).forLead(LEAD).at(at(3)).withDataPatch({ score: 40, grade: 'C' }).build(),
    ]);
    expect(state).toEqual({ leadId: LEAD, status: 'scored', score: 40, grade: 'C', source: 'trade-show', lastEventAt: at(3) });
    expect(state).not.toHaveProperty('email');
  });

  it('given a survivor without email, when it absorbs a lead with one, then it takes the record\'s email; when that lead is split off, then it has none again', () => {
    const withAda = { ...phoneOnly, email: 'ada@acme.example', emailDomain: 'acme.example', isFreeEmail: false };
    const merged = projectLeadState(
      [aLeadEnrichedEvent(phoneOnly).forLead(MASTER).at(at(1)).build(), aLeadMergedEvent(MASTER, [LEAD], withAda).at(at(2)).build()],
      MASTER,
    );
    expect(merged).toMatchObject({ email: 'ada@acme.example' });
    const split = evolveLeadState(merged, aLeadUnmergedEvent(LEAD, MASTER, withAda, phoneOnly).at(at(3)).build(), MASTER);
    expect(split).toMatchObject({ leadId: MASTER, status: 'new', lastEventAt: at(3) });
    expect(split).not.toHaveProperty('email');
  });
});



describe('evolveLeadState with merges', () => {
  const survivorRecord = { ...anEnrichedLead().withEmail('ada@acme.example').build(), accountId: ACCOUNT };

  it('lead.merged changes the survivor and every lead it absorbs, and nothing else', () => {
    const event = aLeadMergedEvent(MASTER, [LEAD, OTHER]).build();
    expect(leadsChangedBy(event)).toEqual([MASTER, LEAD, OTHER]);
    expect(leadsChangedBy(aLeadUnmergedEvent(LEAD, MASTER).build())).toEqual([LEAD, MASTER]);
    expect(leadsChangedBy(aLeadScoredEvent().forLead(LEAD).build())).toEqual([LEAD]);
  });

  it('given an assigned lead, when lead.merged absorbs it into another, then it is merged into the survivor and keeps what it had', () => {
    const merge = aLeadMergedEvent(MASTER, [LEAD], survivorRecord).at(at(10)).build();
    const state = evolveLeadState(projectLeadState(journey()), merge);
    expect(state).toEqual({
      leadId: LEAD,
      email: 'ada@example.com',
      status: 'merged',
      mergedInto: MASTER,
      statusBeforeMerge: 'assigned',
      score: 85,
      grade: 'A',
      stage: 'MQL',
      owner: { kind: 'rep', repId: 'ada-rep' },
      source: 'webinar',
      campaign: 'spring',
      lastEventAt: at(10),
    });
  });

  it('given a scored survivor, when it absorbs a lead, then it stays scored on the surviving record with its account', () => {
    const survivor = projectLeadState([aLeadScoredEvent(lead).forLead(MASTER).at(at(1)).withDataPatch({ score: 75, grade: 'A' }).build()]);
    const state = evolveLeadState(survivor, aLeadMergedEvent(MASTER, [LEAD], survivorRecord).at(at(2)).build());
    expect(state).toMatchObject({ leadId: MASTER, status: 'scored', score: 75, email: 'ada@acme.example', accountId: ACCOUNT, lastEventAt: at(2) });
    expect(state.mergedInto).toBeUndefined();
  });

  it('given a lead unknown so far, when a merge absorbs it, then its state starts merged', () => {
    const state = evolveLeadState(undefined, aLeadMergedEvent(MASTER, [LEAD]).at(at(3)).build(), LEAD);
    expect(state).toEqual({ leadId: LEAD, status: 'merged', mergedInto: MASTER, lastEventAt: at(3) });
  });

  it('given an absorbed lead, when its own later events arrive, then it stays merged', () => {
    const state = projectLeadState(
      [
        aLeadReceivedEvent().forLead(LEAD).at(at(0)).build(),
        aLeadMergedEvent(MASTER, [LEAD]).at(at(1)).build(),
        aLeadScoredEvent(lead).forLead(LEAD).at(at(2)).build(),
        aLeadAssignedEvent().forLead(LEAD).at(at(3)).build(),
      ],
      LEAD,
    );
    expect(state).toMatchObject({ status: 'merged', mergedInto: MASTER, lastEventAt: at(3) });
  });

  it('given an assigned lead merged into another, when it is unmerged, then it is assigned again with its own record and no mergedInto', () => {
    const own = { ...anEnrichedLead().withEmail('ada.split@example.com').build(), accountId: testUuid(41) };
    const state = projectLeadState(
      [...journey(), aLeadMergedEvent(MASTER, [LEAD]).at(at(10)).build(), aLeadUnmergedEvent(LEAD, MASTER, own).at(at(20)).build()],
      LEAD,
    );
    expect(state).toMatchObject({ status: 'assigned', email: 'ada.split@example.com', accountId: testUuid(41), owner: { kind: 'rep', repId: 'ada-rep' }, lastEventAt: at(20) });
    expect(state).not.toHaveProperty('mergedInto');
    expect(state).not.toHaveProperty('statusBeforeMerge');
  });

  it('given a duplicate enriched with its own email, when it is merged on arrival, then it keeps its email, not the surviving record\'s', () => {
    const survivingRecord = anEnrichedLead().withEmail('grace@acme.example').build();
    const state = projectLeadState([
      aLeadEnrichedEvent(lead).forLead(LEAD).at(at(1)).build(),
      aLeadResolvedEvent(survivingRecord).forLead(LEAD).merged(MASTER).at(at(2)).build(),
    ]);
    expect(state).toMatchObject({ status: 'merged', mergedInto: MASTER, email: 'ada@example.com' });
  });

  it('given a duplicate merged on arrival, when it is unmerged, then it is a new lead of its own', () => {
    const state = projectLeadState([
      aLeadReceivedEvent().forLead(LEAD).at(at(0)).build(),
      aLeadEnrichedEvent(lead).forLead(LEAD).at(at(1)).build(),
      aLeadResolvedEvent(lead).forLead(LEAD).merged(MASTER).at(at(2)).build(),
      aLeadUnmergedEvent(LEAD, MASTER, lead).at(at(3)).build(),
    ]);
    expect(state).toMatchObject({ status: 'new', email: 'ada@example.com' });
    expect(state?.mergedInto).toBeUndefined();
  });

  it('given a survivor, when a lead is split off it, then it keeps its status and takes the rebuilt record', () => {
    const rebuilt = { ...anEnrichedLead().withEmail('grace@acme.example').build(), accountId: ACCOUNT };
    const state = projectLeadState(
      [
        aLeadScoredEvent(lead).forLead(MASTER).at(at(1)).build(),
        aLeadMergedEvent(MASTER, [LEAD], survivorRecord).at(at(2)).build(),
        aLeadUnmergedEvent(LEAD, MASTER, lead, rebuilt).at(at(3)).build(),
      ],
      MASTER,
    );
    expect(state).toMatchObject({ leadId: MASTER, status: 'scored', email: 'grace@acme.example', accountId: ACCOUNT, lastEventAt: at(3) });
  });

  it('given a lead absorbed twice (A into B, then B with A into C), then it is merged into the last survivor', () => {
    const state = projectLeadState([aLeadMergedEvent(MASTER, [LEAD]).at(at(1)).build(), aLeadMergedEvent(OTHER, [MASTER, LEAD]).at(at(2)).build()], LEAD);
    expect(state).toMatchObject({ status: 'merged', mergedInto: OTHER });
  });

  it('takes the account of the record of lead.resolved, and keeps it when a later record has none', () => {
    const state = projectLeadState([
      aLeadResolvedEvent({ ...lead, accountId: ACCOUNT }).forLead(LEAD).at(at(1)).build(),
      aLeadScoredEvent(lead).forLead(LEAD).at(at(2)).build(),
    ]);
    expect(state).toMatchObject({ status: 'scored', accountId: ACCOUNT });
  });

  it('a merge or unmerge request only moves lastEventAt', () => {
    const before = projectLeadState(journey());
    const request = new EventBuilder<LeadMergeRequested>('lead.merge-requested', { leadIds: [LEAD, MASTER], requestedBy: 'ops-key' }).forLead(LEAD).at(at(40)).build();
    expect(evolveLeadState(before, request)).toEqual({ ...before, lastEventAt: at(40) });
  });

  it('refuses to fold a merge into a lead it does not concern', () => {
    expect(() => evolveLeadState(undefined, aLeadMergedEvent(MASTER, [LEAD]).build(), OTHER)).toThrow(WrongLeadError);
    expect(() => evolveLeadState(projectLeadState(journey()), aLeadMergedEvent(MASTER, [OTHER]).build())).toThrow(WrongLeadError);
  });
});
