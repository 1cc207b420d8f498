import { parseEvent, type EnrichedLead } from '@leadstream/contracts';
import { aLeadEnrichedEvent, anEnrichedLead } from '@leadstream/testing';
import { MatchRulesError } from './match-rules-error';
import { DEFAULT_SURVIVORSHIP_RULES, parseSurvivorshipRules, surviveRecord, type SurvivorInput } from './survivorship';

// A cluster of three records of one person: first a webinar sign-up with a personal address, then a
// form with her work details, then a partner list with a newer phone and a blank title.
const first: SurvivorInput = {
  leadId: 'lead-a',
  receivedAt: '2026-01-01T09:00:00.000Z',
  lead: anEnrichedLead().withFreeEmail('janie.doe').withName('Janie', 'Doe').withCompany(undefined).withTitle(undefined).withPhone(undefined).withSource('webinar').withCampaign('spring-webinar').build(),
};
const second: SurvivorInput = {
  leadId: 'lead-b',
  receivedAt: '2026-02-01T09:00:00.000Z',
  lead: anEnrichedLead().withEmail('jane.doe@acme.com').withName('Jane', 'Doe-Smith').withCompany('Acme Inc', 'acme').withTitle('VP Marketing').withPhone('+14155550100').withSource('form').withCampaign('pricing-page').build(),
};
const third: SurvivorInput = {
  leadId: 'lead-c',
  receivedAt: '2026-03-01T09:00:00.000Z',
  lead: { ...anEnrichedLead().withEmail('jdoe@acme.com').withName('J.', 'Doe').withCompany('ACME Corporation', 'acme').withPhone('+14155550199').withSource('partner').withCampaign(undefined).build(), title: '   ' },
};

describe('surviveRecord', () => {
  it('given a cluster, when survived with the default rules, then each field comes from the member its strategy prefers', () => {
    const { lead, provenance } = surviveRecord([third, first, second]);
    expect(lead).toMatchObject({
      email: 'janie.doe@gmail.com', // oldest: the surviving lead's address
      isFreeEmail: true,
      firstName: 'Janie', // longest
      lastName: 'Doe-Smith', // longest
      company: 'ACME Corporation', // most recent non-empty
      companyKey: 'acme',
      companyDomain: 'acme.com', // most recent non-empty, even though the kept email is personal
      title: 'VP Marketing', // the newest title is blank: blank never wins
      phone: '+14155550199', // most recent
      source: 'webinar', // first touch
      campaign: 'spring-webinar',
    });
    expect(provenance).toMatchObject({
      email: 'lead-a',
      emailDomain: 'lead-a',
      isFreeEmail: 'lead-a',
      firstName: 'lead-a',
      lastName: 'lead-b',
      company: 'lead-c',
      companyDomain: 'lead-c',
      title: 'lead-b',
      phone: 'lead-c',
      source: 'lead-a',
      campaign: 'lead-a',
    });
  });

  it('given a cluster, when survived, then the merged lead satisfies the lead.enriched contract', () => {
    const { lead } = surviveRecord([first, second, third]);
    const event = aLeadEnrichedEvent(lead).build();
    expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('given members in any order, when survived, then the result is the same', () => {
    expect(surviveRecord([first, second, third])).toEqual(surviveRecord([third, second, first]));
  });

  it('given a tie, when survived, then the smaller leadId wins', () => {
    const sameTime = (member: SurvivorInput, leadId: string): SurvivorInput => ({ ...member, leadId, receivedAt: '2026-01-01T00:00:00.000Z' });
    const { provenance } = surviveRecord([sameTime(third, 'lead-z'), sameTime(second, 'lead-y')]);
    expect(provenance.phone).toBe('lead-y');
    expect(provenance.email).toBe('lead-y');
  });

  it('given per-field rules, when survived, then most-trusted-source and oldest apply', () => {
    const rules = parseSurvivorshipRules({ fields: { phone: 'most-trusted-source', email: 'most-recent', firstName: 'oldest' }, sourceTrust: ['form', 'partner'] });
    const { lead, provenance } = surviveRecord([first, second, third], rules);
    expect(lead.phone).toBe('+14155550100');
    expect(provenance.phone).toBe('lead-b'); // form is trusted over partner, whatever the date
    expect(lead.email).toBe('jdoe@acme.com');
    expect(lead.firstName).toBe('Janie');
  });

  it('given a source not in the ranking, when most-trusted-source decides, then it is trusted least', () => {
    const rules = parseSurvivorshipRules({ fields: { phone: 'most-trusted-source' }, sourceTrust: ['partner'] });
    expect(surviveRecord([second, third], rules).provenance.phone).toBe('lead-c');
    const unranked = parseSurvivorshipRules({ fields: { phone: 'most-trusted-source' }, sourceTrust: ['form'] });
    expect(surviveRecord([second, third], unranked).provenance.phone).toBe('lead-b');
  });

  it('given external ids on several members, when survived, then they are united', () => {
    const withIds = (member: SurvivorInput, ids: Record<string, string>): SurvivorInput => ({ ...member, lead: { ...member.lead, externalIds: ids } as EnrichedLead });
    const { lead } = surviveRecord([withIds(first, { salesforce: '00Q1' }), withIds(second, { hubspot: '42' })]);
    expect((lead as { externalIds?: unknown }).externalIds).toEqual({ salesforce: '00Q1', hubspot: '42' });
  });

  it('given one member, when survived, then it is its own record', () => {
    const { lead, provenance } = surviveRecord([second]);
    expect(lead).toEqual(second.lead);
    expect(new Set(Object.values(provenance))).toEqual(new Set(['lead-b']));
  });

  describe('members without email', () => {
    const byPhone: SurvivorInput = { leadId: 'lead-p', receivedAt: '2025-12-01T09:00:00.000Z', lead: { phone: '+14155550100', source: 'event' } };

    it('given a cluster where only a later member has an email, when survived, then the email and what it brings come from that member', () => {
      const { lead, provenance } = surviveRecord([byPhone, second]);
      expect(lead).toMatchObject({ email: 'jane.doe@acme.com', emailDomain: 'acme.com', isFreeEmail: false, source: 'event' });
      expect(provenance).toMatchObject({ email: 'lead-b', emailDomain: 'lead-b', source: 'lead-p' });
      expect(() => parseEvent(aLeadEnrichedEvent(lead).build())).not.toThrow();
    });

    it('given a cluster where no member has an email, when survived, then the record has none of the email fields and satisfies the contract', () => {
      const byExternalId: SurvivorInput = { leadId: 'lead-q', receivedAt: '2026-01-01T09:00:00.000Z', lead: { phone: '+14155550100', externalIds: { salesforce: '00Q1' } } };
      const { lead } = surviveRecord([byPhone, byExternalId]);
      expect(lead).toEqual({ phone: '+14155550100', source: 'event', externalIds: { salesforce: '00Q1' } });
      expect(() => parseEvent(aLeadEnrichedEvent(lead).build())).not.toThrow();
    });

    it('given a member with an email domain but no email (a record the contract refuses), when survived, then the domain is not carried without an address', () => {
      const stray = { ...byPhone, lead: { ...byPhone.lead, emailDomain: 'acme.com', isFreeEmail: false } as EnrichedLead };
      expect(surviveRecord([stray]).lead).toEqual({ phone: '+14155550100', source: 'event' });
    });
  });

  it('given no member, when survived, then DEDUPE.EMPTY_CLUSTER', () => {
    expect(() => surviveRecord([])).toThrow(expect.objectContaining({ code: 'DEDUPE.EMPTY_CLUSTER' }));
  });
});

describe('parseSurvivorshipRules', () => {
  it('given nothing, when parsed, then the defaults', () => {
    expect(parseSurvivorshipRules(undefined)).toEqual(DEFAULT_SURVIVORSHIP_RULES);
    expect(parseSurvivorshipRules({})).toEqual(DEFAULT_SURVIVORSHIP_RULES);
  });

  it.each([
    [{ fields: { shoeSize: 'oldest' } }, 'survivorship.fields.shoeSize'],
    [{ fields: { email: 'newest' } }, 'survivorship.fields.email'],
    [{ sourceTrust: 'api' }, 'survivorship.sourceTrust'],
    ['oldest', 'survivorship'],
  ])('given %j, when parsed, then the offending path is named', (raw, path) => {
    expect(() => parseSurvivorshipRules(raw)).toThrow(MatchRulesError);
    expect(() => parseSurvivorshipRules(raw)).toThrow(expect.objectContaining({ path, message: expect.stringContaining(path) }));
  });
});
