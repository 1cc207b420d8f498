// Scoring with activities, as two stages of one service against PostgreSQL: activity.recorded attributed
// by lead id or by email, kept until its lead arrives, counted for the survivor after a merge, once per
// event; redelivery, two replicas at once, and a crash between commit and publish.
import { deriveEventId, type ActivityKind, type ActivityRecorded, type EnrichedLead, type EventEnvelope, type LeadScored, type ScoreReason } from '@leadstream/contracts';
import { DEMO_RULE_SET } from '@leadstream/domain-scoring';
import { classifyError } from '@leadstream/platform-kafka';
import { declaredStage, fixedClock, KILLED_BEFORE_PUBLISHING, StageUnderTest } from '@leadstream/platform-stage';
import { aLeadMergedEvent, aLeadResolvedEvent, anActivityRecordedEvent, anEnrichedLead, nextLeadId } from '@leadstream/testing';
import { ruleSetRepository } from '../persistence/rule-set.repository';
import { SCORING_MIGRATIONS } from '../scoring.module';
import { ActivityRecordedConsumer } from './activity-recorded.consumer';
import { LeadResolvedConsumer, type ScoringCause } from './lead-resolved.consumer';

jest.setTimeout(120_000);

const NOW = '2026-12-01T10:00:00.000Z';
const clock = fixedClock(NOW);
let activities: StageUnderTest<ActivityRecorded>;
let leads: StageUnderTest<ScoringCause>;

beforeAll(async () => {
  activities = await StageUnderTest.open({ schema: 'scoring', migrations: SCORING_MIGRATIONS, stage: declaredStage(new ActivityRecordedConsumer(), 'handle'), clock });
  leads = await activities.otherStage(declaredStage(new LeadResolvedConsumer(), 'handle'));
  await activities.dataSource.transaction((transaction) => ruleSetRepository.storeInitial(transaction, DEMO_RULE_SET));
});
afterAll(() => activities?.close());

let people = 0;
/** A VP in the US at a 500-person company who came by webinar: 20 + 10 + 15 + 10 = 55 with the demo set (B, MQL); an address of its own. */
function aHotLead(): EnrichedLead {
  people += 1;
  const lead = anEnrichedLead().withEmail(`ana.${people}@northwind.example`).withTitle('VP Sales').withSource('webinar').build();
  return { ...lead, seniority: 'vp', firmographics: { domain: 'northwind.example', employeeCount: 500 } };
}

/** An activity done now (no decay) by the lead with this id. */
function byId(leadId: string, kind: ActivityKind = 'email_opened'): ActivityRecorded {
  return anActivityRecordedEvent().forLead(leadId).withDataPatch({ kind, at: NOW }).build();
}

/** An activity done now that named its lead by email (metadata.leadId is then provisional, as ingestion sends it). */
function byEmail(email: string, kind: ActivityKind = 'email_opened'): ActivityRecorded {
  return anActivityRecordedEvent().withDataPatch({ kind, at: NOW, email }).build();
}

/**
 * Delivers as the Kafka consumer does: a transient failure (an activity that found its survivor locked
 * by a lead event waiting for the activity's own key) is retried, and only what succeeds is published.
 */
async function deliverRetrying<E extends ActivityRecorded | ScoringCause>(stage: StageUnderTest<E>, events: readonly E[], lane: 'live' | 'bulk' = 'live'): Promise<EventEnvelope[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await stage.deliver(events, lane);
    } catch (error) {
      if (classifyError(error) !== 'transient' || attempt === 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

function scored(events: readonly EventEnvelope[]): LeadScored[] {
  return events.filter((event): event is LeadScored => event.type === 'lead.scored');
}

function reason(event: LeadScored | undefined, rule: string): ScoreReason | undefined {
  return event?.data.reasons.find((item) => item.rule === rule);
}

async function scoreOf(leadId: string): Promise<{ score: number; reasons: ScoreReason[] } | undefined> {
  const [row] = await activities.query<{ score: number; reasons: ScoreReason[] }>(`SELECT score, reasons FROM scoring.lead_score WHERE lead_id = $1`, [leadId]);
  return row;
}

it('given a lead scored 55, when it opens an email (named by its id), then it is rescored 56 and the reason names the activity', async () => {
  const lead = nextLeadId();
  await leads.deliver([aLeadResolvedEvent(aHotLead()).forLead(lead).build()]);
  const opened = byId(lead);

  const out = await activities.deliver([opened]);

  expect(out).toEqual([
    expect.objectContaining({
      type: 'lead.scored',
      metadata: expect.objectContaining({ leadId: lead, eventId: deriveEventId(opened.metadata.eventId, 'scoring'), causationId: opened.metadata.eventId, occurredAt: NOW }),
      data: expect.objectContaining({ score: 56, grade: 'B', ruleSetVersion: '1' }),
    }),
  ]);
  expect(reason(scored(out)[0], 'email-opened')).toEqual({ rule: 'email-opened', points: 1, kind: 'engagement', activityIds: [opened.metadata.eventId], activityCount: 1 });
  expect(await scoreOf(lead)).toMatchObject({ score: 56, reasons: scored(out)[0]?.data.reasons });
});

it('given a lead and a newcomer merged into it on its email, when an activity names that email, then the surviving lead is rescored', async () => {
  const [survivor, newcomer] = [nextLeadId(), nextLeadId()];
  const record = aHotLead();
  await leads.deliver([aLeadResolvedEvent(record).forLead(survivor).build()]);
  await leads.deliver([aLeadResolvedEvent(record).forLead(newcomer).merged(survivor).build()]);

  const out = await activities.deliver([byEmail(record.email!.toUpperCase(), 'meeting_booked')]);

  // 55 + 30 = 85: the SQL threshold of the demo set
  expect(out.map((event) => [event.type, event.metadata.leadId, (event.data as { score?: number; stage?: string }).stage ?? (event.data as { score: number }).score])).toEqual([
    ['lead.scored', survivor, 85],
    ['lead.qualified', survivor, 'SQL'],
  ]);
  expect(await scoreOf(newcomer)).toBeUndefined();
});

it('given an activity whose lead is not known yet, by email or by id, when the lead arrives, then the activity is counted', async () => {
  const record = aHotLead();
  const byAddress = byEmail(record.email!, 'content_downloaded');
  const lead = nextLeadId();
  const byLeadId = byId(lead, 'email_clicked');
  expect(await activities.deliver([byAddress, byLeadId])).toEqual([]); // nothing to score yet: kept

  const out = await leads.deliver([aLeadResolvedEvent(record).forLead(lead).build()]);

  const [event] = scored(out);
  expect(event?.data.score).toBe(55 + 5 + 3);
  expect(reason(event, 'content-downloaded')?.activityIds).toEqual([byAddress.metadata.eventId]);
  expect(reason(event, 'email-clicked')?.activityIds).toEqual([byLeadId.metadata.eventId]);
});

it('given two leads with activities of their own, when dedupe merges them, then the survivor is scored on the merged record with the activities of both, and so are later activities of the absorbed lead', async () => {
  const [survivor, absorbed] = [nextLeadId(), nextLeadId()];
  const mine = aHotLead();
  const theirs = { ...anEnrichedLead().withEmail(`bo.${people}@other.example`).withCountry('BR').build() };
  await leads.deliver([aLeadResolvedEvent(mine).forLead(survivor).build(), aLeadResolvedEvent(theirs).forLead(absorbed).build()]);
  const webinar = byId(survivor, 'webinar_attended');
  const download = byEmail(theirs.email!, 'content_downloaded');
  await activities.deliver([webinar, download]);

  const out = await leads.deliver([aLeadMergedEvent(survivor, [absorbed], mine).build()]);

  const [merged] = scored(out);
  expect(merged?.metadata.leadId).toBe(survivor);
  expect(merged?.data.score).toBe(55 + 10 + 5);
  expect(reason(merged, 'webinar-attended')?.activityIds).toEqual([webinar.metadata.eventId]);
  expect(reason(merged, 'content-downloaded')?.activityIds).toEqual([download.metadata.eventId]);

  const later = await activities.deliver([byId(absorbed, 'content_downloaded'), byEmail(theirs.email!, 'content_downloaded')]);
  expect(scored(later).map((event) => [event.metadata.leadId, event.data.score])).toEqual([[survivor, 55 + 10 + 15]]); // one rescore for the two; the rule's cap is 15
});

it('given a lead scored 55, when it opens two emails, then "opened at least twice" gives 5 more: 62, and each reason names both opens', async () => {
  const lead = nextLeadId();
  await leads.deliver([aLeadResolvedEvent(aHotLead()).forLead(lead).build()]);
  const [first, second] = [byId(lead), byId(lead)];
  await activities.deliver([first]);

  const [event] = scored(await activities.deliver([second]));

  expect(event?.data.score).toBe(62);
  const both = [first.metadata.eventId, second.metadata.eventId].sort();
  expect([...(reason(event, 'email-opened')?.activityIds ?? [])].sort()).toEqual(both);
  expect(reason(event, 'email-opened-twice')).toMatchObject({ points: 5, activityCount: 2 });
  expect([...(reason(event, 'email-opened-twice')?.activityIds ?? [])].sort()).toEqual(both);
});

it('given an activity processed once, when the same event comes again (redelivered, or after the inbox forgot it), then it counts once', async () => {
  const lead = nextLeadId();
  await leads.deliver([aLeadResolvedEvent(aHotLead()).forLead(lead).build()]);
  const opened = byId(lead);
  const first = await activities.deliver([opened]);
  clock.set('2026-12-01T10:05:00.000Z');
  const again = await activities.deliver([opened, opened]);
  // the inbox pruned (retention): the activity table's key still knows it
  await activities.query(`DELETE FROM scoring.stage_inbox WHERE event_id = $1`, [opened.metadata.eventId]);
  const afterPruning = await activities.deliver([opened]);
  clock.set(NOW);

  expect(again).toEqual(first); // the same events, occurredAt included
  expect(afterPruning).toEqual([]);
  expect(await scoreOf(lead)).toMatchObject({ score: 56 });
  expect(await activities.query(`SELECT activity_id FROM scoring.activity WHERE activity_id = $1`, [opened.metadata.eventId])).toHaveLength(1);
});

it('given a lead and an activity naming its email that arrive at once in two replicas, then the lead ends up scored with the activity every time', async () => {
  const replica = await leads.replica();
  let missed = 0;
  for (let round = 0; round < 20; round += 1) {
    const lead = nextLeadId();
    const record = aHotLead();
    await Promise.all([
      deliverRetrying(activities, [byEmail(record.email!, 'webinar_attended')], 'live'),
      deliverRetrying(replica, [aLeadResolvedEvent(record).forLead(lead).build()], 'bulk'),
    ]);
    if ((await scoreOf(lead))?.score !== 65) missed += 1;
  }
  expect(missed).toBe(0);
});

it('given a lead near MQL, when an activity and a lead event rescore it at once in two replicas, then it is qualified once', async () => {
  const replica = await leads.replica();
  let doubled = 0;
  for (let round = 0; round < 20; round += 1) {
    const lead = nextLeadId();
    // 55 without its country: 45, below MQL (50); a webinar (+10) or a newcomer bringing the country (+10) takes it over
    const record = { ...aHotLead(), country: undefined };
    await leads.deliver([aLeadResolvedEvent(record).forLead(lead).build()]);
    const [a, b] = await Promise.all([
      deliverRetrying(activities, [byEmail(record.email!, 'webinar_attended')]),
      deliverRetrying(replica, [aLeadResolvedEvent({ ...record, country: 'US' }).forLead(nextLeadId()).merged(lead).build()], 'bulk'),
    ]);
    const qualified = [...a, ...b].filter((event) => event.type === 'lead.qualified' && event.metadata.leadId === lead);
    const stages = await activities.query(`SELECT stage FROM scoring.qualification WHERE lead_id = $1`, [lead]);
    if (qualified.length !== 1 || stages.length !== 1) doubled += 1;
  }
  expect(doubled).toBe(0);
});

it('a service killed between commit and publish republishes the rescore when the activity is redelivered', async () => {
  const lead = nextLeadId();
  await leads.deliver([aLeadResolvedEvent(aHotLead()).forLead(lead).build()]);
  const booked = anActivityRecordedEvent().forLead(lead).withDataPatch({ kind: 'meeting_booked', at: '2026-12-01T11:00:00.000Z' }).build(); // 55 + 30: SQL
  const crashing = await activities.crashingReplica(fixedClock('2026-12-01T11:00:00.000Z'));
  await expect(crashing.deliver([booked])).rejects.toThrow(KILLED_BEFORE_PUBLISHING);

  const restarted = await activities.replica({ clock: fixedClock('2026-12-01T11:30:00.000Z') });
  const republished = await restarted.deliver([booked]);
  expect(republished.map((event) => [event.type, event.metadata.occurredAt])).toEqual([
    ['lead.scored', '2026-12-01T11:00:00.000Z'],
    ['lead.qualified', '2026-12-01T11:00:00.000Z'],
  ]);
  expect(await activities.query(`SELECT stage FROM scoring.qualification WHERE lead_id = $1 ORDER BY stage`, [lead])).toEqual([{ stage: 'MQL' }, { stage: 'SQL' }]);
});
