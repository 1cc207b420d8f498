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
      phoneAsTyped: '030 1234 5678',
      source: 'webinar',
      isDisposableEmail: false,
    });
  });

  it('given a name typed in capitals with honorific and suffix, and a job title, then the name is split and re-cased and the title classified', () => {
    const enriched = enrichLead(aLead().withName('DR. ADA', 'LOVELACE III').withTitle('  VP,  Sales EMEA ').build());
    expect(enriched).toMatchObject({ honorific: 'Dr', firstName: 'Ada', lastName: 'Lovelace', nameSuffix: 'III', title: 'VP, Sales EMEA', seniority: 'vp', department: 'sales' });
  });

  it('given a disposable mailbox, then it is flagged, counted as free, and gives no company domain', () => {
    const enriched = enrichLead(aLead().withEmail('someone@Mailinator.com').build());
    expect(enriched).toMatchObject({ isDisposableEmail: true, isFreeEmail: true });
    expect(enriched).not.toHaveProperty('companyDomain');
  });

  it('given a phone in the international form of another country than the lead\'s, then it is that country\'s number', () => {
    expect(enrichLead(aLead().withCountry('DE').withPhone('+1 415 555 0132').build())).toMatchObject({ phone: '+14155550132', phoneAsTyped: '+1 415 555 0132' });
  });

  it('the README example', () => {
    const enriched = enrichLead({
      email: '  Jane.Doe@ACME-Corp.com ', firstName: 'DR. JANE', lastName: 'DOE JR.', title: 'VP, Sales EMEA',
      company: ' The Acme  Corp, Inc. ', country: 'Germany', phone: '030 1234 5678',
    });
    expect(enriched).toEqual({
      email: 'jane.doe@acme-corp.com', emailDomain: 'acme-corp.com', isFreeEmail: false, isDisposableEmail: false,
      companyDomain: 'acme-corp.com', honorific: 'Dr', firstName: 'Jane', lastName: 'Doe', nameSuffix: 'Jr',
      company: 'The Acme Corp, Inc.', companyKey: 'acme', title: 'VP, Sales EMEA', seniority: 'vp', department: 'sales',
      phone: '+493012345678', phoneAsTyped: '030 1234 5678', country: 'DE',
    });
  });

  it('carries the attribution captured at the edge unchanged', () => {
    const attribution = { utmSource: 'linkedin', utmCampaign: 'q4-launch', landingPage: 'https://example.com/launch' };
    expect(enrichLead({ ...aLead().build(), attribution }).attribution).toEqual(attribution);
    expect(enrichLead(aLead().build())).not.toHaveProperty('attribution');
  });

  it('given external ids, then they reach the enriched lead with system names lower-cased and ids trimmed, and the event passes the contract', () => {
    const enriched = enrichLead({ ...aLead().build(), externalIds: { salesforce: ' 00Q5e00000AbCdE ', HubSpot: '1234', marketo: '  ' } });
    expect(enriched.externalIds).toEqual({ salesforce: '00Q5e00000AbCdE', hubspot: '1234' });
    expect(() => parseEvent(aLeadEnrichedEvent(enriched).build())).not.toThrow();
  });

  it('given no external ids, or only blank ones, then the enriched lead has none', () => {
    expect(enrichLead(aLead().build())).not.toHaveProperty('externalIds');
    expect(enrichLead({ ...aLead().build(), externalIds: { salesforce: ' ' } })).not.toHaveProperty('externalIds');
  });

  it('marks a free mailbox and does not take its domain for the company', () => {
    const enriched = enrichLead(aLead().withEmail('bob@GMAIL.com').build());
    expect(enriched.isFreeEmail).toBe(true);
    expect(enriched.emailDomain).toBe('gmail.com');
    expect(enriched).not.toHaveProperty('companyDomain');
  });

  it('given a free mailbox and a website, then the company domain is the website host and the website is normalised', () => {
    const enriched = enrichLead({ ...aLead().withEmail('ada@gmail.com').build(), website: 'HTTPS://WWW.Acme-Corp.example/about?ref=ad' });
    expect(enriched).toMatchObject({ isFreeEmail: true, emailDomain: 'gmail.com', companyDomain: 'acme-corp.example', website: 'https://www.acme-corp.example/about' });
    expect(() => parseEvent(aLeadEnrichedEvent(enriched).build())).not.toThrow();
  });

  it('given a work email and a website of another company, then the email domain wins and the website is kept', () => {
    const enriched = enrichLead({ ...aLead().withEmail('ada@acme-corp.example').build(), website: 'globex.example' });
    expect(enriched).toMatchObject({ companyDomain: 'acme-corp.example', website: 'https://globex.example/' });
  });

  it('given a free mailbox and a social profile or garbage as website, then there is no company domain (and no website when it is garbage)', () => {
    expect(enrichLead({ ...aLead().withEmail('ada@gmail.com').build(), website: 'linkedin.com/in/ada' })).not.toHaveProperty('companyDomain');
    const garbage = enrichLead({ ...aLead().withEmail('ada@gmail.com').build(), website: 'n/a' });
    expect(garbage).not.toHaveProperty('companyDomain');
    expect(garbage).not.toHaveProperty('website');
  });

  it('drops fields that are blank or a country it does not recognise', () => {
    const enriched = enrichLead(aLead().withTitle('   ').withCountry('Atlantis').withCompany(' ').build());
    expect(enriched).not.toHaveProperty('title');
    expect(enriched).not.toHaveProperty('country');
    expect(enriched).not.toHaveProperty('company');
    expect(enriched).not.toHaveProperty('companyKey');
  });

  it('keeps a phone it cannot read as typed rather than guessing, and flags it', () => {
    const enriched = enrichLead(aLead().withCountry(undefined).withPhone(' 555 0100 ').build());
    expect(enriched).toMatchObject({ phone: '555 0100', phoneUnparseable: true });
    expect(enriched).not.toHaveProperty('phoneAsTyped');
  });

  describe('bad input is enriched with what can be derived, never thrown on', () => {
    it('given empty names and a title of punctuation, then there are no names and no classification', () => {
      const enriched = enrichLead(aLead().withName('  ', '').withTitle('--').build());
      expect(enriched).not.toHaveProperty('firstName');
      expect(enriched).not.toHaveProperty('lastName');
      expect(enriched).not.toHaveProperty('seniority');
      expect(enriched).not.toHaveProperty('department');
    });

    it('given names and a company in non-Latin scripts, then they pass through in NFC with a key', () => {
      const enriched = enrichLead(aLead().withName('Дмитрий', 'ИВАНОВ').withCompany('Яндекс ООО').withTitle('Генеральный директор').build());
      expect(enriched).toMatchObject({ firstName: 'Дмитрий', lastName: 'ИВАНОВ', company: 'Яндекс ООО', companyKey: 'яндекс', seniority: 'c-level', department: 'executive' });
    });

    it('given absurdly long values, then every derived field stays within what the lead.enriched contract accepts', () => {
      const long = (unit: string) => unit.repeat(Math.ceil(1000 / unit.length)).slice(0, 1000);
      const lead = aLead().withName(long('ANNA '), long('SMITH ')).withCompany(long('Acme Inc ')).withTitle(long('VP Sales ')).withPhone(long('12 ')).withCountry(long('Germany ')).build();
      const enriched = enrichLead(lead);
      expect(enriched).toMatchObject({ seniority: 'vp', department: 'sales', phoneUnparseable: true });
      expect(() => parseEvent(aLeadEnrichedEvent(enriched).build())).not.toThrow();
    });
  });

  it('produces what the lead.enriched contract accepts', () => {
    const lead = enrichLead(aLead().withEmail(' Ada@Example.COM ').withName('Dr Ada', 'Lovelace PhD').withTitle('CTO').withCountry('uk').withPhone('+44 (0)20 7183 8750').build());
    expect(lead).toMatchObject({ honorific: 'Dr', nameSuffix: 'PhD', seniority: 'c-level', department: 'engineering', phoneAsTyped: '+44 (0)20 7183 8750' });
    expect(() => parseEvent(aLeadEnrichedEvent(lead).build())).not.toThrow();
  });

  describe('a lead without email is enriched with what can be derived from what it has', () => {
    const EMAIL_DERIVED = ['email', 'emailDomain', 'isFreeEmail', 'isDisposableEmail'] as const;

    it('given a lead known only by a phone, when enriched, then the phone is in E.164, nothing is derived from an email, and the event passes the contract', () => {
      const enriched = enrichLead({ phone: '020 7183 8750', country: 'UK' });
      expect(enriched).toEqual({ phone: '+442071838750', phoneAsTyped: '020 7183 8750', country: 'GB' });
      for (const key of EMAIL_DERIVED) expect(enriched).not.toHaveProperty(key);
      expect(() => parseEvent(aLeadEnrichedEvent(enriched).build())).not.toThrow();
    });

    it('given a lead known only by an unparseable phone, when enriched, then the phone is kept as typed and flagged, not refused', () => {
      const enriched = enrichLead({ phone: ' 555 0100 ' });
      expect(enriched).toEqual({ phone: '555 0100', phoneUnparseable: true });
      expect(() => parseEvent(aLeadEnrichedEvent(enriched).build())).not.toThrow();
    });

    it('given a lead known only by an external id, when enriched, then the id is carried tidied and nothing else is invented', () => {
      const enriched = enrichLead({ externalIds: { Salesforce: ' 00Q5e00000AbCdE ' }, source: ' CRM Sync ' });
      expect(enriched).toEqual({ externalIds: { salesforce: '00Q5e00000AbCdE' }, source: 'crm sync' });
      expect(() => parseEvent(aLeadEnrichedEvent(enriched).build())).not.toThrow();
    });

    it('given a name, a company and its website but no email, when enriched, then the company domain comes from the website alone', () => {
      const enriched = enrichLead({ firstName: 'ADA', lastName: 'LOVELACE', company: ' Analytical Engines Ltd ', website: 'HTTPS://WWW.Analytical-Engines.example/about?ref=ad', title: 'CTO' });
      expect(enriched).toEqual({
        firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines Ltd', companyKey: 'analytical engines',
        companyDomain: 'analytical-engines.example', website: 'https://www.analytical-engines.example/about',
        title: 'CTO', seniority: 'c-level', department: 'engineering',
      });
      expect(() => parseEvent(aLeadEnrichedEvent(enriched).build())).not.toThrow();
    });

    it('given a name and a company without email or website, or with a social profile as website, when enriched, then there is no company domain', () => {
      expect(enrichLead({ firstName: 'Ada', company: 'Analytical Engines' })).not.toHaveProperty('companyDomain');
      expect(enrichLead({ lastName: 'Lovelace', company: 'Analytical Engines', website: 'linkedin.com/in/ada' })).not.toHaveProperty('companyDomain');
    });
  });

  it.each(['no-at-sign', '@example.com', 'ada@', 'ada lovelace@example.com'])('rejects the unreadable email %p', (email) => {
    const attempt = () => enrichLead(aLead().withEmail(email).build());
    expect(attempt).toThrow(InvalidEmailError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'ENRICHMENT.INVALID_EMAIL', kind: 'permanent' }));
  });
});
