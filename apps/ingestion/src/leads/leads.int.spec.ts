// POST /v1/leads and /v1/leads/batch against the development broker and the test PostgreSQL.
import { randomUUID } from 'node:crypto';
import type { LeadReceived, LeadRejected } from '@leadstream/contracts';
import { postJson, problemText, startIntakeApp, type IntakeTestApp } from './intake-int-kit.spec';

let app: IntakeTestApp;

beforeAll(async () => {
  app = await startIntakeApp();
}, 90_000);

afterAll(async () => {
  await app?.stop();
}, 60_000);

function received(source: string): LeadReceived[] {
  return app.events.filter((event): event is LeadReceived => event.type === 'lead.received' && event.data.lead.source === source);
}
function rejected(source: string): LeadRejected[] {
  return app.events.filter((event): event is LeadRejected => event.type === 'lead.rejected' && event.data.source === source);
}

interface BadRequest {
  message: string[] | string;
  fields?: string[];
}

describe('POST /v1/leads', () => {
  it('accepts a valid lead: 202 with its id, lead.received (channel api) carrying attribution and the Referer header as referrer', async () => {
    const source = `single-${randomUUID()}`;
    const response = await postJson(
      app,
      '/v1/leads',
      { email: '  ada@analytical-engines.example ', firstName: 'Ada', source, utmSource: 'newsletter', attribution: { utmCampaign: 'spring' } },
      { referer: 'https://blog.example.org/post' },
    );
    expect(response.status).toBe(202);
    const { leadId } = (await response.json()) as { leadId: string };
    await app.caughtUp();
    const events = received(source);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      metadata: { leadId },
      data: {
        channel: 'api',
        lead: { email: 'ada@analytical-engines.example', attribution: { utmSource: 'newsletter', utmCampaign: 'spring', referrer: 'https://blog.example.org/post' } },
      },
    });
  }, 30_000);

  it('answers 400 naming each field and publishes lead.rejected (channel api, with the source) for an invalid lead', async () => {
    const source = `single-bad-${randomUUID()}`;
    const response = await postJson(app, '/v1/leads', { email: 'not-an-address', phone: 12, source });
    expect(response.status).toBe(400);
    const body = (await response.json()) as BadRequest;
    expect(body.fields).toEqual(expect.arrayContaining(['email', 'phone']));
    expect(body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^email: has no @$/), expect.stringMatching(/^phone: .*string.*number/)]));
    await app.caughtUp();
    expect(received(source)).toHaveLength(0);
    const events = rejected(source);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ channel: 'api', source, reasons: expect.arrayContaining([expect.objectContaining({ field: 'email' })]) });
  }, 30_000);

  describe('bad input is answered 400 naming the problem', () => {
    const cases: [string, string | object, RegExp, string | undefined][] = [
      ['malformed JSON', '{"email": "a@b.example",', /malformed JSON/, undefined],
      ['a wrong type', { email: 'a@b.example', firstName: { nested: true } }, /^firstName: must be a string, got object$/m, 'firstName'],
      ['an array instead of an object', [{ email: 'a@b.example' }], /expected an object of lead fields, got array/, '(body)'],
      ['a string of half a megabyte', { email: 'a@b.example', company: 'x'.repeat(512 * 1024) }, /^company: is longer than 200 characters/m, 'company'],
      ['an unknown field', { email: 'a@b.example', favouriteColour: 'blue' }, /^favouriteColour: is not a known field; allowed: /m, 'favouriteColour'],
      ['a __proto__ key', '{"email":"a@b.example","__proto__":{"polluted":"yes"}}', /^__proto__: is not allowed as a field name$/m, '__proto__'],
      ['a constructor key', { email: 'a@b.example', constructor: 'x' }, /^constructor: is not allowed as a field name$/m, 'constructor'],
      ['a lead that names no one', { firstName: 'Nobody', title: 'CTO' }, /^names no one: give an email, a phone, an external id, or a name with a company \(a name alone is not enough: add the company or its website\)$/m, undefined],
    ];
    it.each(cases)('%s', async (_name, body, pattern, field) => {
      const response = await postJson(app, '/v1/leads', body);
      expect(response.status).toBe(400);
      const answer = (await response.json()) as BadRequest;
      expect([answer.message].flat().join('\n')).toMatch(pattern);
      if (field !== undefined) expect(answer.fields).toContain(field);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it('a body that is not JSON at all', async () => {
      const response = await app.request('/v1/leads', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'email=a@b.example' });
      expect(response.status).toBe(400);
      expect(await problemText(response)).toMatch(/expected a JSON object of lead fields/);
    });
  });
});

describe('leads without email', () => {
  it.each([
    ['a phone', { phone: '+44 20 7946 0000' }],
    ['a phone that cannot be parsed', { phone: 'ask for Ada at reception' }],
    ['an external id', { externalIds: { Salesforce: '00Q5e00000AbCdE' } }],
    ['a name with a company', { firstName: 'Ada', company: 'Analytical Engines' }],
  ])('given a lead naming someone by %s, when it is posted, then it is accepted and lead.received carries no email', async (_name, lead) => {
    const source = `no-email-${randomUUID()}`;
    const response = await postJson(app, '/v1/leads', { ...lead, source });
    expect(response.status).toBe(202);
    const { leadId } = (await response.json()) as { leadId: string };
    await app.caughtUp();
    const events = received(source);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ metadata: { leadId }, data: { channel: 'api' } });
    expect(events[0]!.data.lead).not.toHaveProperty('email');
  }, 30_000);

  it('given a lead that names no one, when it is posted, then the 400 says so without naming a field, and lead.rejected carries the reason', async () => {
    const source = `names-no-one-${randomUUID()}`;
    const response = await postJson(app, '/v1/leads', { company: 'Analytical Engines', country: 'GB', source });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      message: ["names no one: give an email, a phone, an external id, or a name with a company (a company alone is not enough: add the person's name)"],
      fields: [],
    });
    await app.caughtUp();
    expect(received(source)).toHaveLength(0);
    expect(rejected(source).map((event) => event.data.reasons)).toEqual([[{ field: '', message: expect.stringMatching(/^names no one: /) }]]);
  }, 30_000);

  it('given a batch mixing leads with and without email, then each that names someone is accepted and only the one naming no one is refused', async () => {
    const source = `batch-no-email-${randomUUID()}`;
    const leads = [
      { email: 'grace@navy.example', source },
      { phone: '+1 617 555 0100', source },
      { firstName: 'Alan', source },
      { lastName: 'Johnson', website: 'nasa.example', source },
      { externalIds: { hubspot: '77' }, source },
    ];
    const response = await postJson(app, '/v1/leads/batch', { leads });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { results: { index: number; leadId?: string; errors?: { field: string; message: string }[] }[]; accepted: number; rejected: number };
    expect(body).toMatchObject({ accepted: 4, rejected: 1 });
    expect(body.results[2]).toEqual({ index: 2, errors: [{ field: '', message: expect.stringMatching(/^names no one: give an email, a phone, an external id, or a name with a company/) }] });
    await app.caughtUp();
    expect(received(source).map((event) => event.metadata.leadId).sort()).toEqual([0, 1, 3, 4].map((index) => body.results[index]!.leadId).sort());
    expect(rejected(source)).toHaveLength(1);
  }, 30_000);
});

describe('POST /v1/leads with externalIds', () => {
  it('accepts ids in other systems: 202, and lead.received carries them with system names lower-cased and ids trimmed', async () => {
    const source = `external-${randomUUID()}`;
    const response = await postJson(app, '/v1/leads', {
      email: 'ada@analytical-engines.example',
      source,
      externalIds: { Salesforce: ' 00Q5e00000AbCdE ', hubspot: '1234', marketo: '' },
    });
    expect(response.status).toBe(202);
    const { leadId } = (await response.json()) as { leadId: string };
    await app.caughtUp();
    const events = received(source);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ metadata: { leadId } });
    expect(events[0]!.data.lead.externalIds).toEqual({ salesforce: '00Q5e00000AbCdE', hubspot: '1234' });
  }, 30_000);

  it.each([
    ['a system name with a space', { 'Sales Force': 'x' }, /^externalIds\.Sales Force: is not a system name: /m, 'externalIds.Sales Force'],
    ['more than 10 systems', Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`crm${index}`, `id${index}`])), /^externalIds: at most 10 systems, got 11$/m, 'externalIds'],
    ['a number as an id', { hubspot: 1234 }, /^externalIds\.hubspot: must be a string, got number/m, 'externalIds.hubspot'],
    ['not an object', ['00Q5e00000AbCdE'], /^externalIds: must be an object of system name -> id/m, 'externalIds'],
  ])('answers 400 naming the field for %s, and publishes lead.rejected instead of lead.received', async (_name, externalIds, pattern, field) => {
    const source = `external-bad-${randomUUID()}`;
    const response = await postJson(app, '/v1/leads', { email: 'ada@analytical-engines.example', source, externalIds });
    expect(response.status).toBe(400);
    const answer = (await response.json()) as BadRequest;
    expect([answer.message].flat().join('\n')).toMatch(pattern);
    expect(answer.fields).toEqual([field]);
    await app.caughtUp();
    expect(received(source)).toHaveLength(0);
    expect(rejected(source).map((event) => event.data.reasons.map((reason) => reason.field))).toEqual([[field]]);
  }, 30_000);

  it('takes externalIds per item in a batch: the good item carries them, the bad one is refused by index', async () => {
    const source = `external-batch-${randomUUID()}`;
    const response = await postJson(app, '/v1/leads/batch', {
      leads: [
        { email: 'grace@navy.example', source, externalIds: { hubspot: '77' } },
        { email: 'mary@nasa.example', source, externalIds: { 'Sales Force': 'x' } },
      ],
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { results: { index: number; leadId?: string; errors?: { field: string; message: string }[] }[] };
    expect(body.results[1]!.errors).toEqual([{ field: 'externalIds.Sales Force', message: expect.stringMatching(/^is not a system name/) }]);
    await app.caughtUp();
    expect(received(source).map((event) => event.data.lead.externalIds)).toEqual([{ hubspot: '77' }]);
  }, 30_000);
});

describe('POST /v1/leads with a website', () => {
  it('accepts a website: 202, and lead.received carries it as written (trimmed)', async () => {
    const source = `website-${randomUUID()}`;
    const response = await postJson(app, '/v1/leads', { email: 'ada@gmail.com', source, website: ' https://www.analytical-engines.example/about ' });
    expect(response.status).toBe(202);
    const { leadId } = (await response.json()) as { leadId: string };
    await app.caughtUp();
    const events = received(source);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ metadata: { leadId }, data: { lead: { email: 'ada@gmail.com', website: 'https://www.analytical-engines.example/about' } } });
  }, 30_000);

  it.each([
    ['spaces', 'analytical engines', /^website: must not contain spaces/m],
    ['another scheme', 'ftp://analytical-engines.example', /^website: must be an http or https address, not ftp:$/m],
    ['a host that is no domain name', 'localhost', /^website: has the host "localhost", which is not a domain name/m],
    ['more than 2048 characters', `analytical-engines.example/${'a'.repeat(2030)}`, /^website: is longer than 2048 characters \(got 2057\)$/m],
  ])('answers 400 naming website for %s, and publishes lead.rejected instead of lead.received', async (_name, website, pattern) => {
    const source = `website-bad-${randomUUID()}`;
    const response = await postJson(app, '/v1/leads', { email: 'ada@gmail.com', source, website });
    expect(response.status).toBe(400);
    const answer = (await response.json()) as BadRequest;
    expect([answer.message].flat().join('\n')).toMatch(pattern);
    expect(answer.fields).toEqual(['website']);
    await app.caughtUp();
    expect(received(source)).toHaveLength(0);
    expect(rejected(source).map((event) => event.data.reasons.map((reason) => reason.field))).toEqual([['website']]);
  }, 30_000);

  it('takes a website per item in a batch: the good item carries it, the bad one is refused by index naming website', async () => {
    const source = `website-batch-${randomUUID()}`;
    const response = await postJson(app, '/v1/leads/batch', {
      leads: [
        { email: 'grace@gmail.com', source, website: 'navy.example' },
        { email: 'mary@gmail.com', source, website: 'mailto:mary@nasa.example' },
      ],
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { results: { index: number; leadId?: string; errors?: { field: string; message: string }[] }[] };
    expect(body.results[1]!.errors).toEqual([{ field: 'website', message: 'must be an http or https address, not mailto:' }]);
    await app.caughtUp();
    expect(received(source).map((event) => event.data.lead.website)).toEqual(['navy.example']);
  }, 30_000);
});

describe('POST /v1/leads/batch', () => {
  it('accepts the valid items and refuses the others, one result per index; exactly those go to lead.received and lead.rejected', async () => {
    const source = `batch-${randomUUID()}`;
    const leads = [
      { email: 'grace@navy.example', source, company: 'US Navy' },
      { email: 'broken-address', source },
      { email: 'katherine@nasa.example', source, landingPage: 'https://leadstream.example/p?utm_source=ads&utm_medium=cpc' },
      { email: 'joan@example.org', source, shoeSize: '42' },
      { email: 'dorothy@nasa.example', source, firstName: 7 },
      { email: 'mary@nasa.example', source },
    ];
    const response = await postJson(app, '/v1/leads/batch', { leads }, { referer: 'https://partner.example/list' });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { results: { index: number; leadId?: string; errors?: { field: string; message: string }[] }[]; accepted: number; rejected: number };
    expect(body).toMatchObject({ accepted: 3, rejected: 3 });
    expect(body.results.map((result) => result.index)).toEqual([0, 1, 2, 3, 4, 5]);
    const acceptedIds = [0, 2, 5].map((index) => body.results[index]!.leadId);
    acceptedIds.forEach((id) => expect(id).toMatch(/^[0-9a-f-]{36}$/));
    expect(body.results[1]!.errors).toEqual([expect.objectContaining({ field: 'email' })]);
    expect(body.results[3]!.errors).toEqual([expect.objectContaining({ field: 'shoeSize', message: expect.stringMatching(/^is not a known field; allowed: /) })]);
    expect(body.results[4]!.errors).toEqual([expect.objectContaining({ field: 'firstName' })]);
    await app.caughtUp();
    const accepted = received(source);
    expect(accepted.map((event) => event.metadata.leadId).sort()).toEqual([...acceptedIds].sort());
    expect(accepted.every((event) => event.data.channel === 'batch')).toBe(true);
    const katherine = accepted.find((event) => event.data.lead.email === 'katherine@nasa.example');
    expect(katherine?.data.lead.attribution).toEqual({
      landingPage: 'https://leadstream.example/p?utm_source=ads&utm_medium=cpc',
      utmSource: 'ads',
      utmMedium: 'cpc',
      referrer: 'https://partner.example/list',
    });
    const refused = rejected(source);
    expect(refused).toHaveLength(3);
    expect(refused.every((event) => event.data.channel === 'batch')).toBe(true);
    expect(refused.map((event) => event.data.reasons[0]!.field).sort()).toEqual(['email', 'firstName', 'shoeSize']);
  }, 30_000);

  it('accepts 1,000 leads and refuses 1,001 with a 400 naming the limit', async () => {
    const source = `batch-limit-${randomUUID()}`;
    const make = (count: number) => Array.from({ length: count }, (_, index) => ({ email: `lead${index}@limit.example`, source }));
    const tooMany = await postJson(app, '/v1/leads/batch', { leads: make(1001) });
    expect(tooMany.status).toBe(400);
    expect(await problemText(tooMany)).toMatch(/at most 1000 leads, got 1001/);
    const full = await postJson(app, '/v1/leads/batch', { leads: make(1000) });
    expect(full.status).toBe(202);
    expect(await full.json()).toMatchObject({ accepted: 1000, rejected: 0 });
    await app.caughtUp();
    expect(received(source)).toHaveLength(1000);
  }, 60_000);

  it.each([
    ['leads is not an array', { leads: { email: 'a@b.example' } }, /leads: must be an array of leads, got object/],
    ['no leads', { leads: [] }, /at least one lead/],
    ['an unknown top-level field', { leads: [{ email: 'a@b.example' }], dryRun: true }, /unknown field "dryRun"/],
    ['a __proto__ top-level key', '{"leads":[{"email":"a@b.example"}],"__proto__":{"x":1}}', /unknown field "__proto__"/],
    ['an array body', [{ email: 'a@b.example' }], /expected \{ "leads": \[ \.\.\. \] \}, got an array/],
    ['malformed JSON', '{"leads": [', /malformed JSON/],
  ])('answers 400 for %s', async (_name, body, pattern) => {
    const response = await postJson(app, '/v1/leads/batch', body);
    expect(response.status).toBe(400);
    expect(await problemText(response)).toMatch(pattern);
  });

  it('answers 503 with Retry-After for the whole batch while Kafka cannot acknowledge, and still 400 for an invalid single lead', async () => {
    await app.stopBroker();
    const batch = await postJson(app, '/v1/leads/batch', { leads: [{ email: 'a@kafka-down.example' }, { email: 'nope' }] });
    expect(batch.status).toBe(503);
    expect(batch.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await problemText(batch)).toMatch(/Kafka did not acknowledge/);
    const invalid = await postJson(app, '/v1/leads', { email: 'nope' });
    expect(invalid.status).toBe(400);
  }, 60_000);
});

describe('OpenAPI document', () => {
  it('documents the intake routes and their bodies', async () => {
    const document = (await (await app.request('/docs-json', { auth: false })).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown; tags?: string[] }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(document.paths['/v1/leads']?.['post']?.requestBody).toBeDefined();
    expect(document.paths['/v1/leads/batch']?.['post']?.tags).toEqual(['leads']);
    expect(Object.keys(document.paths['/v1/forms/{formId}'] ?? {}).sort()).toEqual(['get', 'options', 'post', 'put']);
    expect(document.paths['/v1/forms/{formId}/snippet']?.['get']).toBeDefined();
    expect(document.paths['/v1/activities']?.['post']?.requestBody).toBeDefined();
    expect(Object.keys(document.components.schemas['LeadDto']?.properties ?? {})).toEqual(expect.arrayContaining(['email', 'utmSource', 'attribution', 'externalIds', 'website']));
    expect(document.components.schemas['LeadDto']?.properties?.['website']).toMatchObject({ type: 'string', maxLength: 2048 });
    expect(document.components.schemas['LeadDto']?.properties?.['externalIds']).toMatchObject({
      type: 'object',
      additionalProperties: { type: 'string', maxLength: 200 },
      maxProperties: 10,
    });
    expect(Object.keys(document.components.schemas['ActivityDto']?.properties ?? {})).toEqual(expect.arrayContaining(['leadId', 'email', 'kind', 'at', 'url']));
  });
});
