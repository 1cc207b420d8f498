// Enrichment as a stage against PostgreSQL. It keeps no state of its own, so overlapping calls have
// nothing to race on; what the stage gives it is that a redelivery, or a restart after a crash between
// commit and publish, yields the event first produced (same occurredAt), not a new one.
import { parseEvent, type LeadEnriched, type LeadReceived } from '@leadstream/contracts';
import { declaredStage, fixedClock, KILLED_BEFORE_PUBLISHING, StageUnderTest } from '@leadstream/platform-stage';
import { aLead, aLeadReceivedEvent } from '@leadstream/testing';
import { LeadReceivedConsumer } from './lead-received.consumer';

jest.setTimeout(60_000);

const clock = fixedClock('2026-12-01T10:00:00.000Z');
let enrichment: StageUnderTest<LeadReceived>;
beforeAll(async () => {
  enrichment = await StageUnderTest.open({ schema: 'enrichment', migrations: [], stage: declaredStage(new LeadReceivedConsumer(), 'handle'), clock });
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
