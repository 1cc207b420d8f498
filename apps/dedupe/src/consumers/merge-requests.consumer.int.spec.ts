// The review queue, merges of review pairs and unmerges, through dedupe's two stages on one database.
import { newEdgeEvent, parseEvent, type EnrichedLead, type LeadEnriched, type LeadMerged, type LeadMergeRequested, type LeadResolved, type LeadUnmerged, type LeadUnmergeRequested } from '@leadstream/contracts';
import { DEFAULT_MATCH_RULES, type MatchRules } from '@leadstream/domain-matching';
import { declaredStage, fixedClock, StageUnderTest } from '@leadstream/platform-stage';
import { aLeadEnrichedEvent, anEnrichedLead, nextLeadId, testUuid } from '@leadstream/testing';
import { DEDUPE_MIGRATIONS } from '../dedupe.module';
import { LeadEnrichedConsumer } from './lead-enriched.consumer';
import { MergeRequestsConsumer } from './merge-requests.consumer';

jest.setTimeout(60_000);

// Fuzzy matches land in the review band; the same mailbox still merges on its own.
const REVIEW_RULES: MatchRules = { ...DEFAULT_MATCH_RULES, version: 'review-test', autoMergeAt: 0.999999, reviewAt: 0.5 };

type Request = LeadMergeRequested | LeadUnmergeRequested;
let leads: StageUnderTest<LeadEnriched>;
let requests: StageUnderTest<Request>;
beforeAll(async () => {
  leads = await StageUnderTest.open({
    schema: 'dedupe',
    migrations: DEDUPE_MIGRATIONS,
    stage: declaredStage(new LeadEnrichedConsumer(REVIEW_RULES), 'handle'),
    clock: fixedClock('2026-12-01T10:00:00.000Z'),
  });
  requests = await leads.otherStage(declaredStage(new MergeRequestsConsumer(REVIEW_RULES), 'handle'));
});
afterAll(() => leads?.close());

let n = 0;
let requestNumber = 0;
const enriched = (lead: EnrichedLead): LeadEnriched => aLeadEnrichedEvent(lead).forLead(nextLeadId()).build();
/** The same person twice: a work and a personal address, the second with a nickname and no phone. */
function samePersonTwice(): [LeadEnriched, LeadEnriched] {
  n += 1;
  const work = enriched(anEnrichedLead().withEmail(`william.okafor${n}@wayne-${n}.example`).withName('William', `Okafor${'abcdefghij'[n % 10]}`).withCompany(`Wayne ${n} Enterprises`, `wayne ${n} enterprises`).withTitle('CFO').withPhone(`+1212555${String(1000 + n)}`).build());
  const home = enriched(anEnrichedLead().withFreeEmail(`bill.okafor.${n}`).withName('Bill', `Okafor${'abcdefghij'[n % 10]}`).withCompany(`Wayne ${n} Enterprises`, `wayne ${n} enterprises`).without('phone', 'title').withCampaign('newsletter').build());
  return [work, home];
}
const mergeRequest = (leadIds: string[], reviewPairId?: string): LeadMergeRequested =>
  newEdgeEvent<LeadMergeRequested>({
    type: 'lead.merge-requested',
    data: { leadIds, ...(reviewPairId ? { reviewPairId } : {}), requestedBy: 'ops (key-1)' },
    eventId: testUuid(900_000 + (requestNumber += 1)),
    leadId: leadIds[0]!,
    occurredAt: '2026-12-01T10:05:00.000Z',
  });
const unmergeRequest = (leadId: string): LeadUnmergeRequested =>
  newEdgeEvent<LeadUnmergeRequested>({ type: 'lead.unmerge-requested', data: { requestedBy: 'ops (key-1)' }, eventId: testUuid(900_000 + (requestNumber += 1)), leadId, occurredAt: '2026-12-01T10:06:00.000Z' });
const outcomeOf = async (request: Request): Promise<{ status: string; detail: Record<string, unknown> } | undefined> =>
  (await leads.query<{ status: string; detail: Record<string, unknown> }>(`SELECT status, detail FROM dedupe.request_outcome WHERE request_event_id = $1`, [request.metadata.eventId]))[0];
const clusterOf = async (leadId: string): Promise<string> => (await leads.query<{ cluster_id: string }>(`SELECT cluster_id FROM dedupe.lead_record WHERE lead_id = $1`, [leadId]))[0]!.cluster_id;
const pairOf = async (a: string, b: string): Promise<{ pair_id: string; status: string; score: number; features: unknown[] }> =>
  (await leads.query<{ pair_id: string; status: string; score: number; features: unknown[] }>(
    `SELECT pair_id, status, score, features FROM dedupe.review_pair WHERE lead_a = least($1::uuid, $2::uuid) AND lead_b = greatest($1::uuid, $2::uuid)`,
    [a, b],
  ))[0]!;

describe('the review queue', () => {
  it('puts a pair between the thresholds in the queue, with its score and features, and tells lead.resolved', async () => {
    const [work, home] = samePersonTwice();
    await leads.deliver([work]);
    const [resolved] = (await leads.deliver([home])) as LeadResolved[];
    expect(resolved!.data.outcome).toBe('new');
    const pair = await pairOf(work.metadata.leadId, home.metadata.leadId);
    expect(pair.status).toBe('pending');
    expect(pair.score).toBeGreaterThanOrEqual(REVIEW_RULES.reviewAt);
    expect(pair.score).toBeLessThan(REVIEW_RULES.autoMergeAt);
    expect(pair.features.length).toBeGreaterThan(0);
    expect(resolved!.data.reviewPairs).toEqual([{ pairId: pair.pair_id, leadId: work.metadata.leadId, score: expect.closeTo(pair.score, 5) }]);
  });

  it('merges a pair a person approves: lead.merged by review, the older lead survives, provenance per field, the pair settled', async () => {
    const [work, home] = samePersonTwice();
    await leads.deliver([work]);
    await leads.deliver([home]);
    const pair = await pairOf(work.metadata.leadId, home.metadata.leadId);
    const request = mergeRequest([work.metadata.leadId, home.metadata.leadId], pair.pair_id);
    const [merged] = (await requests.deliver([request])) as LeadMerged[];
    expect(merged!.type).toBe('lead.merged');
    expect(merged!.metadata.leadId).toBe(work.metadata.leadId);
    expect(merged!.data).toMatchObject({
      survivorLeadId: work.metadata.leadId,
      mergedLeadIds: [home.metadata.leadId],
      clusterLeadIds: [work.metadata.leadId, home.metadata.leadId],
      decision: { by: 'review', ruleSetVersion: 'review-test', reviewPairId: pair.pair_id, requestedBy: 'ops (key-1)' },
    });
    expect(merged!.data.lead).toMatchObject({ firstName: 'William', title: 'CFO', campaign: 'newsletter' });
    expect(merged!.data.provenance).toMatchObject({ title: work.metadata.leadId, campaign: home.metadata.leadId });
    expect(() => parseEvent(JSON.parse(JSON.stringify(merged)))).not.toThrow();
    expect((await pairOf(work.metadata.leadId, home.metadata.leadId)).status).toBe('merged');
    expect(await clusterOf(home.metadata.leadId)).toBe(work.metadata.leadId);
    expect(await outcomeOf(request)).toMatchObject({ status: 'done', detail: { survivorLeadId: work.metadata.leadId, mergedLeadIds: [home.metadata.leadId] } });
    // Redelivered: the same event, nothing changes.
    expect(await requests.deliver([request])).toEqual([merged]);
  });

  it('refuses to merge a pair twice, with the reason, and emits nothing', async () => {
    const [work, home] = samePersonTwice();
    await leads.deliver([work, home]);
    const pair = await pairOf(work.metadata.leadId, home.metadata.leadId);
    await requests.deliver([mergeRequest([work.metadata.leadId, home.metadata.leadId], pair.pair_id)]);
    const again = mergeRequest([work.metadata.leadId, home.metadata.leadId], pair.pair_id);
    expect(await requests.deliver([again])).toEqual([]);
    expect(await outcomeOf(again)).toMatchObject({ status: 'refused', detail: { reason: expect.stringContaining('already merged by ops (key-1)') } });
  });

  it('never proposes a dismissed pair again, and does not join its leads through a third lead matching both', async () => {
    const [work, home] = samePersonTwice();
    await leads.deliver([work, home]);
    const pair = await pairOf(work.metadata.leadId, home.metadata.leadId);
    await leads.query(`UPDATE dedupe.review_pair SET status = 'dismissed', decided_by = 'ops' WHERE pair_id = $1`, [pair.pair_id]);
    // `third` has the work mailbox and a CRM id; `fourth` has the personal mailbox and the same CRM id, so it
    // matches both clusters exactly. It joins one of them, never both.
    const third = enriched({ ...work.data.lead, externalIds: { crm: `c${n}` } });
    const fourth = enriched({ ...home.data.lead, externalIds: { crm: `c${n}` } });
    await leads.deliver([third]);
    await leads.deliver([fourth]);
    expect(await clusterOf(third.metadata.leadId)).toBe(work.metadata.leadId);
    expect(await clusterOf(home.metadata.leadId)).toBe(home.metadata.leadId);
    expect([work.metadata.leadId, home.metadata.leadId]).toContain(await clusterOf(fourth.metadata.leadId));
    expect(await clusterOf(work.metadata.leadId)).toBe(work.metadata.leadId);
    expect((await pairOf(work.metadata.leadId, home.metadata.leadId)).status).toBe('dismissed');
    expect(await leads.query(`SELECT 1 FROM dedupe.review_pair WHERE status = 'pending' AND lead_a = ANY($1::uuid[]) AND lead_b = ANY($1::uuid[])`, [[work, home, third, fourth].map((e) => e.metadata.leadId)])).toEqual(
      expect.not.arrayContaining([expect.anything()]),
    );
  });
});

describe('unmerge', () => {
  it('splits a merged lead off with its own fields, rebuilds the survivor without it, and never joins the two again', async () => {
    const [work, home] = samePersonTwice();
    await leads.deliver([work, home]);
    const pair = await pairOf(work.metadata.leadId, home.metadata.leadId);
    await requests.deliver([mergeRequest([work.metadata.leadId, home.metadata.leadId], pair.pair_id)]);
    const request = unmergeRequest(home.metadata.leadId);
    const [unmerged] = (await requests.deliver([request])) as LeadUnmerged[];
    expect(unmerged!.type).toBe('lead.unmerged');
    expect(unmerged!.metadata.leadId).toBe(home.metadata.leadId);
    expect(unmerged!.data).toMatchObject({ formerSurvivorLeadId: work.metadata.leadId, clusterLeadIds: [work.metadata.leadId], requestedBy: 'ops (key-1)' });
    expect(unmerged!.data.lead).toMatchObject({ email: home.data.lead.email, firstName: 'Bill', campaign: 'newsletter' });
    expect(unmerged!.data.lead.title).toBeUndefined();
    expect(unmerged!.data.survivorLead).toMatchObject({ email: work.data.lead.email, firstName: 'William', title: 'CFO' });
    expect(unmerged!.data.survivorLead.campaign).toBeUndefined();
    expect(() => parseEvent(JSON.parse(JSON.stringify(unmerged)))).not.toThrow();
    expect(await clusterOf(home.metadata.leadId)).toBe(home.metadata.leadId);
    expect((await pairOf(work.metadata.leadId, home.metadata.leadId)).status).toBe('dismissed');
    // A later merge request of the two is the person's call, but automatic matching keeps them apart.
    const later = enriched({ ...home.data.lead, email: home.data.lead.email });
    await leads.deliver([later]);
    expect(await clusterOf(later.metadata.leadId)).toBe(home.metadata.leadId);
    expect(await clusterOf(work.metadata.leadId)).toBe(work.metadata.leadId);
  });

  it('refuses to unmerge a surviving lead or a lead merged with nobody, naming why', async () => {
    const [work, home] = samePersonTwice();
    await leads.deliver([work, home]);
    const pair = await pairOf(work.metadata.leadId, home.metadata.leadId);
    await requests.deliver([mergeRequest([work.metadata.leadId, home.metadata.leadId], pair.pair_id)]);
    const survivor = unmergeRequest(work.metadata.leadId);
    expect(await requests.deliver([survivor])).toEqual([]);
    expect(await outcomeOf(survivor)).toMatchObject({ status: 'refused', detail: { reason: expect.stringContaining(`unmerge the leads merged into it instead (${home.metadata.leadId})`) } });
    const [loner] = samePersonTwice();
    await leads.deliver([loner]);
    const alone = unmergeRequest(loner.metadata.leadId);
    await requests.deliver([alone]);
    expect(await outcomeOf(alone)).toMatchObject({ status: 'refused', detail: { reason: `lead ${loner.metadata.leadId} is not merged with any other lead` } });
  });

  it('a manual merge of two leads with no pair is a merge by hand', async () => {
    const [work, home] = samePersonTwice();
    await leads.deliver([work, home]);
    const request = mergeRequest([home.metadata.leadId, work.metadata.leadId]);
    const [merged] = (await requests.deliver([request])) as LeadMerged[];
    expect(merged!.data).toMatchObject({ survivorLeadId: work.metadata.leadId, mergedLeadIds: [home.metadata.leadId], decision: { by: 'manual' } });
    expect((await pairOf(work.metadata.leadId, home.metadata.leadId)).status).toBe('merged');
  });
});
