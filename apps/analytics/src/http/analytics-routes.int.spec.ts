// The analytics routes of issue 12 over HTTP (routing, pipes, query parameters, status codes) against
// PostgreSQL. The key check (RequireScope with AccessModule) needs ingestion and is left out here: the
// controllers are served on their own, over a database the analytics stage has filled.
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { topicFor, type EnrichedLead, type LeadMerged, type LeadstreamEvent } from '@leadstream/contracts';
import { declaredStage, StageUnderTest } from '@leadstream/platform-stage';
import { EventBuilder, aLeadAssignedEvent, aLeadEnrichedEvent, aLeadReceivedEvent, aLeadResolvedEvent, aLeadScoredEvent, anEnrichedLead, nextLeadId } from '@leadstream/testing';
import { DataSource } from 'typeorm';
import { EveryTopicConsumer } from '../consumers/every-topic.consumer';
import { ANALYTICS_MIGRATIONS } from '../persistence/migrations';
import { AccountLeadsController } from './account-leads.controller';
import { LeadHistoryController } from './lead-history.controller';

jest.setTimeout(60_000);

let analytics: StageUnderTest<LeadstreamEvent>;
let app: INestApplication;
let baseUrl: string;

beforeAll(async () => {
  analytics = await StageUnderTest.open({ schema: 'analytics', migrations: ANALYTICS_MIGRATIONS, stage: declaredStage(new EveryTopicConsumer(), 'handle') });
  @Module({ controllers: [LeadHistoryController, AccountLeadsController], providers: [{ provide: DataSource, useValue: analytics.dataSource }] })
  class RoutesUnderTest {}
  app = await NestFactory.create(RoutesUnderTest, { logger: false });
  await app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
});
afterAll(async () => {
  await app?.close();
  await analytics?.close();
});

let offset = 0;
const deliver = (events: readonly LeadstreamEvent[]): Promise<unknown> =>
  analytics.deliverConsumed(events.map((event) => ({ event, topic: topicFor(event.type), partition: 0, offset: String((offset += 1)), headers: {} })));

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function scoredAndAssigned(leadId: string, record: EnrichedLead): LeadstreamEvent[] {
  return [
    aLeadResolvedEvent(record).forLead(leadId).build(),
    aLeadScoredEvent(record).forLead(leadId).withDataPatch({ score: 80, grade: 'A' }).build(),
    aLeadAssignedEvent().forLead(leadId).withDataPatch({ assignee: { kind: 'rep', repId: 'rep-ada' }, score: 80, grade: 'A' }).build(),
  ];
}

it('GET /v1/accounts/:accountId/leads pages the surviving leads of the account; 404 names the account; 400 for bad input', async () => {
  const account = nextLeadId();
  const record = { ...anEnrichedLead().build(), accountId: account };
  const [survivor, absorbed, third] = [nextLeadId(), nextLeadId(), nextLeadId()];
  await deliver([...scoredAndAssigned(survivor, record), ...scoredAndAssigned(absorbed, record), ...scoredAndAssigned(third, record)]);
  await deliver([
    new EventBuilder<LeadMerged>('lead.merged', {
      survivorLeadId: survivor,
      mergedLeadIds: [absorbed],
      clusterLeadIds: [survivor, absorbed],
      lead: record,
      provenance: {},
      decision: { by: 'manual', ruleSetVersion: 'match-1', requestedBy: 'ops' },
    })
      .forLead(survivor)
      .build(),
  ]);
  const surviving = [survivor, third].sort();

  const first = await get(`/v1/accounts/${account}/leads?limit=1`);
  expect(first).toEqual({
    status: 200,
    body: {
      accountId: account,
      leads: [{ leadId: surviving[0], status: 'assigned', email: record.email, score: 80, grade: 'A', owner: { kind: 'rep', id: 'rep-ada' } }],
      nextAfter: surviving[0],
    },
  });
  const second = await get(`/v1/accounts/${account}/leads?limit=1&after=${String(first.body['nextAfter'])}`);
  expect((second.body['leads'] as { leadId: string }[]).map((lead) => lead.leadId)).toEqual([surviving[1]]);
  expect(second.body['nextAfter']).toBeUndefined();

  const unknown = nextLeadId();
  expect(await get(`/v1/accounts/${unknown}/leads`)).toMatchObject({ status: 404, body: { message: `no leads recorded for account ${unknown}` } });
  expect((await get(`/v1/accounts/not-an-account/leads`)).status).toBe(400);
  expect((await get(`/v1/accounts/${account}/leads?limit=5000`)).status).toBe(400);
  expect((await get(`/v1/accounts/${account}/leads?after=nope`)).status).toBe(400);

  expect((await get(`/v1/leads/${absorbed}`)).body).toMatchObject({ status: 'merged', mergedInto: survivor, canonicalLeadId: survivor, accountId: account });
  const history = await get(`/v1/leads/${survivor}/history`);
  expect(history.body['leadIds']).toEqual([survivor, absorbed]);
  expect((history.body['events'] as { leadId: string }[]).map((entry) => entry.leadId).filter((leadId) => leadId === absorbed)).toHaveLength(3);
});

it('given a lead without email (known by its phone), when its events are stored, then GET /v1/leads/:id and its account serve it with email null', async () => {
  const [leadId, account] = [nextLeadId(), nextLeadId()];
  const record: EnrichedLead = { phone: '+442071838750', phoneAsTyped: '020 7183 8750', country: 'GB', company: 'Acme Corp', companyKey: 'acme', source: 'trade-show', accountId: account };
  await deliver([
    aLeadReceivedEvent({ phone: '020 7183 8750', country: 'UK', company: 'Acme Corp', source: 'trade-show' }).forLead(leadId).build(),
    aLeadEnrichedEvent(record).forLead(leadId).build(),
    ...scoredAndAssigned(leadId, record),
  ]);
  expect(await get(`/v1/leads/${leadId}`)).toEqual({
    status: 200,
    body: {
      leadId, status: 'assigned', email: null, score: 80, grade: 'A', owner: { kind: 'rep', id: 'rep-ada' }, mergedInto: null,
      canonicalLeadId: leadId, accountId: account, source: 'trade-show', campaign: null, lastEventAt: expect.any(String),
    },
  });
  expect((await get(`/v1/accounts/${account}/leads`)).body['leads']).toEqual([{ leadId, status: 'assigned', email: null, score: 80, grade: 'A', owner: { kind: 'rep', id: 'rep-ada' } }]);
  const [stored] = (await analytics.dataSource.query(`SELECT state FROM analytics.lead_state WHERE lead_id = $1`, [leadId])) as { state: Record<string, unknown> }[];
  expect(stored?.state).not.toHaveProperty('email');
});
