// The rule-set routes over HTTP (API keys with a stand-in key store, the service's validation pipe)
// against PostgreSQL, and the scoring stage on the same database: what is activated through the API
// is what the next batch is scored with, in every replica.
import type { LeadScored } from '@leadstream/contracts';
import { DEMO_RULE_SET, scoreLead, validateRuleSet, type ScoringRuleSet } from '@leadstream/domain-scoring';
import { declaredStage, fixedClock, StageUnderTest } from '@leadstream/platform-stage';
import { aLeadResolvedEvent, anEnrichedLead, nextLeadId } from '@leadstream/testing';
import { LeadResolvedConsumer, type ScoringCause } from '../consumers/lead-resolved.consumer';
import { ruleSetRepository } from '../persistence/rule-set.repository';
import { SCORING_MIGRATIONS } from '../scoring.module';
import { startRoutes, type Answer, type RoutesUnderTest } from '../test-support/routes-under-test';
import { RuleSetsController } from './rule-sets.controller';

jest.setTimeout(60_000);

const clock = fixedClock('2026-12-01T10:00:00.000Z');
let scoring: StageUnderTest<ScoringCause>;
let routes: RoutesUnderTest;

beforeAll(async () => {
  scoring = await StageUnderTest.open({ schema: 'scoring', migrations: SCORING_MIGRATIONS, stage: declaredStage(new LeadResolvedConsumer(), 'handle'), clock });
  // What the service does at start on a new database (InitialRuleSetSeeder).
  await scoring.dataSource.transaction((transaction) => ruleSetRepository.storeInitial(transaction, DEMO_RULE_SET));
  routes = await startRoutes([RuleSetsController], scoring.dataSource);
});
afterAll(async () => {
  await routes?.close();
  await scoring?.close();
});

const call = (method: 'GET' | 'POST', path: string, key: string | undefined, body?: unknown): Promise<Answer> => routes.request(method, path, key, body);
const asAdmin = (method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> => call(method, path, 'admin-secret', body);
const asReader = (method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> => call(method, path, 'read-secret', body);

/** The demo set under another version: a copy, so a test may change it. */
function demoAs(version: string, changes: Partial<Record<keyof ScoringRuleSet, unknown>> = {}): Record<string, unknown> {
  return { ...(JSON.parse(JSON.stringify(DEMO_RULE_SET)) as Record<string, unknown>), version, ...changes };
}

/** The problem validateRuleSet finds in `raw` (the 400 must say the same). */
function problemOf(raw: unknown): { path: string; message: string } {
  try {
    validateRuleSet(raw);
  } catch (error) {
    return { path: (error as { path: string }).path, message: (error as Error).message };
  }
  throw new Error('expected an invalid rule set');
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

it('given the initial rule set, when an admin posts a new version, then it is stored inactive, listed newest first, served as validated, and posting it again changes nothing', async () => {
  const posted = demoAs('int-2', { description: 'the demo rules under version int-2' });

  const created = await asAdmin('POST', '/v1/scoring/rule-sets', posted);
  expect(created).toEqual({ status: 201, body: { version: 'int-2', createdAt: expect.stringMatching(ISO), active: false } });

  const list = await asReader('GET', '/v1/scoring/rule-sets');
  expect(list.status).toBe(200);
  const versions = list.body['ruleSets'] as Record<string, unknown>[];
  expect(versions.map((entry) => entry['version'])).toEqual(['int-2', DEMO_RULE_SET.version]);
  expect(versions).toEqual([
    { version: 'int-2', description: 'the demo rules under version int-2', createdAt: created.body['createdAt'], createdBy: 'int admin (key-admin)', activatedAt: null, activatedBy: null, active: false },
    { version: DEMO_RULE_SET.version, description: DEMO_RULE_SET.description ?? null, createdAt: expect.stringMatching(ISO), createdBy: null, activatedAt: expect.stringMatching(ISO), activatedBy: null, active: true },
  ]);

  expect(await asReader('GET', '/v1/scoring/rule-sets/int-2')).toEqual({
    status: 200,
    body: { ...versions[0], ruleSet: JSON.parse(JSON.stringify(validateRuleSet(posted))) },
  });

  // the same set with its keys in another order is the same set
  const reordered = Object.fromEntries(Object.entries(posted).reverse());
  expect(await asAdmin('POST', '/v1/scoring/rule-sets', reordered)).toEqual({ status: 200, body: { version: 'int-2', createdAt: created.body['createdAt'], active: false } });
});

it('given a stored version, when another rule set is posted under that version, then 409 and the stored one is kept', async () => {
  const original = demoAs('int-conflict');
  expect((await asAdmin('POST', '/v1/scoring/rule-sets', original)).status).toBe(201);

  const changed = demoAs('int-conflict', { grades: { ...DEMO_RULE_SET.grades, C: DEMO_RULE_SET.grades.C - 1 } });
  const refused = await asAdmin('POST', '/v1/scoring/rule-sets', changed);
  expect(refused).toMatchObject({ status: 409, body: { message: expect.stringMatching(/^rule set version int-conflict is stored already .* with different rules/) } });
  expect((await asReader('GET', '/v1/scoring/rule-sets/int-conflict')).body['ruleSet']).toEqual(JSON.parse(JSON.stringify(validateRuleSet(original))));
});

it('given a rule set that does not validate, when it is posted, then 400 names the path and the problem, and nothing is stored', async () => {
  const [first, ...rest] = DEMO_RULE_SET.fit;
  const badOperator = demoAs('int-bad', { fit: [{ ...first, when: { field: 'seniority', op: 'resembles', value: 'vp' } }, ...rest] });
  const { path, message } = problemOf(badOperator);
  expect(path).toBe('fit[0].when.op');
  expect(await asAdmin('POST', '/v1/scoring/rule-sets', badOperator)).toEqual({
    status: 400,
    body: { statusCode: 400, error: 'Bad Request', code: 'SCORING.INVALID_RULE_SET', message: [message], fields: ['fit[0].when.op'] },
  });
  expect((await asReader('GET', '/v1/scoring/rule-sets/int-bad')).status).toBe(404);

  const noVersion = demoAs('');
  expect(await asAdmin('POST', '/v1/scoring/rule-sets', noVersion)).toMatchObject({ status: 400, body: { message: [problemOf(noVersion).message], fields: ['version'] } });
  expect(await asAdmin('POST', '/v1/scoring/rule-sets', [DEMO_RULE_SET])).toMatchObject({ status: 400, body: { fields: ['(body)'] } });
});

it('unknown versions are 404 on reading and on activating; reading needs a key, changing needs an admin key', async () => {
  expect(await asReader('GET', '/v1/scoring/rule-sets/no-such-version')).toMatchObject({ status: 404, body: { message: 'no rule set version no-such-version' } });
  expect(await asAdmin('POST', '/v1/scoring/rule-sets/no-such-version/activate')).toMatchObject({ status: 404, body: { message: 'no rule set version no-such-version' } });

  expect((await call('GET', '/v1/scoring/rule-sets', undefined)).status).toBe(401);
  expect((await asReader('POST', '/v1/scoring/rule-sets', demoAs('int-by-reader'))).status).toBe(403);
  expect((await asReader('POST', `/v1/scoring/rule-sets/${DEMO_RULE_SET.version}/activate`)).status).toBe(403);
  expect((await asReader('GET', '/v1/scoring/rule-sets/int-by-reader')).status).toBe(404);
});

it('given leads scored with the initial set in two replicas, when another version is activated, then the next batch of each replica is scored with it and lead.scored names it; activating it again changes nothing', async () => {
  // a replica with a consumer (and so a cache of the parsed set) of its own
  const replica = await scoring.otherStage(declaredStage(new LeadResolvedConsumer(), 'handle'));
  const record = anEnrichedLead().withTitle('VP Sales').build();
  const scoredIn = async (stage: StageUnderTest<ScoringCause>): Promise<LeadScored['data']> => {
    const [scored] = await stage.deliver([aLeadResolvedEvent(record).forLead(nextLeadId()).build()]);
    return (scored as LeadScored).data;
  };
  expect(await scoredIn(scoring)).toMatchObject({ ruleSetVersion: DEMO_RULE_SET.version });
  expect(await scoredIn(replica)).toMatchObject({ ruleSetVersion: DEMO_RULE_SET.version });

  // the demo rules and 12.5 points for any lead with an email (a fractional score is stored as it is)
  const warmer = demoAs('int-warmer', { fit: [...DEMO_RULE_SET.fit, { id: 'has-email', when: { field: 'email', op: 'present' }, points: 12.5 }] });
  expect((await asAdmin('POST', '/v1/scoring/rule-sets', warmer)).status).toBe(201);
  const activated = await asAdmin('POST', '/v1/scoring/rule-sets/int-warmer/activate');
  expect(activated).toEqual({ status: 200, body: { version: 'int-warmer', activatedAt: expect.stringMatching(ISO), previousVersion: DEMO_RULE_SET.version } });

  const expected = scoreLead(record, validateRuleSet(warmer), [], clock());
  expect(expected.score).toBe(scoreLead(record, DEMO_RULE_SET, [], clock()).score + 12.5);
  for (const stage of [scoring, replica]) {
    const leadId = nextLeadId();
    const [scored] = await stage.deliver([aLeadResolvedEvent(record).forLead(leadId).build()]);
    expect(scored?.data).toMatchObject({ ruleSetVersion: 'int-warmer', score: expected.score, grade: expected.grade, reasons: expected.reasons });
    expect(await scoring.query(`SELECT score, rule_set_version FROM scoring.lead_score WHERE lead_id = $1`, [leadId])).toEqual([{ score: expected.score, rule_set_version: 'int-warmer' }]);
  }

  expect(await asAdmin('POST', '/v1/scoring/rule-sets/int-warmer/activate')).toEqual({ status: 200, body: { ...activated.body, previousVersion: 'int-warmer' } });
  const list = (await asReader('GET', '/v1/scoring/rule-sets')).body['ruleSets'] as { version: string; active: boolean; activatedBy: string | null }[];
  expect(list.filter((entry) => entry.active)).toEqual([expect.objectContaining({ version: 'int-warmer', activatedBy: 'int admin (key-admin)' })]);
});
