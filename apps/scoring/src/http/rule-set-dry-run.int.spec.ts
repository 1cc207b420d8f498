// POST /v1/scoring/rule-sets/:version/dry-run over HTTP (API keys with a stand-in key store) against
// PostgreSQL, with leads and activities stored by the scoring stages: a version is tried on every
// surviving lead, and nothing is written or published.
import type { ActivityRecorded, EnrichedLead } from '@leadstream/contracts';
import { DEMO_RULE_SET, scoreLead, validateRuleSet } from '@leadstream/domain-scoring';
import { declaredStage, fixedClock, StageUnderTest } from '@leadstream/platform-stage';
import { aLeadMergedEvent, aLeadResolvedEvent, anActivityRecordedEvent, anEnrichedLead, nextLeadId } from '@leadstream/testing';
import { ActivityRecordedConsumer } from '../consumers/activity-recorded.consumer';
import { LeadResolvedConsumer, type ScoringCause } from '../consumers/lead-resolved.consumer';
import { ruleSetRepository } from '../persistence/rule-set.repository';
import { SCORING_MIGRATIONS } from '../scoring.module';
import { startRoutes, type Answer, type RoutesUnderTest } from '../test-support/routes-under-test';
import { dryRunRuleSet, RuleSetDryRunController } from './rule-set-dry-run.controller';
import { RuleSetsController } from './rule-sets.controller';

jest.setTimeout(60_000);

// The dry run scores at the request time: the stages score at (about) the same time, so engagement has not decayed in between.
const NOW = new Date().toISOString();
let activities: StageUnderTest<ActivityRecorded>;
let leads: StageUnderTest<ScoringCause>;
let routes: RoutesUnderTest;

beforeAll(async () => {
  activities = await StageUnderTest.open({ schema: 'scoring', migrations: SCORING_MIGRATIONS, stage: declaredStage(new ActivityRecordedConsumer(), 'handle'), clock: fixedClock(NOW) });
  leads = await activities.otherStage(declaredStage(new LeadResolvedConsumer(), 'handle'));
  await activities.dataSource.transaction((transaction) => ruleSetRepository.storeInitial(transaction, DEMO_RULE_SET));
  routes = await startRoutes([RuleSetsController, RuleSetDryRunController], activities.dataSource);
});
afterAll(async () => {
  await routes?.close();
  await activities?.close();
});

const call = (path: string, key: string | undefined, body?: unknown): Promise<Answer> => routes.request('POST', path, key, body);

/** What a dry run must leave as it found it: the scores, the stages reached, the outgoing events, the active version. */
async function storedState(): Promise<unknown> {
  return {
    scores: await activities.query(`SELECT lead_id, score, grade, rule_set_version, cause_event_id, updated_at FROM scoring.lead_score ORDER BY lead_id`),
    stages: await activities.query(`SELECT lead_id, stage FROM scoring.qualification ORDER BY lead_id, stage`),
    outbox: await activities.query(`SELECT count(*)::int AS events FROM scoring.stage_outbox`),
    active: await activities.query(`SELECT version FROM scoring.active_rule_set`),
  };
}

let people = 0;
/** A VP in the US at a 500-person company who came by webinar: 55 (B) with the demo set. */
function aHotLead(): EnrichedLead {
  people += 1;
  const lead = anEnrichedLead().withEmail(`ana.${people}@northwind.example`).withTitle('VP Sales').withSource('webinar').build();
  return { ...lead, seniority: 'vp', firmographics: { domain: 'northwind.example', employeeCount: 500 } };
}

// The demo rules with every grade threshold raised: 55 drops from B to C, 62 stays B.
const STRICT = { ...(JSON.parse(JSON.stringify(DEMO_RULE_SET)) as Record<string, unknown>), version: 'int-strict', grades: { A: 80, B: 60, C: 40 } };

const [warm, hot, survivor, absorbed, cold] = [nextLeadId(), nextLeadId(), nextLeadId(), nextLeadId(), nextLeadId()];
const coldRecord = anEnrichedLead().withEmail('cold@mail.example').build();

/** Five leads through the stages: warm (hot + two emails opened: 62, B), hot (55, B), a survivor (55, B) that absorbed a cold lead, and a cold one. */
async function givenStoredLeads(): Promise<void> {
  const warmRecord = aHotLead();
  await leads.deliver([
    aLeadResolvedEvent(warmRecord).forLead(warm).build(),
    aLeadResolvedEvent(aHotLead()).forLead(hot).build(),
    aLeadResolvedEvent(aHotLead()).forLead(survivor).build(),
    aLeadResolvedEvent(anEnrichedLead().withEmail('bo@other.example').build()).forLead(absorbed).build(),
    aLeadResolvedEvent(coldRecord).forLead(cold).build(),
  ]);
  const merged = (await activities.query<{ record: EnrichedLead }>(`SELECT record FROM scoring.lead WHERE lead_id = $1`, [survivor]))[0]!.record;
  await leads.deliver([aLeadMergedEvent(survivor, [absorbed], merged).build()]);
  await activities.deliver([0, 1].map(() => anActivityRecordedEvent().withDataPatch({ kind: 'email_opened', at: NOW, email: warmRecord.email }).build()));
}

beforeAll(async () => {
  await givenStoredLeads();
  expect((await call('/v1/scoring/rule-sets', 'admin-secret', STRICT)).status).toBe(201);
});

it('given stored leads and a stricter version posted, when it is dry-run with a read key, then it reports both grade distributions and each lead whose grade changes, and writes and publishes nothing', async () => {
  const scoredNow = await activities.query<{ lead_id: string; score: number; grade: string }>(`SELECT lead_id, score, grade FROM scoring.lead_score WHERE lead_id = ANY($1::uuid[])`, [[warm, hot, survivor, cold]]);
  const stored = new Map(scoredNow.map((row) => [row.lead_id, row]));
  expect([warm, hot, survivor].map((id) => stored.get(id)?.grade)).toEqual(['B', 'B', 'B']);
  expect(stored.get(warm)?.score).toBe(62);
  const coldGrade = scoreLead(coldRecord, DEMO_RULE_SET, [], new Date(NOW)).grade;
  expect(coldGrade).toBe(scoreLead(coldRecord, validateRuleSet(STRICT), [], new Date(NOW)).grade); // the cold lead is not a change
  const before = await storedState();

  const { status, body } = await call('/v1/scoring/rule-sets/int-strict/dry-run', 'read-secret');

  expect(status).toBe(200);
  const grades = (counts: Partial<Record<string, number>>): Record<string, number> => {
    const all: Record<string, number> = { A: 0, B: 0, C: 0, D: 0 };
    for (const [grade, n] of Object.entries(counts)) all[grade] = (all[grade] ?? 0) + (n ?? 0);
    return all;
  };
  expect(body).toEqual({
    version: 'int-strict',
    activeVersion: DEMO_RULE_SET.version,
    leads: 4, // the absorbed lead is scored within its survivor
    distribution: { current: grades({ B: 3, [coldGrade]: 1 }), proposed: grades({ B: 1, C: 2, [coldGrade]: 1 }) },
    changedGrade: 2,
    changes: [hot, survivor].sort().map((leadId) => ({ leadId, from: { score: 55, grade: 'B' }, to: { score: 55, grade: 'C' } })),
    truncated: false,
    tookMs: expect.any(Number),
  });
  expect(await storedState()).toEqual(before);
});

it('given the active version, when it is dry-run, then no grade changes; with ?limit=1 and in pages of one lead, the same totals with one change listed and truncated', async () => {
  const same = await call(`/v1/scoring/rule-sets/${DEMO_RULE_SET.version}/dry-run`, 'read-secret');
  expect(same.status).toBe(200);
  expect(same.body).toMatchObject({ leads: 4, changedGrade: 0, changes: [], truncated: false });
  const distribution = same.body['distribution'] as { current: unknown; proposed: unknown };
  expect(distribution.proposed).toEqual(distribution.current);

  const limited = await call('/v1/scoring/rule-sets/int-strict/dry-run?limit=1', 'read-secret');
  expect(limited.body).toMatchObject({ leads: 4, changedGrade: 2, changes: [{ leadId: [hot, survivor].sort()[0] }], truncated: true });

  // keyset paging: a page of one lead at a time gives the same answer as one page
  const paged = await dryRunRuleSet(activities.dataSource.manager, validateRuleSet(STRICT), new Date(), 1, 1);
  const { leads: count, distribution: both, changedGrade, changes, truncated } = limited.body;
  expect(paged).toEqual({ leads: count, distribution: both, changedGrade, changes, truncated });
});

it('an unknown version is 404; a limit that is not a whole number from 1 to 1000 is 400; a key is needed', async () => {
  expect(await call('/v1/scoring/rule-sets/no-such-version/dry-run', 'read-secret')).toMatchObject({ status: 404, body: { message: 'no rule set version no-such-version' } });
  for (const limit of ['0', '1001', 'ten', '-1', '2.5']) {
    expect(await call(`/v1/scoring/rule-sets/int-strict/dry-run?limit=${limit}`, 'read-secret')).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^limit: must be a whole number from 1 to 1000/) } });
  }
  expect((await call('/v1/scoring/rule-sets/int-strict/dry-run?limit=1000', 'admin-secret')).status).toBe(200);
  expect((await call('/v1/scoring/rule-sets/int-strict/dry-run', undefined)).status).toBe(401);
});
