// Enrichment as a stage against PostgreSQL. It keeps no state of its own, so overlapping calls have
// nothing to race on; what the stage gives it is that a redelivery, or a restart after a crash between
// commit and publish, yields the event first produced (same occurredAt), not a new one. Firmographics
// come from the reference dataset in its schema and, where configured, an HTTP provider (here a local
// server that never answers).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseEvent, type LeadEnriched, type LeadReceived } from '@leadstream/contracts';
import { assignTerritory, DEFAULT_TERRITORY_TABLE } from '@leadstream/domain-enrichment';
import { declaredStage, fixedClock, KILLED_BEFORE_PUBLISHING, StageUnderTest } from '@leadstream/platform-stage';
import { aLead, aLeadReceivedEvent } from '@leadstream/testing';
import { ENRICHMENT_MIGRATIONS } from '../persistence/migrations';
import { createFirmographicsChain } from '../providers/firmographics-providers';
import type { EnrichmentSources } from '../providers/enrichment-sources.provider';
import { LeadReceivedConsumer } from './lead-received.consumer';

jest.setTimeout(60_000);

const clock = fixedClock('2026-12-01T10:00:00.000Z');
let enrichment: StageUnderTest<LeadReceived>;
// the service's database, bound once the stage under test has opened it
const database = { query: (sql: string, parameters?: unknown[]): Promise<unknown> => enrichment.dataSource.query(sql, parameters) };
const sources: { -readonly [K in keyof EnrichmentSources]: EnrichmentSources[K] } = {
  firmographics: createFirmographicsChain(database, {}),
  territories: DEFAULT_TERRITORY_TABLE,
};
beforeAll(async () => {
  enrichment = await StageUnderTest.open({ schema: 'enrichment', migrations: ENRICHMENT_MIGRATIONS, stage: declaredStage(new LeadReceivedConsumer(sources), 'handle'), clock });
  await enrichment.query(
    `INSERT INTO enrichment.company_reference (domain, name_key, company_name, industry, employee_count, annual_revenue, country, parent_domain)
     VALUES ('acme-corp.example', 'acme', 'Acme Corporation', 'Manufacturing', 1200, 250000000, 'US', NULL),
            ('globex.example', 'globex', 'Globex GmbH', NULL, NULL, NULL, 'DE', 'globex-holding.example')`,
  );
});
afterAll(() => enrichment?.close());

it('the same batch delivered twice, later, gives the enriched events of the first delivery', async () => {
  const batch = [aLeadReceivedEvent(aLead().withEmail(' Ada@Example.COM ').build()).build()];
  const first = await enrichment.deliver(batch);
  clock.set('2026-12-01T10:30:00.000Z');
  const second = await enrichment.deliver(batch);
  expect(first).toHaveLength(1);
  expect(second).toEqual(first);
  expect(second[0]?.metadata.occurredAt).toBe('2026-12-01T10:00:00.000Z');
});

it('a service killed between commit and publish republishes the stored event when it restarts', async () => {
  const crashing = await enrichment.crashingReplica(fixedClock('2026-12-01T11:00:00.000Z'));
  const batch = [aLeadReceivedEvent().build()];
  await expect(crashing.deliver(batch)).rejects.toThrow(KILLED_BEFORE_PUBLISHING);
  const restarted = await enrichment.replica({ clock: fixedClock('2026-12-01T11:30:00.000Z') });
  expect((await restarted.deliver(batch)).map((event) => [event.type, event.metadata.occurredAt])).toEqual([['lead.enriched', '2026-12-01T11:00:00.000Z']]);
});

it('leads with bad input are each enriched with what can be derived, in one batch, none refused', async () => {
  const long = (unit: string): string => unit.repeat(Math.ceil(1000 / unit.length)).slice(0, 1000);
  const leads = [
    aLead().withEmail('no.phone@acme-corp.example').withPhone('call me after five').withCountry('GB').build(),
    aLead().withEmail('nameless@acme-corp.example').withName('  ', '').withTitle('--').build(),
    aLead().withEmail('dmitri@yandex.example').withName('Дмитрий', 'ИВАНОВ').withCompany('Яндекс ООО').build(),
    aLead().withEmail('long@acme-corp.example').withName(long('ANNA '), long('SMITH ')).withCompany(long('Acme Inc ')).withTitle(long('VP Sales ')).withPhone(long('12 ')).build(),
    aLead().withEmail('DR.WHO@Mailinator.com').withName('DR. JOHN', 'SMITH JR.').withPhone('020 7183 8750').withCountry('UK').build(),
  ];
  const published = (await enrichment.deliver(leads.map((lead) => aLeadReceivedEvent(lead).build()))) as LeadEnriched[];
  expect(published.map((event) => event.type)).toEqual(leads.map(() => 'lead.enriched'));
  for (const event of published) expect(() => parseEvent(JSON.stringify(event))).not.toThrow();
  const [phone, nameless, cyrillic, long1000, disposable] = published.map((event) => event.data.lead);
  expect(phone).toMatchObject({ phone: 'call me after five', phoneUnparseable: true });
  expect(nameless).not.toHaveProperty('firstName');
  expect(nameless).not.toHaveProperty('seniority');
  expect(cyrillic).toMatchObject({ firstName: 'Дмитрий', lastName: 'ИВАНОВ', companyKey: 'яндекс' });
  expect(long1000).toMatchObject({ seniority: 'vp', department: 'sales', phoneUnparseable: true });
  expect(disposable).toMatchObject({
    email: 'dr.who@mailinator.com', isDisposableEmail: true, isFreeEmail: true, honorific: 'Dr', firstName: 'John', lastName: 'Smith', nameSuffix: 'Jr',
    phone: '+442071838750', phoneAsTyped: '020 7183 8750', country: 'GB',
  });
  expect(disposable).not.toHaveProperty('companyDomain');
});

describe('leads without email (issue 12)', () => {
  it('given leads known by a phone, an external id, or a name with a company, when delivered in one batch, then each gives lead.enriched with nothing derived from an email, and the report says what could be looked up', async () => {
    const leads = [
      { phone: '020 7183 8750', country: 'UK' },
      { externalIds: { salesforce: ' 00Q5e00000AbCdE ' } },
      { firstName: 'Hans', lastName: 'Gruber', company: 'Globex GmbH' },
      { firstName: 'Ada', company: 'Acme', website: 'https://www.acme-corp.example/about' },
    ];
    const received = leads.map((lead) => aLeadReceivedEvent(lead).build());
    // what the consumer's edge checks first: none of them is a dead letter for breaking the contract
    for (const event of received) expect(() => parseEvent(JSON.stringify(event))).not.toThrow();
    const published = (await enrichment.deliver(received)) as LeadEnriched[];
    expect(published.map((event) => [event.type, event.metadata.causationId])).toEqual(received.map((event) => ['lead.enriched', event.metadata.eventId]));
    for (const event of published) {
      expect(() => parseEvent(JSON.stringify(event))).not.toThrow();
      for (const key of ['email', 'emailDomain', 'isFreeEmail', 'isDisposableEmail']) expect(event.data.lead).not.toHaveProperty(key);
    }
    const [byPhone, byExternalId, byName, byWebsite] = published.map((event) => event.data.lead);
    const territoryTable = DEFAULT_TERRITORY_TABLE.version;
    expect(byPhone).toMatchObject({ phone: '+442071838750', country: 'GB', territory: assignTerritory(DEFAULT_TERRITORY_TABLE, 'GB').territory, enrichment: { firmographics: 'skipped', territoryTable } });
    expect(byExternalId).toMatchObject({ externalIds: { salesforce: '00Q5e00000AbCdE' }, enrichment: { firmographics: 'skipped', territoryTable } });
    expect(byName).toMatchObject({ companyKey: 'globex', firmographics: { domain: 'globex.example' }, enrichment: { firmographics: 'found', matchedBy: 'name', missing: ['industry', 'employeeCount', 'annualRevenue'] } });
    expect(byName).not.toHaveProperty('companyDomain');
    expect(byWebsite).toMatchObject({ companyDomain: 'acme-corp.example', firmographics: { companyName: 'Acme Corporation' }, enrichment: { firmographics: 'found', matchedBy: 'domain' } });
  });
});

describe('firmographics and territory on lead.enriched', () => {
  it('given a work email of a company in the reference dataset, when enriched, then the lead carries its firmographics, where they came from and the territory', async () => {
    const [event] = (await enrichment.deliver([aLeadReceivedEvent(aLead().withEmail('ada@acme-corp.example').withCountry('US').build()).build()])) as LeadEnriched[];
    expect(event?.data.lead).toMatchObject({
      firmographics: { domain: 'acme-corp.example', companyName: 'Acme Corporation', industry: 'Manufacturing', employeeCount: 1200, annualRevenue: 250000000, country: 'US' },
      enrichment: { firmographics: 'found', source: 'reference-dataset', matchedBy: 'domain', missing: ['parentDomain'], territoryTable: DEFAULT_TERRITORY_TABLE.version },
    });
    expect(event?.data.lead.territory).toEqual(expect.any(String));
    expect(event?.data.lead.territory).not.toBe(DEFAULT_TERRITORY_TABLE.defaultTerritory);
    expect(() => parseEvent(JSON.stringify(event))).not.toThrow();
  });

  it('given a company known by name only, when the email is free-mail, then it is found by its normalised name and says so', async () => {
    const [event] = (await enrichment.deliver([aLeadReceivedEvent(aLead().withEmail('hans@gmail.com').withCompany('Globex GmbH').build()).build()])) as LeadEnriched[];
    expect(event?.data.lead).toMatchObject({
      firmographics: { domain: 'globex.example', parentDomain: 'globex-holding.example' },
      enrichment: { firmographics: 'found', matchedBy: 'name', missing: ['industry', 'employeeCount', 'annualRevenue'] },
    });
  });

  it('given a free-mail lead with its company website, when enriched, then the company domain comes from the website and its firmographics are found by domain', async () => {
    const leads = [
      { ...aLead().withEmail('ada@gmail.com').without('company').build(), website: 'HTTPS://WWW.Acme-Corp.example:443/about?ref=ad' },
      { ...aLead().withEmail('grace@gmail.com').without('company').build(), website: 'https://www.linkedin.com/in/grace' },
    ];
    const [withSite, withProfile] = ((await enrichment.deliver(leads.map((lead) => aLeadReceivedEvent(lead).build()))) as LeadEnriched[]).map((event) => event.data.lead);
    expect(withSite).toMatchObject({
      isFreeEmail: true,
      companyDomain: 'acme-corp.example',
      website: 'https://www.acme-corp.example/about',
      firmographics: { domain: 'acme-corp.example', companyName: 'Acme Corporation' },
      enrichment: { firmographics: 'found', source: 'reference-dataset', matchedBy: 'domain' },
    });
    // A profile on a social network names no company: nothing is looked up, nothing is guessed.
    expect(withProfile).not.toHaveProperty('companyDomain');
    expect(withProfile).not.toHaveProperty('firmographics');
    expect(withProfile?.enrichment?.firmographics).toBe('skipped');
  });

  it('given an unknown company, or nothing to look up, when enriched, then the report says not-found or skipped and nothing else is invented', async () => {
    const leads = [aLead().withEmail('x@unknown-company.example').withCompany('Unknown Widgets Ltd').build(), aLead().withEmail('y@gmail.com').withCompany('  ').build()];
    const [unknown, nothing] = ((await enrichment.deliver(leads.map((lead) => aLeadReceivedEvent(lead).build()))) as LeadEnriched[]).map((event) => event.data.lead);
    expect(unknown?.enrichment).toEqual({ firmographics: 'not-found', territoryTable: DEFAULT_TERRITORY_TABLE.version });
    expect(unknown).not.toHaveProperty('firmographics');
    expect(nothing?.enrichment?.firmographics).toBe('skipped');
    expect(nothing?.territory).toBe(assignTerritory(DEFAULT_TERRITORY_TABLE, nothing?.country).territory);
  });

  it('given an HTTP provider that never answers, when a lead of a company the dataset lacks arrives, then it is enriched within the budget: not found in the dataset, and the report names the provider that timed out', async () => {
    const hanging: Server = createServer(() => undefined); // accepts requests, never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as AddressInfo;
    const before = sources.firmographics;
    sources.firmographics = createFirmographicsChain(database, {
      ENRICHMENT_HTTP_URL: `http://127.0.0.1:${port}/companies?domain={domain}`,
      ENRICHMENT_HTTP_NAME: 'fake-vendor',
      ENRICHMENT_HTTP_TIMEOUT_MS: '200',
      ENRICHMENT_HTTP_RETRIES: '0',
    });
    try {
      const started = Date.now();
      const [event] = (await enrichment.deliver([aLeadReceivedEvent(aLead().withEmail('z@not-in-dataset.example').withCompany('Not In Dataset BV').build()).build()])) as LeadEnriched[];
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(event?.data.lead.enrichment).toEqual({ firmographics: 'not-found', failures: [{ provider: 'fake-vendor', reason: 'timeout' }], territoryTable: DEFAULT_TERRITORY_TABLE.version });
      expect(event?.data.lead.email).toBe('z@not-in-dataset.example');
      expect(() => parseEvent(JSON.stringify(event))).not.toThrow();
    } finally {
      sources.firmographics = before;
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });
});
