// GET /v1/leads/:id/score over HTTP (API keys with a stand-in key store) against PostgreSQL, with the
// scoring stages filling it: "why is this lead 62?".
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ActivityRecorded, EnrichedLead } from '@leadstream/contracts';
import { DEMO_RULE_SET } from '@leadstream/domain-scoring';
import { accessProviders, type ApiKeyVerdict, type ApiKeyVerifier } from '@leadstream/platform-access';
import { createValidationPipe } from '@leadstream/platform-service';
import { declaredStage, fixedClock, StageUnderTest } from '@leadstream/platform-stage';
import { aLeadMergedEvent, aLeadResolvedEvent, anActivityRecordedEvent, anEnrichedLead, nextLeadId } from '@leadstream/testing';
import { DataSource } from 'typeorm';
import { ActivityRecordedConsumer } from '../consumers/activity-recorded.consumer';
import { LeadResolvedConsumer, type ScoringCause } from '../consumers/lead-resolved.consumer';
import { ruleSetRepository } from '../persistence/rule-set.repository';
import { SCORING_MIGRATIONS } from '../scoring.module';
import { LeadScoreController } from './lead-score.controller';

jest.setTimeout(60_000);

/** 'read-secret' is a key with the read scope. */
@Injectable()
class TestKeys implements ApiKeyVerifier {
  async verify(secret: string): Promise<ApiKeyVerdict> {
    if (secret !== 'read-secret') return { valid: false, reason: 'unknown API key' };
    return { valid: true, key: { id: 'key-read', name: 'int read', scopes: ['read'], createdAt: '2026-01-01T00:00:00.000Z', revokedAt: null } };
  }
}

const NOW = '2026-12-01T10:00:00.000Z';
let activities: StageUnderTest<ActivityRecorded>;
let leads: StageUnderTest<ScoringCause>;
let app: INestApplication;
let baseUrl: string;

beforeAll(async () => {
  activities = await StageUnderTest.open({ schema: 'scoring', migrations: SCORING_MIGRATIONS, stage: declaredStage(new ActivityRecordedConsumer(), 'handle'), clock: fixedClock(NOW) });
  leads = await activities.otherStage(declaredStage(new LeadResolvedConsumer(), 'handle'));
  await activities.dataSource.transaction((transaction) => ruleSetRepository.storeInitial(transaction, DEMO_RULE_SET));
  @Module({ controllers: [LeadScoreController], providers: [TestKeys, ...accessProviders('scoring', TestKeys), { provide: DataSource, useValue: activities.dataSource }] })
  class RoutesUnderTest {}
  app = await NestFactory.create(RoutesUnderTest, { logger: false });
  app.useGlobalPipes(createValidationPipe());
  await app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
});
afterAll(async () => {
  await app?.close();
  await activities?.close();
});

async function scoreOf(leadId: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/v1/leads/${leadId}/score`, { headers: { authorization: 'Bearer read-secret' } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

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
