// The intake endpoints on the stack started as `npm start` does: a batch of leads and a web-to-lead
// form post travel the whole pipeline.
import { randomUUID } from 'node:crypto';
import { postJson, startStack, waitForTypes, type HistoryEvent, type RunningStack } from './stack-harness';

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack();
}, 300_000);

afterAll(async () => {
  await stack?.stop();
}, 120_000);

function historyWith(leadId: string, type: string): Promise<HistoryEvent[]> {
  return waitForTypes(stack, leadId, [type], 90_000);
}

describe('intake on the running stack', () => {
  it('carries every accepted lead of a batch to an owner, and reports the refused one', async () => {
    const run = randomUUID().slice(0, 8);
    const response = await postJson(`${stack.urls.ingestion}/v1/leads/batch`, {
      leads: [
        { email: `ada.${run}@analytical-engines.example`, company: 'Analytical Engines Ltd', title: 'VP Engineering', source: 'e2e-batch' },
        { email: 'not-an-address', source: 'e2e-batch' },
        { email: `grace.${run}@navy-systems.example`, company: 'Navy Systems Inc.', country: 'US', source: 'e2e-batch' },
        { email: `katherine.${run}@orbital.example`, firstName: 'Katherine', source: 'e2e-batch', utmSource: 'partner' },
      ],
    });
    expect(response.status).toBe(202);
    const body = response.body as { results: { index: number; leadId?: string; errors?: unknown[] }[]; accepted: number; rejected: number };
    expect(body).toMatchObject({ accepted: 3, rejected: 1 });
    expect(body.results[1]!.errors).toEqual([expect.objectContaining({ field: 'email' })]);
    const leadIds = [0, 2, 3].map((index) => body.results[index]!.leadId as string);
    for (const leadId of leadIds) {
      const events = await historyWith(leadId, 'lead.assigned');
      expect(events.find((event) => event.type === 'lead.received')?.data).toMatchObject({ channel: 'batch' });
      // the batch API is live traffic: every hop in the live lane (docs/adr/0008-bulk-lane.md)
      expect(new Set(events.map((event) => event.lane))).toEqual(new Set(['live']));
    }
  }, 300_000);

  it('shows the attribution of a web-to-lead form post in the lead history', async () => {
    const formId = `e2e-${randomUUID().slice(0, 8)}`;
    const defined = await fetch(`${stack.urls.ingestion}/v1/forms/${formId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...stack.authHeaders },
      body: JSON.stringify({
        version: '1',
        fieldMapping: { your_email: 'email', company: 'company' },
        allowedOrigins: ['https://www.example.com'],
        redirectUrl: 'https://www.example.com/thanks',
        honeypotField: 'website',
      }),
    });
    expect(defined.status).toBe(200);

    const snippet = await fetch(`${stack.urls.ingestion}/v1/forms/${formId}/snippet`);
    expect(await snippet.text()).toContain(`/v1/forms/${formId}"`);

    const email = `form.${randomUUID().slice(0, 8)}@orbital.example`;
    const posted = await fetch(`${stack.urls.ingestion}/v1/forms/${formId}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        origin: 'https://www.example.com',
        referer: 'https://www.example.com/webinars/spring',
      },
      body: new URLSearchParams({ your_email: email, company: 'Orbital Mechanics GmbH', utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring', website: '' }).toString(),
    });
    expect(posted.status).toBe(202);
    const { leadId } = (await posted.json()) as { leadId: string };
    const events = await historyWith(leadId, 'lead.assigned');
    const received = events.find((event) => event.type === 'lead.received');
    expect(received?.data).toMatchObject({
      channel: 'form',
      formId,
      lead: { email, attribution: { utmSource: 'newsletter', utmMedium: 'email', utmCampaign: 'spring', referrer: 'https://www.example.com/webinars/spring' } },
    });
  }, 300_000);
});
