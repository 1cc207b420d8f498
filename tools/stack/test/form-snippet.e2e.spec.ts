// The form snippet in a real browser: Debian's headless Chromium, driven by playwright-core, opens a page
// that embeds the snippet of a form, with UTM parameters in its URL; a person fills and submits the form;
// the lead published on lead.received carries the UTM values, the landing page, the referrer and the consent.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { chromium, type Browser } from 'playwright-core';
import { parseEvent, TOPICS, type LeadReceived } from '@leadstream/contracts';
import { eventually, freePort, startStack, withLogs, type RunningStack } from './stack-harness';

// Debian's package; LEADSTREAM_CHROMIUM names another binary.
const CHROMIUM = process.env['LEADSTREAM_CHROMIUM'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const haveChromium = existsSync(CHROMIUM);
const inCi = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';
if (!haveChromium && !inCi) {
  console.warn(`form-snippet.e2e: skipped: no Chromium at ${CHROMIUM} (install it with: apt-get install -y chromium; in CI, .ci/run installs it and this test fails without it)`);
}
const describeWithBrowser = haveChromium || inCi ? describe : describe.skip;

describeWithBrowser('the form snippet in headless Chromium', () => {
  let stack: RunningStack;
  let browser: Browser;
  let site: Server;
  let siteOrigin: string;
  let consumer: Consumer;
  const received: LeadReceived[] = [];
  const thanked: string[] = [];
  const formId = `browser-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    if (!haveChromium) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: .ci/run installs Debian's chromium package (apt-get install -y chromium, as root); install it and run again`);
    }
    stack = await startStack();
    const sitePort = await freePort();
    siteOrigin = `http://127.0.0.1:${sitePort}`;
    // The marketer's page: the snippet pasted into it as served by ingestion.
    site = createServer((request, response) => {
      void (async () => {
        const url = new URL(request.url ?? '/', siteOrigin);
        if (url.pathname === '/thanks') {
          thanked.push(url.search);
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Thanks</title><h1>Thank you</h1>');
          return;
        }
        if (url.pathname !== '/webinar') {
          response.writeHead(404).end();
          return;
        }
        const snippet = await (await fetch(`${stack.urls.ingestion}/v1/forms/${formId}/snippet`)).text();
        response
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Spring webinar</title></head><body><h1>Spring webinar</h1>\n${snippet}</body></html>`);
      })().catch((error: unknown) => response.writeHead(500).end(String(error)));
    });
    await new Promise<void>((resolve) => site.listen(sitePort, '127.0.0.1', resolve));

    const defined = await fetch(`${stack.urls.ingestion}/v1/forms/${formId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...stack.authHeaders },
      body: JSON.stringify({
        version: '1',
        fields: [
          { name: 'full_name', field: 'firstName', label: 'Your name', required: true },
          { name: 'work_email', field: 'email', label: 'Work email' },
          { name: 'org', field: 'company', label: 'Company' },
        ],
        consent: { text: 'I agree that Example Ltd may email me about the webinar.' },
        allowedOrigins: [siteOrigin],
        redirectUrl: `${siteOrigin}/thanks`,
        honeypotField: 'website',
      }),
    });
    if (defined.status !== 200) throw new Error(`PUT of the form answered ${defined.status}: ${await defined.text()}`);

    const kafka = new Kafka({ clientId: 'form-snippet-e2e', brokers: stack.kafkaBrokers, logLevel: logLevel.NOTHING });
    consumer = kafka.consumer({ groupId: `form-snippet-e2e-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPICS.leadReceived], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = parseEvent(JSON.parse(message.value?.toString() ?? 'null'));
        if (event.type === 'lead.received') received.push(event);
      },
    });

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await consumer?.disconnect().catch(() => undefined);
    await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
    await stack?.stop();
  }, 120_000);

  it('submits the form from a page opened with UTM parameters, and the lead carries them', async () => {
    const email = `browser.${randomUUID().slice(0, 8)}@orbital.example`;
    const utm = { utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring-launch', utm_term: 'lead management', utm_content: 'hero-button' };
    const landing = `${siteOrigin}/webinar?${new URLSearchParams(utm).toString()}`;
    const page = await browser.newPage();
    try {
      await page.goto(landing, { referer: 'https://search.example/' });
      // the labels the definition gives, in its order, each naming its input
      expect(await page.locator('form.leadstream-form label[for]').allInnerTexts()).toEqual(['Your name *', 'Work email *', 'Company']);
      await page.getByLabel('Your name').fill('Katherine');
      await page.getByLabel('Work email').fill(email);
      await page.getByLabel('Company').fill('Orbital Mechanics GmbH');
      await page.getByLabel('I agree that Example Ltd may email me').check();
      await Promise.all([page.waitForURL(`${siteOrigin}/thanks`), page.getByRole('button', { name: 'Send' }).click()]);
      expect(await page.locator('h1').innerText()).toBe('Thank you');
    } finally {
      await page.close();
    }

    const lead = await withLogs(
      stack,
      eventually(async () => received.find((event) => event.data.lead.email === email), 60_000, `lead.received for ${email}`),
    );
    expect(lead.data).toMatchObject({
      channel: 'form',
      formId,
      consent: { text: 'I agree that Example Ltd may email me about the webinar.', given: true },
      lead: {
        email,
        firstName: 'Katherine',
        company: 'Orbital Mechanics GmbH',
        attribution: {
          utmSource: 'newsletter',
          utmMedium: 'email',
          utmCampaign: 'spring-launch',
          utmTerm: 'lead management',
          utmContent: 'hero-button',
          landingPage: landing,
          referrer: 'https://search.example/',
        },
      },
    });
  }, 180_000);

  it('shows a visitor who left a required field empty a page naming it by its label', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${siteOrigin}/webinar?utm_source=ads`);
      // the browser's own check would stop an empty required field: send what a browser without it would
      await page.locator('form.leadstream-form').evaluate((form) => form.setAttribute('novalidate', ''));
      await page.getByLabel('Work email').fill('not-an-address');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Send' }).click()]);
      await page.waitForSelector('h1:text("Please correct the form")');
      const text = await page.locator('body').innerText();
      expect(text).toContain('Your name: Please fill this in.');
      expect(text).toContain('Work email: Please enter an email address such as name@example.com.');
      expect(text).toContain('I agree that Example Ltd may email me about the webinar.: Please tick this box to send the form.');
      expect(text).not.toMatch(/work_email|full_name|firstName|\{"/);
    } finally {
      await page.close();
    }
  }, 120_000);
});
