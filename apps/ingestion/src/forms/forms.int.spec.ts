// Web-to-lead forms against the development broker and the test PostgreSQL: forms from
// INGESTION_FORMS_FILE and from the admin API, urlencoded posts, honeypot, origins, snippet, preflight.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { LeadReceived, LeadRejected } from '@leadstream/contracts';
import { postJson, problemText, startIntakeApp, type IntakeTestApp } from '../leads/intake-int-kit.spec';

const SITE = 'https://www.example.com';
const THANK_YOU = 'https://www.example.com/thank-you?from=webinar';

let app: IntakeTestApp;
let configDir: string;

beforeAll(async () => {
  configDir = mkdtempSync(path.join(os.tmpdir(), 'forms-int-'));
  const formsFile = path.join(configDir, 'forms.json');
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

  it('answers 400 listing the fields and publishes lead.rejected (channel form, formId); the HTML page escapes what was posted', async () => {
    const source = `form-bad-${randomUUID()}`;
    const json = await postForm('webinar', { your_email: 'no-at-sign', source: 'x' }, { accept: 'application/json' });
    expect(json.status).toBe(400);
    const body = (await json.json()) as { message: string[]; fields: string[] };
    expect(body.fields).toEqual(['email']);
    expect(body.message[0]).toMatch(/^email: email has no @/);

    const html = await postForm('newsletter', { email: 'a@<script>alert(1)</script>.example', source }, { accept: 'text/html,application/xhtml+xml' });
    expect(html.status).toBe(400);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    const page = await html.text();
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
    expect(page).toContain('<strong>email</strong>');

    await app.caughtUp();
    const rejected = app.events.filter((event): event is LeadRejected => event.type === 'lead.rejected' && event.data.formId !== undefined);
    expect(rejected.some((event) => event.data.formId === 'webinar' && event.data.channel === 'form' && event.data.reasons[0]?.field === 'email')).toBe(true);
    // the newsletter form maps no source field, so the posted "source" is ignored, and the rejection has none
    expect(rejected.some((event) => event.data.formId === 'newsletter' && event.data.channel === 'form')).toBe(true);
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
    expect(html).not.toContain('<script>');
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
