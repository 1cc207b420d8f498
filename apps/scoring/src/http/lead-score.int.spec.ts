// GET /v1/leads/:id/score over HTTP (API keys with a stand-in key store) against PostgreSQL, with the
// scoring stages filling it: "why is this lead 62?".
import type { ActivityRecorded, EnrichedLead } from '@leadstream/contracts';
import { DEMO_RULE_SET } from '@leadstream/domain-scoring';
import { declaredStage, fixedClock, StageUnderTest } from '@leadstream/platform-stage';
import { aLeadMergedEvent, aLeadResolvedEvent, anActivityRecordedEvent, anEnrichedLead, nextLeadId } from '@leadstream/testing';
import { ActivityRecordedConsumer } from '../consumers/activity-recorded.consumer';
import { LeadResolvedConsumer, type ScoringCause } from '../consumers/lead-resolved.consumer';
import { ruleSetRepository } from '../persistence/rule-set.repository';
import { SCORING_MIGRATIONS } from '../scoring.module';
import { startRoutes, type Answer, type RoutesUnderTest } from '../test-support/routes-under-test';
import { LeadScoreController } from './lead-score.controller';

jest.setTimeout(60_000);

const NOW = '2026-12-01T10:00:00.000Z';
let activities: StageUnderTest<ActivityRecorded>;
let leads: StageUnderTest<ScoringCause>;
let routes: RoutesUnderTest;

beforeAll(async () => {
  activities = await StageUnderTest.open({ schema: 'scoring', migrations: SCORING_MIGRATIONS, stage: declaredStage(new ActivityRecordedConsumer(), 'handle'), clock: fixedClock(NOW) });
  leads = await activities.otherStage(declaredStage(new LeadResolvedConsumer(), 'handle'));
  await activities.dataSource.transaction((transaction) => ruleSetRepository.storeInitial(transaction, DEMO_RULE_SET));
  routes = await startRoutes([LeadScoreController], activities.dataSource);
});
afterAll(async () => {
  await routes?.close();
  await activities?.close();
});

const scoreOf = (leadId: string): Promise<Answer> => routes.request('GET', `/v1/leads/${leadId}/score`, 'read-secret');

// a VP in the US at a 500-person company who came by webinar: 55 with the demo set
const hot: EnrichedLead = { ...anEnrichedLead().withEmail('ana@northwind.example').withTitle('VP Sales').withSource('webinar').build(), seniority: 'vp', firmographics: { domain: 'northwind.example', employeeCount: 500 } };

it('given a lead that opened two emails, when asked why it is 62, then each rule is named with its points and the fields or activities that earned them', async () => {
  const lead = nextLeadId();
  await leads.deliver([aLeadResolvedEvent(hot).forLead(lead).build()]);
  const opens = [0, 1].map(() => anActivityRecordedEvent().withDataPatch({ kind: 'email_opened', at: NOW, email: hot.email }).build());
  await activities.deliver(opens);

  const { status, body } = await scoreOf(lead);

  expect(status).toBe(200);
  const openIds = opens.map((open) => open.metadata.eventId).sort();
  expect(body).toEqual({
    leadId: lead,
    score: 62,
    grade: 'B',
    ruleSetVersion: '1',
    stages: ['MQL'],
    scoredAt: expect.any(String),
    reasons: [
      { rule: 'seniority-executive', points: 20, kind: 'fit', fields: { seniority: 'vp' } },
      { rule: 'employees-mid-market', points: 15, kind: 'fit', fields: { employeeCount: 500 } },
      { rule: 'country-territory', points: 10, kind: 'fit', fields: { country: 'US' } },
      { rule: 'source-high-intent', points: 10, kind: 'fit', fields: { source: 'webinar' } },
      { rule: 'email-opened', points: 2, kind: 'engagement', activityIds: openIds, activityCount: 2 },
      { rule: 'email-opened-twice', points: 5, kind: 'engagement', activityIds: openIds, activityCount: 2 },
    ],
  });
});

it('given a lead merged into another, when its score is asked for, then the answer is the score of the surviving lead, naming it; an unknown lead is 404', async () => {
  const [survivor, absorbed] = [nextLeadId(), nextLeadId()];
  await leads.deliver([aLeadResolvedEvent(hot).forLead(survivor).build(), aLeadResolvedEvent(anEnrichedLead().withEmail('bo@other.example').build()).forLead(absorbed).build()]);
  await leads.deliver([aLeadMergedEvent(survivor, [absorbed], hot).build()]);

  const { status, body } = await scoreOf(absorbed);

  expect(status).toBe(200);
  expect(body).toMatchObject({ leadId: absorbed, mergedInto: survivor, score: 55, grade: 'B', stages: ['MQL'] });
  expect((await scoreOf(nextLeadId())).status).toBe(404);
});
