// Identity through the whole stack as `npm start` runs it: a duplicate merged on arrival and scored on the
// merged record, the review queue over HTTP (list, merge, dismiss), unmerge, and what analytics shows of
// it all (canonicalLeadId, accountId). Match rules from a file put fuzzy matches in the review band.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually, getWithKey, postJson, startStack, waitForTypes, withLogs, type RunningStack } from './stack-harness';

let stack: RunningStack;
let rulesDir: string;

beforeAll(async () => {
  rulesDir = mkdtempSync(path.join(os.tmpdir(), 'leadstream-match-rules-'));
  const rulesFile = path.join(rulesDir, 'match-rules.json');
  writeFileSync(rulesFile, JSON.stringify({ version: 'e2e-review', autoMergeAt: 0.999999, reviewAt: 0.5 }));
  stack = await startStack({ env: { DEDUPE_MATCH_RULES_FILE: rulesFile } });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(rulesDir, { recursive: true, force: true });
}, 120_000);

async function postLead(lead: Record<string, unknown>): Promise<string> {
  const response = await postJson(`${stack.urls.ingestion}/v1/leads`, lead);
  expect(response.status).toBe(202);
  return (response.body as { leadId: string }).leadId;
}

async function json(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await getWithKey(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const analyticsLead = (leadId: string): Promise<{ status: number; body: Record<string, unknown> }> => json(`${stack.urls.analytics}/v1/leads/${leadId}`);

/** Waits until analytics shows the lead with `expected` (a partial match). */
function analyticsShows(leadId: string, expected: Record<string, unknown>, what: string): Promise<Record<string, unknown>> {
  return withLogs(
    stack,
    eventually(
      async () => {
        const { status, body } = await analyticsLead(leadId);
        return status === 200 && Object.entries(expected).every(([key, value]) => JSON.stringify(body[key]) === JSON.stringify(value)) ? body : undefined;
      },
      60_000,
      what,
    ),
  );
}

it('merges a sparse duplicate on arrival and scores the merged record, not the duplicate alone', async () => {
  const rich = await postLead({
    email: 'ada.lovelace@analytical-engines.example',
    firstName: 'Ada',
    lastName: 'Lovelace',
    company: 'Analytical Engines Ltd',
    title: 'VP Engineering',
    phone: '+44 20 7946 0000',
    country: 'GB',
    source: 'webinar',
    campaign: 'spring-webinar',
  });
  await waitForTypes(stack, rich, ['lead.scored']);
  const before = await json(`${stack.urls.scoring}/v1/leads/${rich}/score`);
  expect(before.status).toBe(200);
  const sparse = await postLead({ email: 'Ada.Lovelace@Analytical-Engines.example', lastName: 'Lovelace', source: 'import', campaign: 'autumn-newsletter' });
  const history = await waitForTypes(stack, sparse, ['lead.resolved']);
  const resolved = history.find((event) => event.type === 'lead.resolved')!;
  expect(resolved.data).toMatchObject({ outcome: 'merged', masterLeadId: rich, lead: { title: 'VP Engineering', campaign: 'spring-webinar' } });
  await analyticsShows(sparse, { canonicalLeadId: rich, status: 'merged' }, 'the duplicate to be shown as merged into the rich lead');
  // Rescored on the merged record: the score the rich lead had, not the sparse duplicate's.
  const after = await withLogs(
    stack,
    eventually(
      async () => {
        const events = await (await getWithKey(`${stack.urls.analytics}/v1/leads/${rich}/history`)).json() as { events: { type: string; causationId: string | null }[] };
        return events.events.filter((event) => event.type === 'lead.scored').length >= 2 ? json(`${stack.urls.scoring}/v1/leads/${rich}/score`) : undefined;
      },
      60_000,
      'the surviving lead to be rescored after the merge',
    ),
  );
  expect(after.body['score']).toBe(before.body['score']);
  expect(after.body['grade']).toBe(before.body['grade']);
}, 120_000);

it('puts a fuzzy pair in the review queue; a person merges it, then splits it again', async () => {
  const work = await postLead({ email: 'william.okafor@wayne-enterprises.example', firstName: 'William', lastName: 'Okafor', company: 'Wayne Enterprises', title: 'CFO', phone: '+1 212 555 0187', country: 'US' });
  await waitForTypes(stack, work, ['lead.resolved']);
  const home = await postLead({ email: 'bill.okafor@gmail.com', firstName: 'Bill', lastName: 'Okafor', company: 'Wayne Enterprises Inc.', phone: '(212) 555-0187', country: 'US', campaign: 'newsletter' });
  await waitForTypes(stack, home, ['lead.resolved']);

  const listed = await json(`${stack.urls.dedupe}/v1/duplicates`);
  expect(listed.status).toBe(200);
  const pairs = listed.body['pairs'] as { pairId: string; score: number; leads: { leadId: string }[]; differences: { field: string }[]; features: unknown[] }[];
  const pair = pairs.find((candidate) => candidate.leads.some((lead) => lead.leadId === home));
  expect(pair).toBeDefined();
  expect(pair!.leads.map((lead) => lead.leadId).sort()).toEqual([work, home].sort());
  expect(pair!.differences.map((difference) => difference.field)).toEqual(expect.arrayContaining(['firstName', 'email']));
  expect(pair!.features.length).toBeGreaterThan(0);

  const merged = await postJson(`${stack.urls.dedupe}/v1/duplicates/${pair!.pairId}/merge`, {});
  expect(merged).toMatchObject({ status: 200, body: { status: 'done', survivorLeadId: work, mergedLeadIds: [home] } });
  const again = await postJson(`${stack.urls.dedupe}/v1/duplicates/${pair!.pairId}/merge`, {});
  expect(again.status).toBe(409);
  expect(JSON.stringify(again.body)).toContain('already merged');
  await analyticsShows(home, { canonicalLeadId: work, status: 'merged' }, 'the merged lead to be shown as merged into the work lead');
  const resolution = await json(`${stack.urls.dedupe}/v1/leads/${home}/resolution`);
  expect(resolution.body).toMatchObject({ survivingLeadId: work, merged: true, clusterLeadIds: [work, home] });
  expect(resolution.body['decisions']).toEqual([expect.objectContaining({ kind: 'review', requestedBy: expect.stringContaining('bootstrap') })]);

  const refused = await postJson(`${stack.urls.dedupe}/v1/leads/${work}/unmerge`, {});
  expect(refused.status).toBe(409);
  expect(JSON.stringify(refused.body)).toContain(`unmerge the leads merged into it instead (${home})`);
  const split = await postJson(`${stack.urls.dedupe}/v1/leads/${home}/unmerge`, {});
  expect(split).toMatchObject({ status: 200, body: { status: 'done', leadId: home, formerSurvivorLeadId: work, clusterLeadIds: [work] } });
  await analyticsShows(home, { canonicalLeadId: home }, 'the split-off lead to be its own lead again');
  // It lives on as its own lead: scored again under its own id.
  await withLogs(
    stack,
    eventually(
      async () => {
        const response = await getWithKey(`${stack.urls.scoring}/v1/leads/${home}/score`);
        return response.status === 200 ? true : undefined;
      },
      60_000,
      'the split-off lead to be scored as its own lead',
    ),
  );
}, 180_000);

it('dismisses a pair for good, and answers unknown pairs and leads with 404', async () => {
  const one = await postLead({ email: 'greta.halvorsen@fjord-shipping.example', firstName: 'Greta', lastName: 'Halvorsen', company: 'Fjord Shipping', country: 'NO' });
  await waitForTypes(stack, one, ['lead.resolved']);
  const two = await postLead({ email: 'greta.h@outlook.com', firstName: 'Grete', lastName: 'Halvorsen', company: 'Fjord Shipping AS', country: 'NO' });
  await waitForTypes(stack, two, ['lead.resolved']);
  const pairs = (await json(`${stack.urls.dedupe}/v1/duplicates?limit=200`)).body['pairs'] as { pairId: string; leads: { leadId: string }[] }[];
  const pair = pairs.find((candidate) => candidate.leads.some((lead) => lead.leadId === two));
  expect(pair).toBeDefined();
  const dismissed = await postJson(`${stack.urls.dedupe}/v1/duplicates/${pair!.pairId}/dismiss`, {});
  expect(dismissed).toMatchObject({ status: 200, body: { pairId: pair!.pairId, status: 'dismissed' } });
  expect((await postJson(`${stack.urls.dedupe}/v1/duplicates/${pair!.pairId}/dismiss`, {})).status).toBe(409);
  const remaining = (await json(`${stack.urls.dedupe}/v1/duplicates?limit=200`)).body['pairs'] as { pairId: string }[];
  expect(remaining.map((candidate) => candidate.pairId)).not.toContain(pair!.pairId);
  expect((await postJson(`${stack.urls.dedupe}/v1/duplicates/00000000-0000-4000-8000-000000000000/merge`, {})).status).toBe(404);
  expect((await postJson(`${stack.urls.dedupe}/v1/leads/00000000-0000-4000-8000-000000000000/unmerge`, {})).status).toBe(404);
  expect((await getWithKey(`${stack.urls.dedupe}/v1/duplicates?limit=0`)).status).toBe(400);
}, 120_000);

it('gives colleagues one account, which analytics shows on each of them and lists by account', async () => {
  const ann = await postLead({ email: 'ann.ames@umbrella-corp.example', firstName: 'Ann', lastName: 'Ames', company: 'Umbrella Corporation', country: 'US' });
  const ben = await postLead({ email: 'ben.bloom@umbrella-corp.example', firstName: 'Ben', lastName: 'Bloom', company: 'Umbrella Corp', country: 'US' });
  await waitForTypes(stack, ann, ['lead.assigned']);
  await waitForTypes(stack, ben, ['lead.assigned']);
  const annState = (await analyticsLead(ann)).body;
  const benState = (await analyticsLead(ben)).body;
  expect(annState['accountId']).toMatch(/^[0-9a-f-]{36}$/);
  expect(benState['accountId']).toBe(annState['accountId']);
  const account = await json(`${stack.urls.analytics}/v1/accounts/${String(annState['accountId'])}/leads`);
  expect(account.status).toBe(200);
  expect(JSON.stringify(account.body)).toContain(ann);
  expect(JSON.stringify(account.body)).toContain(ben);
}, 120_000);

it('takes a lead without email that names someone through to a rep, pairs its phone duplicate, and refuses one that names no one', async () => {
  const card = await postLead({ firstName: 'Grace', lastName: 'Hopper', company: 'Cobol Systems Inc', phone: '+1 212 555 0199', country: 'US', source: 'event' });
  await waitForTypes(stack, card, ['lead.enriched', 'lead.resolved', 'lead.scored', 'lead.assigned']);
  const shown = await analyticsShows(card, { email: null }, 'analytics to show the lead without email');
  expect(shown['status']).not.toBe('rejected');
  // The same person again from a phone-only list: the phone is her key, and the names agree.
  const again = await postLead({ lastName: 'Hopper', phone: '(212) 555-0199', country: 'US', source: 'import' });
  await waitForTypes(stack, again, ['lead.resolved']);
  const resolution = await json(`${stack.urls.dedupe}/v1/leads/${again}/resolution`);
  expect(resolution.status).toBe(200);
  expect(JSON.stringify(resolution.body)).toContain(card);
  const refused = await postJson(`${stack.urls.ingestion}/v1/leads`, { firstName: 'Nobody', title: 'CTO' });
  expect(refused.status).toBe(400);
  expect(JSON.stringify(refused.body)).toContain('names no one');
}, 120_000);
