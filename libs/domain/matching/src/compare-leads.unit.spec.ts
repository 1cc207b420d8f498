import type { EnrichedLead } from '@leadstream/contracts';
import { anEnrichedLead } from '@leadstream/testing';
import { compareLeads, withinOneEdit, type MatchComparison } from './compare-leads';
import { DEFAULT_MATCH_RULES, parseMatchRules } from './match-rules';

const rules = DEFAULT_MATCH_RULES;

/** Jane Doe at Acme, known by her work address; each test changes what the second record says. */
function janeAtAcme(): ReturnType<typeof anEnrichedLead> {
  return anEnrichedLead().withEmail('jane.doe@acme.com').withName('Jane', 'Doe').withCompany('Acme Inc', 'acme').withCountry('US');
}

function compare(a: EnrichedLead, b: EnrichedLead): MatchComparison {
  const forward = compareLeads(a, b, rules);
  // Whichever lead arrives first, the decision is the same.
  expect(compareLeads(b, a, rules).verdict).toBe(forward.verdict);
  return forward;
}

const feature = (comparison: MatchComparison, name: string) => comparison.features.find((each) => each.name === name);

describe('compareLeads', () => {
  describe('exact identifiers', () => {
    it('given the same mailbox written differently, when compared, then merge at score 1 on email', () => {
      const known = janeAtAcme().build();
      const other = anEnrichedLead().withEmail('Jane.Doe+webinar@ACME.com').withName('J', 'Smith').build();
      expect(compare(known, other)).toEqual({
        score: 1,
        verdict: 'merge',
        on: ['email'],
        features: [{ name: 'email', similarity: 1, weight: 1, left: 'jane.doe@acme.com', right: 'jane.doe@acme.com' }],
      });
    });

    it('given rules that do not trust the mailbox alone, when two leads share it, then the fuzzy evidence decides', () => {
      const strict = parseMatchRules({ exactEmailMerges: false });
      const colleague = anEnrichedLead().withEmail('jane.doe@acme.com').withName('Bob', 'Stone').withCompany('Acme Inc', 'acme').build();
      expect(compareLeads(janeAtAcme().build(), colleague, strict).verdict).toBe('distinct');
    });

    it('given the same id in the same CRM, when compared, then merge on external-id', () => {
      const withId = (lead: EnrichedLead, id: string) => ({ ...lead, externalIds: { salesforce: id } }) as EnrichedLead;
      const a = withId(janeAtAcme().build(), '00Q5e000001');
      const b = withId(anEnrichedLead().withEmail('jd@gmail.com').withName('Jane', 'Smith').build(), '00Q5e000001');
      expect(compare(a, b)).toMatchObject({ score: 1, verdict: 'merge', on: ['external-id'] });
      const c = withId(b, '00Q5e000002');
      expect(compare(a, c).on).not.toContain('external-id');
    });
  });

  describe('leads without email', () => {
    const phone = '+14155550100';
    const janeWithPhone = (): EnrichedLead => janeAtAcme().withPhone(phone).build();

    it('given a lead known by its phone alone, when compared with a lead with that phone, then merge at score 1 on phone', () => {
      expect(compare(janeWithPhone(), { phone, country: 'US', source: 'trade-show' })).toEqual({
        score: 1,
        verdict: 'merge',
        on: ['phone'],
        features: [{ name: 'phone', similarity: 1, weight: 1, left: phone, right: phone }],
      });
    });

    it('given a lead known by its phone alone, when the other has another phone or rules that do not trust a lone phone, then distinct', () => {
      expect(compare(janeWithPhone(), { phone: '+14155550199' }).verdict).toBe('distinct');
      expect(compareLeads(janeWithPhone(), { phone }, parseMatchRules({ phoneOnlyLeadMerges: false })).verdict).toBe('distinct');
    });

    it('given a phone and a given name but no email, when compared, then the phone is evidence like any other, not an exact match', () => {
      const comparison = compare(janeWithPhone(), { phone, firstName: 'Jane' });
      expect(comparison).toMatchObject({ verdict: 'review', on: ['name', 'phone'] });
      expect(compare(janeWithPhone(), { phone, firstName: 'Bob' }).verdict).toBe('distinct');
    });

    it('given a name and a company but no email, when compared with the same person, then merge on name and company', () => {
      expect(compare(janeAtAcme().build(), { firstName: 'Jane', lastName: 'Doe', company: 'ACME', companyKey: 'acme' })).toMatchObject({ verdict: 'merge', on: ['name', 'company'] });
    });

    it('given an external id alone, when compared with a lead with that id, then merge on external-id', () => {
      expect(compare({ ...janeAtAcme().build(), externalIds: { hubspot: '42' } }, { externalIds: { hubspot: '42' } })).toMatchObject({ score: 1, verdict: 'merge', on: ['external-id'] });
    });
  });

  describe('the same person written differently', () => {
    it.each([
      ['a nickname', 'Bill', 'Williams', 'William', 'Williams'],
      ['a nickname of a nickname', 'Bob', 'Stone', 'Robbie', 'Stone'],
      ['a German nickname', 'Susi', 'Müller', 'Susanne', 'Müller'],
      ['accents and case', 'JOSÉ', 'garcía', 'Jose', 'Garcia'],
      ['a transposed typo in the family name', 'Jane', 'Johnson', 'Jane', 'Jonhson'],
      ['a dropped letter in the given name', 'Sarah', 'Doe', 'Srah', 'Doe'],
      ['ß written as ss', 'Laura', 'Weiß', 'Laura', 'Weiss'],
      ['spacing and apostrophes', 'Mary', "O'Brien", 'Mary', 'OBrien'],
    ])('given %s at the same company, when compared, then merge on name and company', (_case, firstA, lastA, firstB, lastB) => {
      const a = anEnrichedLead().withEmail('x1@acme.com').withName(firstA, lastA).withCompany('Acme Inc', 'acme').build();
      const b = anEnrichedLead().withFreeEmail('someone.else').withName(firstB, lastB).withCompany('ACME Corporation', 'acme').build();
      const comparison = compare(a, b);
      expect(comparison.verdict).toBe('merge');
      expect(comparison.on).toEqual(expect.arrayContaining(['name', 'company']));
    });

    it('given first and last name swapped, when compared, then merge and the features say the names were swapped', () => {
      const swapped = anEnrichedLead().withFreeEmail('doe.jane').withName('Doe', 'Jane').withCompany('The Acme Co.', 'acme').build();
      const comparison = compare(janeAtAcme().build(), swapped);
      expect(comparison.verdict).toBe('merge');
      expect(feature(comparison, 'names-swapped')).toMatchObject({ left: 'jane doe', right: 'doe jane' });
    });

    it('given a personal Gmail address naming the company and the same phone, when compared, then merge on name, company and phone', () => {
      const known = janeAtAcme().withPhone('+14155550100').build();
      const personal = anEnrichedLead().withFreeEmail('janedoe84').withName('Jane', 'Doe').withCompany('Acme', 'acme').withPhone('+14155550100').build();
      const comparison = compare(known, personal);
      expect(comparison.verdict).toBe('merge');
      expect(comparison.on).toEqual(['name', 'company', 'phone', 'email-local-part']);
    });

    it('given a personal address without a company, when only the name agrees, then review at best, not merge', () => {
      const personal = anEnrichedLead().withFreeEmail('jdoe').withName('Jane', 'Doe').withCompany(undefined).without('country').build();
      expect(compare(janeAtAcme().build(), personal).verdict).toBe('review');
    });

    it('given an initial for the given name, when compared, then it counts less than the full name', () => {
      const initial = anEnrichedLead().withFreeEmail('jd').withName('J.', 'Doe').withCompany('Acme', 'acme').build();
      const comparison = compare(janeAtAcme().build(), initial);
      expect(feature(comparison, 'first-initial')).toMatchObject({ weight: rules.initialAgree });
      expect(comparison.verdict).toBe('merge');
      const fullName = compare(janeAtAcme().build(), { ...initial, firstName: 'Jane' });
      expect(fullName.score).toBeGreaterThan(comparison.score);
      const withoutCompany = compare(janeAtAcme().build(), { ...initial, company: undefined, companyKey: undefined });
      expect(withoutCompany.verdict).not.toBe('merge');
      const otherInitial = compare(janeAtAcme().build(), { ...initial, firstName: 'K.' });
      expect(otherInitial.verdict).toBe('distinct');
    });

    it('given a company name enrichment could not reduce to the same key, when compared, then Jaro-Winkler on the keys still agrees', () => {
      const other = anEnrichedLead().withFreeEmail('jane.d').withName('Jane', 'Doe').withCompany('Acme Corp Intl', 'acme corp intl').build();
      const plain = anEnrichedLead().withFreeEmail('jd77').withName('Jane', 'Doe').withCompany('Acme Corp', 'acme corp').build();
      expect(feature(compare(plain, other), 'company')!.weight).toBeGreaterThan(0);
    });

    it('given the same number typed differently (enrichment made both E.164), when compared, then the phone agrees; an unparseable one is not compared', () => {
      const a = janeAtAcme().withPhone('+14155550100').build();
      const b = anEnrichedLead().withFreeEmail('jd').withName('Jane', 'Doe').withCompany(undefined).withPhone('+14155550100').build();
      expect(feature(compare(a, b), 'phone')).toMatchObject({ similarity: 1, weight: rules.weights.phone.agree });
      const typed = { ...b, phone: 'ask for Jane', phoneUnparseable: true };
      expect(feature(compare({ ...a, phone: 'ask for Jane', phoneUnparseable: true }, typed), 'phone')).toBeUndefined();
    });

    it('given the company only in one domain and the other name, when compared, then the domain tells the company', () => {
      const workOnly = anEnrichedLead().withEmail('jdoe@acme.co.uk').withName('Jane', 'Doe').withCompany(undefined).build();
      const nameOnly = anEnrichedLead().withFreeEmail('jane.d').withName('Jane', 'Doe').withCompany('ACME Ltd', 'acme').build();
      expect(feature(compare(workOnly, nameOnly), 'company')).toMatchObject({ similarity: 1, left: 'acme.co.uk', right: 'acme' });
    });
  });

  describe('different people', () => {
    it('given John Smith at two different companies, when compared, then distinct because the company disagrees', () => {
      const a = anEnrichedLead().withEmail('john.smith@acme.com').withName('John', 'Smith').withCompany('Acme', 'acme').build();
      const b = anEnrichedLead().withEmail('john.smith@globex.com').withName('John', 'Smith').withCompany('Globex', 'globex').build();
      const comparison = compare(a, b);
      expect(comparison.verdict).toBe('distinct');
      expect(feature(comparison, 'company')!.weight).toBeLessThan(0);
    });

    it('given a colleague with the same family name and the same switchboard number, when compared, then distinct', () => {
      const a = janeAtAcme().withPhone('+14155550000').build();
      const b = anEnrichedLead().withEmail('mark.doe@acme.com').withName('Mark', 'Doe').withCompany('Acme Inc', 'acme').withPhone('+14155550000').build();
      expect(compare(a, b).verdict).toBe('distinct');
    });

    it('given two known names that differ by a letter, when compared, then they are two names, not a typo', () => {
      const christian = anEnrichedLead().withEmail('christian.kruger@acme.com').withName('Christian', 'Krüger').withCompany('Acme', 'acme').build();
      const christine = anEnrichedLead().withEmail('christine.kruger@acme.com').withName('Christine', 'Krüger').withCompany('Acme', 'acme').build();
      const comparison = compare(christian, christine);
      expect(comparison.verdict).toBe('distinct');
      expect(feature(comparison, 'first-name-different')).toBeDefined();
    });

    it('given look-alike family names two edits apart, when compared, then the family name does not count in favour', () => {
      const a = anEnrichedLead().withEmail('s.dorner@acme.com').withName('Susanne', 'Dorner').withCompany('Acme', 'acme').build();
      const b = anEnrichedLead().withEmail('s.dorninger@acme.com').withName('Susanne', 'Dorninger').withCompany('Acme', 'acme').build();
      const comparison = compare(a, b);
      expect(feature(comparison, 'last-name')!.weight).toBeLessThanOrEqual(0);
      expect(comparison.verdict).not.toBe('merge');
    });

    it('given namesakes at one company whose mailboxes the company numbered, when compared, then distinct', () => {
      const a = anEnrichedLead().withEmail('mjones@acme.com').withName('Matthew', 'Jones').withCompany('Acme', 'acme').build();
      const b = anEnrichedLead().withEmail('mjones2@acme.com').withName('Matthew', 'Jones').withCompany('Acme', 'acme').build();
      const comparison = compare(a, b);
      expect(comparison.verdict).toBe('distinct');
      expect(feature(comparison, 'numbered-mailbox')).toMatchObject({ left: 'mjones@acme.com', right: 'mjones2@acme.com' });
    });
  });

  describe('thresholds', () => {
    it('given a pair between reviewAt and autoMergeAt, when compared, then review; with a lower autoMergeAt, merge', () => {
      const personal = anEnrichedLead().withFreeEmail('jdoe').withName('Jane', 'Doe').withCompany(undefined).without('country').build();
      const comparison = compare(janeAtAcme().build(), personal);
      expect(comparison.score).toBeGreaterThanOrEqual(rules.reviewAt);
      expect(comparison.score).toBeLessThan(rules.autoMergeAt);
      const lenient = parseMatchRules({ autoMergeAt: comparison.score, reviewAt: 0.5 });
      expect(compareLeads(janeAtAcme().build(), personal, lenient).verdict).toBe('merge');
    });

    it('scores the same evidence higher with more agreeing fields and explains each weight', () => {
      const bare = anEnrichedLead().withFreeEmail('jdoe').withName('Jane', 'Doe').withCompany(undefined).without('country').build();
      const withCompany = { ...bare, company: 'Acme', companyKey: 'acme' };
      const a = compare(janeAtAcme().build(), bare);
      const b = compare(janeAtAcme().build(), withCompany);
      expect(b.score).toBeGreaterThan(a.score);
      const logOdds = rules.prior + b.features.reduce((sum, each) => sum + each.weight, 0);
      expect(b.score).toBeCloseTo(1 / (1 + Math.exp(-logOdds)), 10);
    });
  });

  describe('bad input never throws', () => {
    it.each<[string, EnrichedLead]>([
      ['no usable email', { ...anEnrichedLead().build(), email: 'not-an-address', emailDomain: '' }],
      ['empty names', anEnrichedLead().withName('', '   ').build()],
      ['no names at all', anEnrichedLead().withName(undefined, undefined).withCompany(undefined).build()],
      ['1,000-character values', anEnrichedLead().withName('A'.repeat(1000), 'B'.repeat(1000)).withCompany('C'.repeat(1000), 'c'.repeat(1000)).build()],
      ['an unparseable phone', { ...anEnrichedLead().build(), phone: 'call me', phoneUnparseable: true }],
      ['external ids that are not strings', { ...anEnrichedLead().build(), externalIds: { crm: 42 } } as unknown as EnrichedLead],
    ])('given %s, when compared, then a verdict comes back', (_case, lead) => {
      const comparison = compareLeads(lead, janeAtAcme().build(), rules);
      expect(['merge', 'review', 'distinct']).toContain(comparison.verdict);
      expect(comparison.score).toBeGreaterThanOrEqual(0);
      expect(comparison.score).toBeLessThanOrEqual(1);
    });

    it('given names in other scripts, when compared, then their letters are kept and compared', () => {
      const a = anEnrichedLead().withEmail('wang@acme.cn').withName('芳', '王').withCompany('Acme', 'acme').build();
      const same = anEnrichedLead().withFreeEmail('fang.w').withName('芳', '王').withCompany('Acme', 'acme').build();
      const other = anEnrichedLead().withFreeEmail('li.n').withName('娜', '李').withCompany('Acme', 'acme').build();
      expect(compare(a, same).verdict).toBe('merge');
      expect(compare(a, other).verdict).toBe('distinct');
      const dmitry = anEnrichedLead().withEmail('d.ivanov@acme.ru').withName('Дмитрий', 'Иванов').withCompany('Acme', 'acme').build();
      expect(compare(dmitry, { ...dmitry, email: 'dima@mail.ru', emailDomain: 'mail.ru', firstName: 'ДМИТРИЙ' }).verdict).toBe('merge');
    });
  });
});

describe('withinOneEdit', () => {
  it.each([
    ['smith', 'smith', true],
    ['smith', 'smiht', true],
    ['smith', 'smth', true],
    ['smith', 'smitth', true],
    ['smith', 'smyth', true],
    ['smith', 'smithers', false],
    ['dorner', 'dorninger', false],
    ['abcd', 'badc', false],
  ])('%p and %p: %p', (a, b, expected) => {
    expect(withinOneEdit([...a], [...b])).toBe(expected);
  });
});
