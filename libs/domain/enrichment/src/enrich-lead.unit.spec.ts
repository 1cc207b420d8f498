import { parseEvent } from '@leadstream/contracts';
import { aLead, aLeadEnrichedEvent } from '@leadstream/testing';
import { enrichLead } from './enrich-lead';
import { InvalidEmailError } from './enrichment-error';

describe('enrichLead', () => {
  it('normalises a corporate lead and infers the company domain', () => {
    const lead = aLead()
      .withEmail('  Jane.Doe@ACME-Corp.com ')
      .withCompany('  Acme   Corp, Inc. ')
      .withCountry('Germany')
      .withPhone('030 1234 5678')
      .withSource(' Webinar ')
      .build();
    expect(enrichLead(lead)).toMatchObject({
      email: 'jane.doe@acme-corp.com',
      emailDomain: 'acme-corp.com',
      isFreeEmail: false,
      companyDomain: 'acme-corp.com',
      company: 'Acme Corp, Inc.',
      companyKey: 'acme',
      country: 'DE',
      phone: '+493012345678',
      source: 'webinar',
    });
  });

  it('carries the attribution captured at the edge unchanged', () => {
    const attribution = { utmSource: 'linkedin', utmCampaign: 'q4-launch', landingPage: 'https://example.com/launch' };
    expect(enrichLead({ ...aLead().build(), attribution }).attribution).toEqual(attribution);
    expect(enrichLead(aLead().build())).not.toHaveProperty('attribution');
  });

  it('marks a free mailbox and does not take its domain for the company', () => {
    const enriched = enrichLead(aLead().withEmail('bob@GMAIL.com').build());
    expect(enriched.isFreeEmail).toBe(true);
    expect(enriched.emailDomain).toBe('gmail.com');
    expect(enriched).not.toHaveProperty('companyDomain');
  });

  it('drops fields that are blank or a country it does not recognise', () => {
    const enriched = enrichLead(aLead().withTitle('   ').withCountry('Atlantis').withCompany(' ').build());
    expect(enriched).not.toHaveProperty('title');
    expect(enriched).not.toHaveProperty('country');
    expect(enriched).not.toHaveProperty('company');
    expect(enriched).not.toHaveProperty('companyKey');
  });

  it('keeps a phone it cannot read as typed rather than guessing', () => {
    expect(enrichLead(aLead().withCountry(undefined).withPhone(' 555 0100 ').build()).phone).toBe('555 0100');
  });

  it('produces what the lead.enriched contract accepts', () => {
    const lead = enrichLead(aLead().withEmail(' Ada@Example.COM ').withCountry('uk').withPhone('+44 (0)20 7183 8750').build());
    expect(() => parseEvent(aLeadEnrichedEvent(lead).build())).not.toThrow();
  });

  it.each(['no-at-sign', '@example.com', 'ada@', 'ada lovelace@example.com'])('rejects the unreadable email %p', (email) => {
    const attempt = () => enrichLead(aLead().withEmail(email).build());
    expect(attempt).toThrow(InvalidEmailError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'ENRICHMENT.INVALID_EMAIL', kind: 'permanent' }));
  });
});
