// Web-to-lead forms against the development broker and the test PostgreSQL: forms from
// INGESTION_FORMS_FILE and from the admin API, urlencoded posts, honeypot, origins, snippet, preflight.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { LeadReceived, LeadRejected } from '@leadstream/contracts';
import { DataSource } from 'typeorm';
import { postJson, problemText, startIntakeApp, type IntakeTestApp } from '../leads/intake-int-kit.spec';
import { FormFieldsInOrder1763900410000 } from '../persistence/migrations/1763900410000-form-fields-in-order';

const SITE = 'https://www.example.com';
const THANK_YOU = 'https://www.example.com/thank-you?from=webinar';

let app: IntakeTestApp;
let configDir: string;
let formsFile: string;

beforeAll(async () => {
  configDir = mkdtempSync(path.join(os.tmpdir(), 'forms-int-'));
  formsFile = path.join(configDir, 'forms.json');
  writeFileSync(
    formsFile,
    JSON.stringify([
      {
        formId: 'webinar',
        version: '1',
        fieldMapping: { your_email: 'email', name: 'firstName', org: 'company' },
        redirectUrl: THANK_YOU,
        allowedOrigins: [SITE],
        honeypotField: 'website',
        source: 'webinar-form',
      },
      { formId: 'newsletter', version: '1', fieldMapping: { email: 'email' }, allowedOrigins: ['*'] },
      {
        formId: 'demo-request',
        version: '1',
        fields: [
          { name: 'full_name', field: 'firstName', label: 'Your name', required: true },
          { name: 'work_email', field: 'email', label: 'Work email' },
          { name: 'org', field: 'company', label: 'Company name' },
          { name: 'land', field: 'country', label: 'Country' },
        ],
        consent: { text: 'I agree that Example Ltd may contact me about a demo.' },
        allowedOrigins: [SITE],
      },
      {
        // A callback form: a phone and no email input.
        formId: 'callback',
        version: '1',
        fields: [
          { name: 'name', field: 'firstName', label: 'Your name' },
          { name: 'tel', field: 'phone', label: 'Your number' },
        ],
        allowedOrigins: [SITE],
      },
    ]),
  );
  app = await startIntakeApp({ env: { INGESTION_FORMS_FILE: formsFile } });
}, 90_000);

afterAll(async () => {
  await app?.stop();
  rmSync(configDir, { recursive: true, force: true });
}, 60_000);

function postForm(formId: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return app.request(`/v1/forms/${formId}`, {
    auth: false,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SITE, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

async function eventsFor(email: string): Promise<(LeadReceived | LeadRejected)[]> {
  await app.caughtUp();
  return app.events.filter(
    (event): event is LeadReceived | LeadRejected =>
      (event.type === 'lead.received' && event.data.lead.email === email) || (event.type === 'lead.rejected' && event.data.source === email),
  );
}

describe('POST /v1/forms/:formId', () => {
  it('takes a urlencoded post from an allowed origin: lead.received (channel form, formId, attribution), then 303 to the thank-you page', async () => {
    const email = `ada.${randomUUID()}@example.org`;
    const response = await postForm(
      'webinar',
      { your_email: email, name: 'Ada', org: 'Analytical Engines', utm_source: 'linkedin', utm_campaign: 'spring', website: '' },
      { referer: `${SITE}/webinars/spring?utm_source=linkedin` },
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(THANK_YOU);
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    const events = await eventsFor(email);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'lead.received',
      data: {
        channel: 'form',
        formId: 'webinar',
        lead: {
          email,
          firstName: 'Ada',
          company: 'Analytical Engines',
          source: 'webinar-form',
          attribution: { utmSource: 'linkedin', utmCampaign: 'spring', referrer: `${SITE}/webinars/spring?utm_source=linkedin` },
        },
      },
    });
  }, 30_000);

  it('answers 202 with the lead id when the client accepts JSON, and when the form has no thank-you page', async () => {
    const json = await postForm('webinar', { your_email: `json.${randomUUID()}@example.org` }, { accept: 'application/json' });
    expect(json.status).toBe(202);
    expect(((await json.json()) as { leadId: string }).leadId).toMatch(/^[0-9a-f-]{36}$/);
    const email = `plain.${randomUUID()}@example.org`;
    const plain = await postForm('newsletter', { email }, { origin: 'https://anywhere.example' });
    expect(plain.status).toBe(202);
    const { leadId } = (await plain.json()) as { leadId: string };
    const events = await eventsFor(email);
    expect(events.map((event) => event.metadata.leadId)).toEqual([leadId]);
  }, 30_000);

  it('answers a filled honeypot exactly as a success and publishes nothing', async () => {
    const email = `bot.${randomUUID()}@example.org`;
    const response = await postForm('webinar', { your_email: email, name: 'Bot', website: 'http://spam.example' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(THANK_YOU);
    // A real lead posted after the bot is seen, so the consumer has read past where the bot's would be.
    const human = `human.${randomUUID()}@example.org`;
    expect((await postForm('webinar', { your_email: human })).status).toBe(303);
    expect(await eventsFor(human)).toHaveLength(1);
    expect(await eventsFor(email)).toHaveLength(0);
    expect(app.events.some((event) => JSON.stringify(event).includes(email))).toBe(false);
  }, 30_000);

  it('refuses an origin the form does not allow (403), and a post without Origin', async () => {
    const email = `elsewhere.${randomUUID()}@example.org`;
    const response = await postForm('webinar', { your_email: email }, { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(await problemText(response)).toMatch(/origin https:\/\/evil\.example may not post to form "webinar"/);
    const none = await app.request('/v1/forms/webinar', {
      auth: false,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `your_email=${encodeURIComponent(email)}`,
    });
    expect(none.status).toBe(403);
    expect(await eventsFor(email)).toHaveLength(0);
  }, 30_000);

  it('answers 404 naming an unknown form', async () => {
    const response = await postForm('no-such-form', { your_email: 'a@example.org' });
    expect(response.status).toBe(404);
    expect(await problemText(response)).toMatch(/form "no-such-form" is not defined/);
  });

  it('answers 400 listing the fields and publishes lead.rejected (channel form, formId); the HTML page does not echo what was posted', async () => {
    const source = `form-bad-${randomUUID()}`;
    const json = await postForm('webinar', { your_email: 'no-at-sign', source: 'x' }, { accept: 'application/json' });
    expect(json.status).toBe(400);
    const body = (await json.json()) as { message: string[]; fields: string[] };
    expect(body.fields).toEqual(['email']);
    expect(body.message[0]).toMatch(/^email: .*has no @/);

    const html = await postForm('newsletter', { email: 'a@<script>alert(1)</script>.example', source }, { accept: 'text/html,application/xhtml+xml' });
    expect(html.status).toBe(400);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    const page = await html.text();
    // what was posted is not echoed back at all (labels and advice are escaped: see form-pages.unit.spec.ts)
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('alert(1)');
    // named by the label the visitor saw, never by the input name (email) or the internal message
    expect(page).toContain('<strong>Email</strong>: Please enter an email address such as name@example.com.');
    expect(page).not.toMatch(/has no @|email:|\{"/);

    await app.caughtUp();
    const rejected = app.events.filter((event): event is LeadRejected => event.type === 'lead.rejected' && event.data.formId !== undefined);
    expect(rejected.some((event) => event.data.formId === 'webinar' && event.data.channel === 'form' && event.data.reasons[0]?.field === 'email')).toBe(true);
    // the newsletter form maps no source field, so the posted "source" is ignored, and the rejection has none
    expect(rejected.some((event) => event.data.formId === 'newsletter' && event.data.channel === 'form')).toBe(true);
  }, 30_000);
});

describe('a callback form, without an email input', () => {
  function callbackEvents(): (LeadReceived | LeadRejected)[] {
    return app.events.filter((event): event is LeadReceived | LeadRejected => (event.type === 'lead.received' || event.type === 'lead.rejected') && event.data.formId === 'callback');
  }

  it('given a post with a phone, then the lead is accepted without email', async () => {
    const response = await postForm('callback', { name: 'Ada', tel: '+44 20 7946 0000' }, { accept: 'application/json' });
    expect(response.status).toBe(202);
    const { leadId } = (await response.json()) as { leadId: string };
    await app.caughtUp();
    const event = callbackEvents().find((candidate) => candidate.metadata.leadId === leadId);
    expect(event).toMatchObject({ type: 'lead.received', data: { channel: 'form', formId: 'callback', lead: { firstName: 'Ada', phone: '+44 20 7946 0000' } } });
    expect((event as LeadReceived).data.lead).not.toHaveProperty('email');
  }, 30_000);

  it('given a post that names no one, then it is refused: JSON with the reason, a page asking for the number, and lead.rejected', async () => {
    const json = await postForm('callback', { name: 'Ada', tel: ' ' }, { accept: 'application/json' });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({
      message: ['names no one: give an email, a phone, an external id, or a name with a company (a name alone is not enough: add the company or its website)'],
      fields: [],
    });
    const html = await postForm('callback', { name: 'Ada' }, { accept: BROWSER_ACCEPT });
    expect(html.status).toBe(400);
    const page = await html.text();
    expect(page).toContain('<strong>How to reach you</strong>: Please fill in Your number, so that we know who you are.');
    expect(page).not.toMatch(/names no one/);
    await app.caughtUp();
    const rejected = callbackEvents().filter((event): event is LeadRejected => event.type === 'lead.rejected');
    expect(rejected.length).toBeGreaterThanOrEqual(2);
    expect(rejected.every((event) => event.data.reasons.length === 1 && event.data.reasons[0]!.field === '' && /^names no one: /.test(event.data.reasons[0]!.message))).toBe(true);
  }, 30_000);
});

describe('GET /v1/forms/:formId/snippet', () => {
  it('serves the form as HTML posting to the form URL, with the honeypot hidden', async () => {
    const response = await app.request('/v1/forms/webinar/snippet', { auth: false });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain(`action="${app.baseUrl}/v1/forms/webinar"`);
    expect(html).toContain('name="your_email"');
    expect(html).toMatch(/<div style="position:absolute;left:-10000px[^>]*aria-hidden="true">\s*<label>Leave this field empty <input type="text" name="website" tabindex="-1"/);
  });

  it('escapes what it did not write itself (a hostile Host header cannot inject markup)', async () => {
    const port = new URL(app.baseUrl).port;
    const html = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/forms/webinar/snippet', headers: { host: 'x"><script>alert(1)</script>' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
    // the only script is the snippet's own, which fills the attribution inputs
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).not.toContain('<script>alert');
  });

  it('answers 404 for an unknown form', async () => {
    expect((await app.request('/v1/forms/nope/snippet', { auth: false })).status).toBe(404);
  });
});

describe('OPTIONS /v1/forms/:formId (CORS preflight)', () => {
  it('allows an allowed origin and refuses another', async () => {
    const allowed = await app.request('/v1/forms/webinar', { auth: false, method: 'OPTIONS', headers: { origin: SITE, 'access-control-request-method': 'POST' } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(allowed.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const refused = await app.request('/v1/forms/webinar', { auth: false, method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('PUT and GET /v1/forms/:formId (admin)', () => {
  it('stores revisions that take effect at once, and refuses an unusable definition naming the entry', async () => {
    const formId = `landing-${Date.now()}`;
    const definition = { version: 'a', fieldMapping: { mail: 'email' }, allowedOrigins: [SITE], redirectUrl: `${SITE}/thanks` };
    const first = await app.request(`/v1/forms/${formId}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(definition) });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ origin: 'admin', revision: 1, form: { formId, version: 'a' } });
    const second = await app.request(`/v1/forms/${formId}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...definition, version: 'b', redirectUrl: `${SITE}/thanks-b` }) });
    expect(await second.json()).toMatchObject({ revision: 2 });
    const read = await app.request(`/v1/forms/${formId}`);
    expect(await read.json()).toMatchObject({ origin: 'admin', revision: 2, form: { version: 'b' } });
    const post = await postForm(formId, { mail: `landing.${randomUUID()}@example.org` });
    expect(post.status).toBe(303);
    expect(post.headers.get('location')).toBe(`${SITE}/thanks-b`);

    const bad = await app.request(`/v1/forms/${formId}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...definition, allowedOrigins: ['https://www.example.com/path'] }) });
    expect(bad.status).toBe(400);
    expect(await problemText(bad)).toMatch(/allowedOrigins\[0\]/);
    expect((await app.request('/v1/forms/webinar')).status).toBe(200);
    expect((await app.request('/v1/forms/nope')).status).toBe(404);
  }, 30_000);

  it('needs an API key', async () => {
    expect((await app.request('/v1/forms/webinar', { auth: false })).status).toBe(401);
    expect((await postJson(app, '/v1/leads', { email: 'a@b.example' }, { authorization: 'Bearer wrong' })).status).toBe(401);
  });
});

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('form fields in the order of the definition', () => {
  it('keeps the order of fields (and of the older fieldMapping) through the admin API, the table and the snippet', async () => {
    const formId = `order-${randomUUID().slice(0, 8)}`;
    // jsonb reorders object keys (shorter first): stored as an object this came back as name, country, your_email
    const definition = { version: '1', fieldMapping: { your_email: 'email', name: 'firstName', country: 'country' }, allowedOrigins: [SITE] };
    const put = await app.request(`/v1/forms/${formId}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(definition) });
    expect(put.status).toBe(200);
    const read = (await (await app.request(`/v1/forms/${formId}`)).json()) as { form: { fields: { name: string; label: string }[] } };
    expect(read.form.fields.map((field) => field.name)).toEqual(['your_email', 'name', 'country']);
    const snippet = await (await app.request(`/v1/forms/${formId}/snippet`, { auth: false })).text();
    const labels = [...snippet.matchAll(/<label for="[^"]+">([^<]+)/g)].map((match) => match[1]);
    expect(labels).toEqual(['Email', 'First name', 'Country']);
  });

  it('shows a file form with its labels, required marks and consent checkbox, in order', async () => {
    const snippet = await (await app.request('/v1/forms/demo-request/snippet', { auth: false })).text();
    const labels = [...snippet.matchAll(/<label for="[^"]+">([^<]+)(<span class="leadstream-required")?/g)].map((match) => `${match[1]}${match[2] ? ' *' : ''}`);
    expect(labels).toEqual(['Your name *', 'Work email *', 'Company name', 'Country']);
    expect(snippet).toContain('<input type="checkbox" name="consent" value="yes" required> I agree that Example Ltd may contact me about a demo.');
    for (const name of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer', 'landing_page']) {
      expect(snippet).toContain(`<input type="hidden" name="${name}" value="" data-leadstream-fill="${name}">`);
    }
  });

  it('migrates a definition stored in the older object form, which keeps working', async () => {
    const formId = `legacy-${randomUUID().slice(0, 8)}`;
    const dataSource = app.provider(DataSource);
    await dataSource.query(`INSERT INTO ingestion.form_definition (form_id, revision, definition) VALUES ($1, 1, $2::jsonb)`, [
      formId,
      JSON.stringify({ formId, version: 'old', fieldMapping: { mail: 'email', org: 'company' }, allowedOrigins: [SITE], redirectUrl: `${SITE}/thanks` }),
    ]);
    // read as it is, before the rewrite
    expect(((await (await app.request(`/v1/forms/${formId}`)).json()) as { form: { fields: unknown[] } }).form.fields).toHaveLength(2);
    const migration = new FormFieldsInOrder1763900410000();
    const stored = async (): Promise<Record<string, unknown> | undefined> =>
      ((await dataSource.query('SELECT definition FROM ingestion.form_definition WHERE form_id = $1', [formId])) as { definition: Record<string, unknown> }[])[0]?.definition;
    const runner = dataSource.createQueryRunner();
    try {
      await migration.up(runner);
      expect(await stored()).not.toHaveProperty('fieldMapping');
      expect((await stored())?.['fields']).toEqual([
        { name: 'org', field: 'company' },
        { name: 'mail', field: 'email' },
      ]);
      // and back, for an older ingestion, and forth again
      await migration.down(runner);
      expect(await stored()).toMatchObject({ fieldMapping: { mail: 'email', org: 'company' } });
      expect(await stored()).not.toHaveProperty('fields');
      await migration.up(runner);
      expect((await stored())?.['fields']).toHaveLength(2);
    } finally {
      await runner.release();
    }
    const post = await postForm(formId, { mail: `legacy.${randomUUID()}@example.org`, org: 'Old Forms Ltd' });
    expect(post.status).toBe(303);
    expect(post.headers.get('location')).toBe(`${SITE}/thanks`);
  });
});

describe('consent and attribution of a form post', () => {
  it('puts the consent text, and that it was given, on lead.received; the hidden inputs become the attribution', async () => {
    const email = `consent.${randomUUID()}@example.org`;
    const landing = `${SITE}/demo?utm_source=google&utm_medium=cpc&utm_campaign=brand&utm_term=crm&utm_content=ad-2`;
    const response = await postForm(
      'demo-request',
      {
        full_name: 'Grace', work_email: email, consent: 'yes',
        utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'brand', utm_term: 'crm', utm_content: 'ad-2',
        landing_page: landing, referrer: 'https://search.example/?q=crm',
      },
      { accept: 'application/json', referer: `${SITE}/demo` },
    );
    expect(response.status).toBe(202);
    const [event] = await eventsFor(email);
    expect(event).toMatchObject({
      type: 'lead.received',
      data: {
        formId: 'demo-request',
        consent: { text: 'I agree that Example Ltd may contact me about a demo.', given: true },
        lead: {
          firstName: 'Grace',
          attribution: { utmSource: 'google', utmMedium: 'cpc', utmCampaign: 'brand', utmTerm: 'crm', utmContent: 'ad-2', landingPage: landing, referrer: 'https://search.example/?q=crm' },
        },
      },
    });
  }, 30_000);

  it('without script, takes the Referer header as the landing page (and its UTM parameters), not as the referrer', async () => {
    const email = `noscript.${randomUUID()}@example.org`;
    const page = `${SITE}/demo?utm_source=newsletter&utm_campaign=autumn`;
    const empty = { utm_source: '', utm_medium: '', utm_campaign: '', utm_term: '', utm_content: '', referrer: '', landing_page: '' };
    const response = await postForm('demo-request', { full_name: 'Ada', work_email: email, consent: 'yes', ...empty }, { accept: 'application/json', referer: page });
    expect(response.status).toBe(202);
    const [event] = await eventsFor(email);
    expect(event?.type).toBe('lead.received');
    expect((event as LeadReceived).data.lead.attribution).toEqual({ landingPage: page, utmSource: 'newsletter', utmCampaign: 'autumn' });
  }, 30_000);

  it('refuses a post whose required field is empty or whose consent box is not ticked: lead.rejected, and a page naming them by label', async () => {
    const source = `consent-missing-${randomUUID()}`;
    const html = await postForm('demo-request', { full_name: ' ', work_email: `x.${randomUUID()}@example.org`, source }, { accept: BROWSER_ACCEPT });
    expect(html.status).toBe(400);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await html.text();
    expect(page).toContain('<strong>Your name</strong>: Please fill this in.');
    expect(page).toContain('<strong>I agree that Example Ltd may contact me about a demo.</strong>: Please tick this box to send the form.');
    expect(page).not.toMatch(/full_name|firstName|consent:/);
    const json = await postForm('demo-request', { full_name: 'Ada', work_email: `y.${randomUUID()}@example.org` }, { accept: 'application/json' });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ fields: ['consent'] });
    await app.caughtUp();
    const rejected = app.events.filter((event): event is LeadRejected => event.type === 'lead.rejected' && event.data.formId === 'demo-request');
    expect(rejected.some((event) => event.data.reasons.map((reason) => reason.field).join() === 'firstName,consent')).toBe(true);
  }, 30_000);
});

describe('refusals a visitor can cause, as pages', () => {
  it('answers a browser with a short HTML page for a disallowed origin and an unknown form; JSON clients get JSON', async () => {
    const origin = await postForm('webinar', { your_email: 'a@example.org' }, { origin: 'https://evil.example', accept: BROWSER_ACCEPT });
    expect(origin.status).toBe(403);
    expect(origin.headers.get('content-type')).toMatch(/^text\/html/);
    const originPage = await origin.text();
    expect(originPage).toContain('<h1>This form cannot be sent from this page</h1>');
    expect(originPage).not.toMatch(/evil\.example|"webinar"|statusCode/);

    const unknown = await postForm('no-such-form', { your_email: 'a@example.org' }, { accept: BROWSER_ACCEPT });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('<h1>This form is no longer available</h1>');

    const json = await postForm('no-such-form', { your_email: 'a@example.org' }, { accept: 'application/json' });
    expect(json.status).toBe(404);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await problemText(json)).toMatch(/form "no-such-form" is not defined/);
  });
});

describe('the per-visitor form limit behind a proxy', () => {
  const LIMITS = { INGESTION_PUBLIC_RATE_LIMIT_PER_S: '0.001', INGESTION_PUBLIC_RATE_LIMIT_BURST: '2' };

  function postVia(baseUrl: string, forwardedFor: string, accept = 'application/json'): Promise<Response> {
    return fetch(`${baseUrl}/v1/forms/newsletter`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SITE, accept, 'x-forwarded-for': forwardedFor },
      body: new URLSearchParams({ email: `proxy.${randomUUID()}@example.org` }).toString(),
    });
  }

  it('keys on the X-Forwarded-For client address when the peer is a trusted proxy', async () => {
    const behindProxy = await app.startAnotherIngestion({ ...LIMITS, INGESTION_FORMS_FILE: formsFile, TRUSTED_PROXIES: '127.0.0.1' });
    expect((await postVia(behindProxy, '198.51.100.1')).status).toBe(202);
    expect((await postVia(behindProxy, '198.51.100.1')).status).toBe(202);
    const limited = await postVia(behindProxy, '198.51.100.1', BROWSER_ACCEPT);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await limited.text()).toMatch(/<h1>Too many submissions<\/h1>[\s\S]*Please wait \d+ seconds/);
    const limitedJson = await postVia(behindProxy, '203.0.113.7, 198.51.100.1');
    expect(limitedJson.status).toBe(429);
    expect(await problemText(limitedJson)).toMatch(/rate limit/);
    // another visitor behind the same proxy has a limit of its own
    expect((await postVia(behindProxy, '198.51.100.2')).status).toBe(202);
  }, 60_000);

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const direct = await app.startAnotherIngestion({ ...LIMITS, INGESTION_FORMS_FILE: formsFile });
    expect((await postVia(direct, '198.51.100.1')).status).toBe(202);
    expect((await postVia(direct, '198.51.100.2')).status).toBe(202);
    expect((await postVia(direct, '198.51.100.3')).status).toBe(429);
  }, 60_000);
});

describe('a form post while Kafka cannot acknowledge', () => {
  it('tells a browser the form could not be sent just now and when to retry; a JSON client gets the 503 JSON', async () => {
    await app.stopBroker();
    try {
      const page = await postForm('newsletter', { email: `down.${randomUUID()}@example.org` }, { accept: BROWSER_ACCEPT });
      expect(page.status).toBe(503);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toMatch(/<h1>The form could not be sent just now<\/h1>[\s\S]*Please wait \d+ seconds/);
      const json = await postForm('newsletter', { email: `down.${randomUUID()}@example.org` }, { accept: 'application/json' });
      expect(json.status).toBe(503);
      expect(json.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await problemText(json)).toMatch(/Kafka did not acknowledge/);
    } finally {
      await app.restartBroker();
    }
  }, 60_000);
});
