// Scoring of merges and unmerges as a stage against PostgreSQL: lead.merged rescores the survivor on the
// merged record; lead.unmerged scores the split-off lead and rescores the former survivor; redelivery
// gives the same events; a lead reaches MQL once whatever event takes it there.
import { deriveEventId, type EnrichedLead } from '@leadstream/contracts';
import { DEMO_RULE_SET } from '@leadstream/domain-scoring';
import { declaredStage, fixedClock, StageUnderTest } from '@leadstream/platform-stage';
import { aLeadMergedEvent, aLeadResolvedEvent, aLeadUnmergedEvent, anEnrichedLead, nextLeadId } from '@leadstream/testing';
import { ruleSetRepository } from '../persistence/rule-set.repository';
import { SCORING_MIGRATIONS } from '../scoring.module';
import { LeadResolvedConsumer, type ScoringCause } from './lead-resolved.consumer';

jest.setTimeout(60_000);

const clock = fixedClock('2026-12-01T10:00:00.000Z');
let scoring: StageUnderTest<ScoringCause>;

beforeAll(async () => {
  scoring = await StageUnderTest.open({ schema: 'scoring', migrations: SCORING_MIGRATIONS, stage: declaredStage(new LeadResolvedConsumer(), 'handle'), clock });
  await scoring.dataSource.transaction((transaction) => ruleSetRepository.storeInitial(transaction, DEMO_RULE_SET));
});
afterAll(() => scoring?.close());

// a VP, in the US, at a 500-person company, who came by webinar: 20 + 10 + 15 + 10 = 55, grade B, MQL
const rich: EnrichedLead = { ...anEnrichedLead().withTitle('VP Sales').withSource('webinar').build(), seniority: 'vp', firmographics: { domain: 'acme-corp.com', employeeCount: 500 } };
// the same person typed in again at a free mailbox, titled 'Head of Revenue', no country, no source: -15 + 8 = -7, grade D
const sparse = anEnrichedLead().withFreeEmail().withTitle('Head of Revenue').withCountry(undefined).withSource(undefined).build();
// survivorship keeps the rich record and takes the sparse one's title: 55 + 8 = 63, grade B
const merged: EnrichedLead = { ...rich, title: 'Head of Revenue' };



async function scoreOf(leadId: string): Promise<{ score: number; grade: string; cause_event_id: string } | undefined> {
  const rows = await scoring.query<{ score: number; grade: string; cause_event_id: string }>(`SELECT score, grade, cause_event_id FROM scoring.lead_score WHERE lead_id = $1`, [leadId]);
  return rows[0];
}

async function stagesOf(leadId: string): Promise<string[]> {
  const rows = await scoring.query<{ stage: string }>(`SELECT stage FROM scoring.qualification WHERE lead_id = $1 ORDER BY stage`, [leadId]);
  return rows.map((row) => row.stage);
}

it('a lead scored 55 (B) that absorbs a sparse duplicate is rescored on the merged record, not the duplicate, and not qualified again', async () => {
  const [survivor, duplicate] = [nextLeadId(), nextLeadId()];
  await scoring.deliver([aLeadResolvedEvent(rich).forLead(survivor).build(), aLeadResolvedEvent(sparse).forLead(duplicate).build()]);
  expect(await scoreOf(survivor)).toMatchObject({ score: 55, grade: 'B' });
  expect(await scoreOf(duplicate)).toMatchObject({ score: -7, grade: 'D' });

  const merge = aLeadMergedEvent(survivor, [duplicate], merged).build();
  const out = await scoring.deliver([merge]);

  expect(out).toEqual([
    expect.objectContaining({
      type: 'lead.scored',
      metadata: expect.objectContaining({ leadId: survivor, eventId: deriveEventId(merge.metadata.eventId, 'scoring'), causationId: merge.metadata.eventId }),
      data: expect.objectContaining({ score: 63, grade: 'B', lead: merged }),
    }),
  ]);
  expect(await scoreOf(survivor)).toEqual({ score: 63, grade: 'B', cause_event_id: merge.metadata.eventId });
  expect(await stagesOf(survivor)).toEqual(['MQL']);
});

it('a merge that takes the survivor over the MQL threshold for the first time qualifies it, once however often it is delivered', async () => {
  const [survivor, duplicate] = [nextLeadId(), nextLeadId()];
  await scoring.deliver([aLeadResolvedEvent(sparse).forLead(survivor).build(), aLeadResolvedEvent(rich).forLead(duplicate).build()]);
  const merge = aLeadMergedEvent(survivor, [duplicate], merged).build();
  const first = await scoring.deliver([merge]);
  const again = await scoring.deliver([merge]);
  expect(first.map((event) => [event.type, event.metadata.leadId])).toEqual([
    ['lead.scored', survivor],
    ['lead.qualified', survivor],
  ]);
  expect(first[1]?.metadata.eventId).toBe(deriveEventId(merge.metadata.eventId, 'scoring.qualification'));
  expect(again).toEqual(first);
  expect(await stagesOf(survivor)).toEqual(['MQL']);
});

it('an unmerge scores the split-off lead on its own record under its own id and rescores the former survivor, with distinct ids', async () => {
  const [survivor, split] = [nextLeadId(), nextLeadId()];
  // the survivor (cold on its own) reached MQL only on the merged record; the split-off lead never lived long enough to be scored
  await scoring.deliver([aLeadResolvedEvent(sparse).forLead(survivor).build()]);
  await scoring.deliver([aLeadMergedEvent(survivor, [split], merged).build()]);
  const unmerge = aLeadUnmergedEvent(split, survivor, rich, sparse).build();
  const out = await scoring.deliver([unmerge]);

  expect(out.map((event) => [event.type, event.metadata.leadId, event.metadata.eventId, (event.data as { score: number }).score])).toEqual([
    ['lead.scored', split, deriveEventId(unmerge.metadata.eventId, 'scoring'), 55],
    ['lead.qualified', split, deriveEventId(unmerge.metadata.eventId, 'scoring.qualification'), 55],
    ['lead.scored', survivor, deriveEventId(unmerge.metadata.eventId, 'scoring.survivor'), -7],
  ]);
  expect(out.every((event) => event.metadata.causationId === unmerge.metadata.eventId)).toBe(true);
  expect(await scoreOf(split)).toMatchObject({ score: 55, grade: 'B', cause_event_id: unmerge.metadata.eventId });
  expect(await scoreOf(survivor)).toMatchObject({ score: -7, grade: 'D', cause_event_id: unmerge.metadata.eventId });
  expect(await stagesOf(split)).toEqual(['MQL']);
  expect(await stagesOf(survivor)).toEqual(['MQL']); // never downgraded

  clock.set('2026-12-01T10:05:00.000Z');
  expect(await scoring.deliver([unmerge])).toEqual(out); // a redelivery: the same events, occurredAt included
  clock.set('2026-12-01T10:00:00.000Z');
});

it('an unmerge and a rescore of the former survivor in two replicas at once: the former survivor is qualified once', async () => {
  const replica = await scoring.replica();
  let doubled = 0;
  for (let round = 0; round < 20; round += 1) {
    const [survivor, split] = [nextLeadId(), nextLeadId()];
    await scoring.deliver([aLeadResolvedEvent(sparse).forLead(survivor).build()]);
    const unmerge = aLeadUnmergedEvent(split, survivor, sparse, rich).build();
    const resolved = aLeadResolvedEvent(rich).merged(survivor).build();
    const [a, b] = await Promise.all([scoring.deliver([unmerge], 'live'), replica.deliver([resolved], 'bulk')]);
    const qualified = [...a, ...b].filter((event) => event.type === 'lead.qualified' && event.metadata.leadId === survivor);
    if (qualified.length !== 1 || (await stagesOf(survivor)).length !== 1) doubled += 1;
  }
  expect(doubled).toBe(0);
});
