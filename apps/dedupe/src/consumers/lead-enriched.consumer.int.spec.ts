// Dedupe as a stage against PostgreSQL: exact and fuzzy matches, the surviving record, cluster merges,
// accounts, bad input, redelivery, two duplicates at once in two lanes of two replicas, and a crash
// between commit and publish.
import type { EnrichedLead, LeadEnriched, LeadMerged, LeadResolved } from '@leadstream/contracts';
import { parseEvent } from '@leadstream/contracts';
import { DEFAULT_MATCH_RULES } from '@leadstream/domain-matching';
import { declaredStage, fixedClock, KILLED_BEFORE_PUBLISHING, StageUnderTest } from '@leadstream/platform-stage';
import { aLeadEnrichedEvent, anEnrichedLead, nextLeadId } from '@leadstream/testing';
import { DEDUPE_MIGRATIONS } from '../dedupe.module';
import { LeadEnrichedConsumer } from './lead-enriched.consumer';

jest.setTimeout(60_000);

let dedupe: StageUnderTest<LeadEnriched>;
beforeAll(async () => {
  dedupe = await StageUnderTest.open({
    schema: 'dedupe',
    migrations: DEDUPE_MIGRATIONS,
    stage: declaredStage(new LeadEnrichedConsumer(DEFAULT_MATCH_RULES), 'handle'),
    clock: fixedClock('2026-12-01T10:00:00.000Z'),
  });
});
afterAll(() => dedupe?.close());

let person = 0;
const nextPerson = (): number => (person += 1);
let minute = 0;
/** A lead.enriched of a new lead, each a minute after the previous one (arrival order). */
const enriched = (lead: EnrichedLead, at?: string): LeadEnriched => {
  minute += 1;
  return aLeadEnrichedEvent(lead)
    .forLead(nextLeadId())
    .at(at ?? new Date(Date.parse('2026-11-01T00:00:00.000Z') + minute * 60_000).toISOString())
    .build();
};
// People who are clearly not one another: every first name with every surname.
const FIRST_NAMES = ['Amara', 'Bjorn', 'Chiara', 'Dmitri', 'Eun-ji', 'Farid', 'Greta', 'Hiroshi', 'Ines', 'Jomo', 'Kalani', 'Ludmila', 'Mateus', 'Nkechi', 'Oskar'];
const SURNAMES = ['Abernathy', 'Bergqvist', 'Castellano', 'Dvorak', 'Eze', 'Fitzgerald', 'Guo', 'Halvorsen', 'Iyer', 'Jankowski', 'Kowalczyk', 'Lindqvist', 'Mbeki', 'Nakamura', 'Okonkwo', 'Petrov'];
const emailOwners = new Map<string, [string, string]>();
/** A lead of its own person (the builder's default name and company would make every such lead one person). */
const enrichedFor = (email: string): LeadEnriched => {
  const owner = emailOwners.get(email.toLowerCase()) ?? [FIRST_NAMES[person % FIRST_NAMES.length]!, SURNAMES[Math.floor(person / FIRST_NAMES.length) % SURNAMES.length]!];
  emailOwners.set(email.toLowerCase(), owner);
  return enriched(anEnrichedLead().withEmail(email).withName(...owner).build());
};
const nextEmail = (): string => `person.${nextPerson()}@acme-corp.com`;
const resolvedOf = (events: readonly unknown[]): LeadResolved[] => events.filter((event) => (event as LeadResolved).type === 'lead.resolved') as LeadResolved[];
const mergedOf = (events: readonly unknown[]): LeadMerged[] => events.filter((event) => (event as LeadMerged).type === 'lead.merged') as LeadMerged[];
const outcome = (event: unknown): [string, string] => {
  const resolved = event as LeadResolved;
  return [resolved.data.outcome, resolved.data.masterLeadId];
};
const clusterOf = async (leadId: string): Promise<string> =>
  (await dedupe.query<{ cluster_id: string }>(`SELECT cluster_id FROM dedupe.lead_record WHERE lead_id = $1`, [leadId]))[0]!.cluster_id;

describe('resolving leads', () => {
  it('gives a new lead its own cluster and a merged one the known lead as master, with the rules version, score and features', async () => {
    const email = nextEmail();
    const first = enrichedFor(email);
    const second = enrichedFor(email.toUpperCase());
    const [newOne] = resolvedOf(await dedupe.deliver([first]));
    const [duplicate] = resolvedOf(await dedupe.deliver([second]));
    expect(outcome(newOne)).toEqual(['new', first.metadata.leadId]);
    expect(outcome(duplicate)).toEqual(['merged', first.metadata.leadId]);
    expect(duplicate!.data.clusterLeadIds).toEqual([first.metadata.leadId, second.metadata.leadId]);
    expect(duplicate!.data.match).toMatchObject({ ruleSetVersion: DEFAULT_MATCH_RULES.version, matchedLeadId: first.metadata.leadId, on: expect.arrayContaining(['email']) });
    expect(duplicate!.data.match!.score).toBeGreaterThanOrEqual(DEFAULT_MATCH_RULES.autoMergeAt);
    for (const event of [newOne, duplicate]) expect(() => parseEvent(JSON.parse(JSON.stringify(event)))).not.toThrow();
    const [row] = await dedupe.query<{ outcome: string; rule_version: string; score: number; features: unknown[] }>(
      `SELECT outcome, rule_version, score, features FROM dedupe.resolution WHERE lead_id = $1`,
      [second.metadata.leadId],
    );
    expect(row).toMatchObject({ outcome: 'merged', rule_version: DEFAULT_MATCH_RULES.version });
    expect(row!.features.length).toBeGreaterThan(0);
  });

  it('scores a sparse duplicate on the merged record: the rich lead keeps its fields, and provenance names where each came from', async () => {
    const email = `ada.${nextPerson()}@analytical-engines.example`;
    const rich = enriched(
      anEnrichedLead()
        .withEmail(email)
        .withName('Ada', 'Lovelace')
        .withCompany('Analytical Engines Ltd', 'analytical engines')
        .withTitle('VP Engineering')
        .withPhone('+442079460000')
        .withCampaign('spring-webinar')
        .build(),
    );
    const sparse = enriched({ email, emailDomain: 'analytical-engines.example', isFreeEmail: false, lastName: 'Lovelace', campaign: 'autumn-newsletter' });
    await dedupe.deliver([rich]);
    const [resolved] = resolvedOf(await dedupe.deliver([sparse]));
    expect(resolved!.data).toMatchObject({ outcome: 'merged', masterLeadId: rich.metadata.leadId });
    expect(resolved!.data.lead).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', title: 'VP Engineering', company: 'Analytical Engines Ltd', phone: '+442079460000' });
    // The first touch's campaign survives: the earlier lead's campaign is not lost.
    expect(resolved!.data.lead.campaign).toBe('spring-webinar');
    expect(resolved!.data.provenance).toMatchObject({ title: rich.metadata.leadId, firstName: rich.metadata.leadId, campaign: rich.metadata.leadId });
  });

  it('keeps the earlier row of two rows for one person arriving in one batch at one instant', async () => {
    const email = nextEmail();
    const at = '2026-11-20T08:00:00.000Z';
    const earlier = enriched(anEnrichedLead().withEmail(email).withCampaign('trade-show').build(), at);
    const later = enriched(anEnrichedLead().withEmail(email).withCampaign('retargeting').build(), at);
    const [first, second] = resolvedOf(await dedupe.deliver([earlier, later]));
    expect(outcome(first)).toEqual(['new', earlier.metadata.leadId]);
    expect(outcome(second)).toEqual(['merged', earlier.metadata.leadId]);
    expect(second!.data.lead.campaign).toBe('trade-show');
  });

  it('merges the same person arriving with a second email, found through the phone, name and company', async () => {
    const n = nextPerson();
    const work = enriched(
      anEnrichedLead().withEmail(`j.smith${n}@globex-${n}.example`).withName('Jonathan', 'Smithers').withCompany(`Globex ${n} Inc`, `globex ${n}`).withPhone(`+1415555${String(1000 + n).slice(-4)}`).build(),
    );
    const personal = enriched(
      anEnrichedLead().withFreeEmail(`jon.smithers.${n}`, 'gmail.com').withName('Jon', 'Smithers').withCompany(`Globex ${n}`, `globex ${n}`).withPhone(`+1415555${String(1000 + n).slice(-4)}`).build(),
    );
    await dedupe.deliver([work]);
    const [resolved] = resolvedOf(await dedupe.deliver([personal]));
    expect(outcome(resolved)).toEqual(['merged', work.metadata.leadId]);
    expect(resolved!.data.match!.on).not.toContain('email');
  });

  it('does not take a common name at another company for the same person', async () => {
    const n = nextPerson();
    const atAcme = enriched(anEnrichedLead().withEmail(`john.smith@acme-${n}.example`).withName('John', 'Smith').withCompany(`Acme ${n}`, `acme ${n}`).without('phone').build());
    const atGlobex = enriched(anEnrichedLead().withEmail(`john.smith@globex-${n}.example`).withName('John', 'Smith').withCompany(`Globex ${n}`, `globex ${n}`).without('phone').build());
    const resolved = resolvedOf(await dedupe.deliver([atAcme, atGlobex]));
    expect(resolved.map(outcome)).toEqual([
      ['new', atAcme.metadata.leadId],
      ['new', atGlobex.metadata.leadId],
    ]);
  });

  it('joins two known clusters when a new lead links them, and says so with lead.merged (the older cluster survives)', async () => {
    const n = nextPerson();
    const a = enriched(anEnrichedLead().withEmail(`alice.${n}@initech.example`).withName('Alice', `Archer${n}`).withCompany('Initech', 'initech').build());
    // The same person from the CRM: a personal address and only a family name, so nothing ties it to `a` yet.
    const b = enriched({
      ...anEnrichedLead().withFreeEmail(`aa.${n}`).withName(undefined, `Archer${n}`).without('company', 'companyKey', 'title', 'phone').build(),
      externalIds: { salesforce: `00Q${n}` },
    });
    await dedupe.deliver([a]);
    await dedupe.deliver([b]);
    expect(await clusterOf(b.metadata.leadId)).toBe(b.metadata.leadId);
    const linking = enriched({ ...anEnrichedLead().withEmail(`alice.${n}@initech.example`).withName('Alice', `Archer${n}`).build(), externalIds: { salesforce: `00Q${n}` } });
    const out = await dedupe.deliver([linking]);
    const [merged] = mergedOf(out);
    expect(merged!.metadata.leadId).toBe(a.metadata.leadId);
    expect(merged!.data).toMatchObject({ survivorLeadId: a.metadata.leadId, mergedLeadIds: [b.metadata.leadId], decision: { by: 'auto', ruleSetVersion: DEFAULT_MATCH_RULES.version } });
    expect([...merged!.data.clusterLeadIds].sort()).toEqual([a.metadata.leadId, b.metadata.leadId, linking.metadata.leadId].sort());
    expect(() => parseEvent(JSON.parse(JSON.stringify(merged)))).not.toThrow();
    expect(outcome(resolvedOf(out)[0])).toEqual(['merged', a.metadata.leadId]);
    expect(await clusterOf(b.metadata.leadId)).toBe(a.metadata.leadId);
    const [decision] = await dedupe.query<{ kind: string; lead_ids: string[] }>(`SELECT kind, lead_ids FROM dedupe.merge_decision WHERE decision_id = $1`, [merged!.metadata.eventId]);
    expect(decision).toMatchObject({ kind: 'auto' });
    expect(decision!.lead_ids).toContain(b.metadata.leadId);
  });

  it('gives colleagues one account by their company domain, and a free-mail lead an account by its company name', async () => {
    const n = nextPerson();
    const one = enriched(anEnrichedLead().withEmail(`ann@umbrella-${n}.example`).withName('Ann', 'Ames').withCompany(`Umbrella ${n}`, `umbrella ${n}`).build());
    const two = enriched(anEnrichedLead().withEmail(`ben@umbrella-${n}.example`).withName('Ben', 'Bloom').withCompany(`Umbrella ${n}`, `umbrella ${n}`).build());
    const free = enriched(anEnrichedLead().withFreeEmail(`carl.${n}`).withName('Carl', 'Cole').withCompany(`Umbrella ${n}`, `umbrella ${n}`).build());
    const [r1, r2, r3] = resolvedOf(await dedupe.deliver([one, two, free]));
    expect(r1!.data.lead.accountId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r2!.data.lead.accountId).toBe(r1!.data.lead.accountId);
    expect(r2!.data.outcome).toBe('new');
    expect(r3!.data.lead.accountId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r3!.data.outcome).toBe('new');
  });

  it('resolves leads with unparseable phones, empty or non-Latin names and absurdly long values on the keys they have', async () => {
    const long = 'x'.repeat(1000);
    const odd = [
      enriched({ ...anEnrichedLead().withEmail(nextEmail()).build(), phone: 'call me maybe', phoneUnparseable: true, firstName: '', lastName: '' }),
      enriched(anEnrichedLead().withEmail(`${nextPerson()}@yandex-${person}.example`).withName('Иван', 'Иванов').withCompany('Яндекс', 'яндекс').build()),
      enriched(anEnrichedLead().withEmail(`${nextPerson()}@long.example`).withName(long, long).withCompany(long, long).withTitle(long).build()),
      enriched(anEnrichedLead().withEmail(`${nextPerson()}@li-${person}.example`).withName('伟', '李').withCompany('阿里巴巴', '阿里巴巴').build()),
    ];
    const resolved = resolvedOf(await dedupe.deliver(odd));
    expect(resolved.map(outcome)).toEqual(odd.map((event) => ['new', event.metadata.leadId]));
    for (const event of resolved) expect(() => parseEvent(JSON.parse(JSON.stringify(event)))).not.toThrow();
  });
});

describe('leads without email (issue 12)', () => {
  const EMAIL_FIELDS = ['email', 'emailDomain', 'isFreeEmail', 'isDisposableEmail'];

  it('given a known lead with a phone, when a lead known by that phone alone arrives, then it is merged into the known lead on the phone', async () => {
    const n = nextPerson();
    const phone = `+4420${7100000 + n}`;
    const known = enriched(anEnrichedLead().withEmail(`grace.${n}@hopper-${n}.example`).withName('Grace', `Hopper${n}`).withPhone(phone).build());
    const byPhone = enriched({ phone, phoneAsTyped: `0${phone.slice(3)}`, country: 'GB', source: 'trade-show' });
    await dedupe.deliver([known]);
    const [resolved] = resolvedOf(await dedupe.deliver([byPhone]));
    expect(outcome(resolved)).toEqual(['merged', known.metadata.leadId]);
    expect(resolved!.data.match).toMatchObject({ matchedLeadId: known.metadata.leadId, score: 1, on: ['phone'] });
    // the surviving record is the known lead's, with what the phone-only lead added
    expect(resolved!.data.lead).toMatchObject({ email: `grace.${n}@hopper-${n}.example`, lastName: `Hopper${n}`, phone, country: 'GB' });
    expect(() => parseEvent(JSON.parse(JSON.stringify(resolved)))).not.toThrow();
    expect(await clusterOf(byPhone.metadata.leadId)).toBe(known.metadata.leadId);
  });

  it('given a known lead, when a lead with only her name and company arrives, then it is merged by the fuzzy match', async () => {
    const n = nextPerson();
    const known = enriched(anEnrichedLead().withEmail(`k.johnson.${n}@langley-${n}.example`).withName('Katherine', `Johnson${n}`).withCompany(`Langley Research ${n}`, `langley research ${n}`).without('phone').build());
    const card = enriched({ firstName: 'Kathy', lastName: `Johnson${n}`, company: `Langley Research ${n} Inc`, companyKey: `langley research ${n}`, source: 'business-card' });
    await dedupe.deliver([known]);
    const [resolved] = resolvedOf(await dedupe.deliver([card]));
    expect(outcome(resolved)).toEqual(['merged', known.metadata.leadId]);
    expect(resolved!.data.match!.on).toEqual(expect.arrayContaining(['name', 'company']));
    expect(resolved!.data.match!.score).toBeGreaterThanOrEqual(DEFAULT_MATCH_RULES.autoMergeAt);
    expect(resolved!.data.lead.email).toBe(`k.johnson.${n}@langley-${n}.example`);
    expect(() => parseEvent(JSON.parse(JSON.stringify(resolved)))).not.toThrow();
  });

  it('given a known lead with a CRM id, when a lead with only that external id arrives, then it is merged on the external id', async () => {
    const n = nextPerson();
    const known = enriched({ ...anEnrichedLead().withEmail(`d.vaughan.${n}@nasa-${n}.example`).withName('Dorothy', `Vaughan${n}`).build(), externalIds: { salesforce: `00Q${n}x` } });
    const fromCrm = enriched({ externalIds: { salesforce: `00Q${n}x` }, source: 'crm' });
    await dedupe.deliver([known]);
    const [resolved] = resolvedOf(await dedupe.deliver([fromCrm]));
    expect(outcome(resolved)).toEqual(['merged', known.metadata.leadId]);
    expect(resolved!.data.match).toMatchObject({ score: 1, on: ['external-id'] });
    expect(() => parseEvent(JSON.parse(JSON.stringify(resolved)))).not.toThrow();
  });

  it('given leads without email that match no one, among them one with nothing to match on (an unparseable phone), then each is a new lead with no email fields', async () => {
    const n = nextPerson();
    const leads = [
      enriched({ phone: `+4420${7200000 + n}` }),
      enriched({ externalIds: { hubspot: `h-alone-${n}` } }),
      enriched({ firstName: 'Mary', lastName: `Jackson${n}`, company: `Wind Tunnel ${n}`, companyKey: `wind tunnel ${n}` }),
      enriched({ phone: 'ask at reception', phoneUnparseable: true }),
    ];
    const resolved = resolvedOf(await dedupe.deliver(leads));
    expect(resolved.map(outcome)).toEqual(leads.map((event) => ['new', event.metadata.leadId]));
    for (const event of resolved) {
      expect(() => parseEvent(JSON.parse(JSON.stringify(event)))).not.toThrow();
      for (const key of EMAIL_FIELDS) expect(event.data.lead).not.toHaveProperty(key);
    }
  });
});

describe('as a stage', () => {
  it('the same batch delivered twice gives the same lead.resolved and one decision per lead', async () => {
    const email = nextEmail();
    const batch = [enrichedFor(email), enrichedFor(email)];
    const first = await dedupe.deliver(batch);
    const explained = await dedupe.query(`SELECT 1 FROM dedupe.resolution WHERE lead_id = ANY($1::uuid[])`, [batch.map((event) => event.metadata.leadId)]);
    const second = await dedupe.deliver(batch);
    expect(first.map(outcome)).toEqual([
      ['new', batch[0]!.metadata.leadId],
      ['merged', batch[0]!.metadata.leadId],
    ]);
    expect(second).toEqual(first);
    const rows = await dedupe.query(`SELECT 1 FROM dedupe.lead_record WHERE lead_id = ANY($1::uuid[])`, [batch.map((event) => event.metadata.leadId)]);
    expect(rows).toHaveLength(2);
    // The merged one's decision is explained once, and the redelivery explains nothing again.
    expect(explained.length).toBeGreaterThanOrEqual(1);
    expect(await dedupe.query(`SELECT 1 FROM dedupe.resolution WHERE lead_id = ANY($1::uuid[])`, [batch.map((event) => event.metadata.leadId)])).toHaveLength(explained.length);
  });

  it('two leads of one person arriving at once in two lanes of two replicas: one survives, the other merges into it', async () => {
    const replica = await dedupe.replica();
    for (let round = 0; round < 30; round += 1) {
      const email = nextEmail();
      const [a, b] = await Promise.all([dedupe.deliver([enrichedFor(email)]), replica.deliver([enrichedFor(email)], 'bulk')]);
      const decided = [...a, ...b].map(outcome);
      expect(decided.map(([kind]) => kind).sort()).toEqual(['merged', 'new']);
      expect(new Set(decided.map(([, master]) => master)).size).toBe(1);
    }
  });

  it('two fuzzy duplicates (other emails, same phone and name) at once in two replicas still resolve to one lead', async () => {
    const replica = await dedupe.replica();
    for (let round = 0; round < 15; round += 1) {
      const n = nextPerson();
      const phone = `+4930${String(9000000 + n)}`;
      const work = enriched(anEnrichedLead().withEmail(`k.mueller${n}@siemens-${n}.example`).withName('Katharina', 'Müller').withCompany(`Siemens ${n} AG`, `siemens ${n}`).withPhone(phone).build());
      const home = enriched(anEnrichedLead().withFreeEmail(`kati.mueller.${n}`, 'gmx.de').withName('Kathi', 'Müller').withCompany(`Siemens ${n}`, `siemens ${n}`).withPhone(phone).build());
      const [a, b] = await Promise.all([dedupe.deliver([work]), replica.deliver([home], 'bulk')]);
      const decided = [...resolvedOf(a), ...resolvedOf(b)].map(outcome);
      expect(decided.map(([kind]) => kind).sort()).toEqual(['merged', 'new']);
      expect(new Set(decided.map(([, master]) => master)).size).toBe(1);
      expect(await clusterOf(work.metadata.leadId)).toBe(await clusterOf(home.metadata.leadId));
    }
  });

  it('a lead linking two clusters while another transaction adds to one of them leaves every lead in a surviving cluster', async () => {
    const replica = await dedupe.replica();
    for (let round = 0; round < 10; round += 1) {
      const n = nextPerson();
      const [first, second] = [FIRST_NAMES[n % FIRST_NAMES.length]!, FIRST_NAMES[(n + 7) % FIRST_NAMES.length]!];
      const surnameA = SURNAMES[n % SURNAMES.length]!;
      const a = enriched(anEnrichedLead().withEmail(`${first.toLowerCase()}.${n}@vandelay-${n}.example`).withName(first, surnameA).withCompany(`Vandelay ${n}`, `vandelay ${n}`).build());
      // The same person from the CRM, with a personal address and only the family name: nothing ties it to `a` yet.
      const b = enriched({
        ...anEnrichedLead().withFreeEmail(`${second.toLowerCase()}.${n}`).withName(undefined, surnameA).without('company', 'companyKey', 'title', 'phone').build(),
        externalIds: { hubspot: `h${n}`, zendesk: `z${n}` },
      });
      await dedupe.deliver([a, b]);
      const linking = enriched({
        ...anEnrichedLead().withEmail(`${first.toLowerCase()}.${n}@vandelay-${n}.example`).withName(first, surnameA).withCompany(`Vandelay ${n}`, `vandelay ${n}`).build(),
        externalIds: { hubspot: `h${n}` },
      });
      // Joins B's cluster through a key the linking lead does not have: the two transactions lock different
      // buckets and meet on B's cluster row.
      const joiningB = enriched({ ...anEnrichedLead().withFreeEmail(`robert.${n}`, 'outlook.com').without('firstName', 'lastName', 'company', 'companyKey', 'phone').build(), externalIds: { zendesk: `z${n}` } });
      await Promise.all([dedupe.deliver([linking]), replica.deliver([joiningB], 'bulk')]);
      const ids = [a, b, linking, joiningB].map((event) => event.metadata.leadId);
      const clusters = await dedupe.query<{ lead_id: string; cluster_id: string }>(`SELECT lead_id, cluster_id FROM dedupe.lead_record WHERE lead_id = ANY($1::uuid[])`, [ids]);
      expect(new Set(clusters.map((row) => row.cluster_id))).toEqual(new Set([a.metadata.leadId]));
    }
  });

  it('a service killed between commit and publish republishes the stored resolution when it restarts', async () => {
    const crashing = await dedupe.crashingReplica(fixedClock('2026-12-01T11:00:00.000Z'));
    const email = nextEmail();
    const batch = [enrichedFor(email)];
    await expect(crashing.deliver(batch)).rejects.toThrow(KILLED_BEFORE_PUBLISHING);
    const restarted = await dedupe.replica({ clock: fixedClock('2026-12-01T11:30:00.000Z') });
    const republished = await restarted.deliver(batch);
    expect(republished.map((event) => [...outcome(event), event.metadata.occurredAt])).toEqual([['new', batch[0]!.metadata.leadId, '2026-12-01T11:00:00.000Z']]);
    expect(await dedupe.query(`SELECT 1 FROM dedupe.lead_record WHERE lead_id = $1`, [batch[0]!.metadata.leadId])).toHaveLength(1);
  });
});
