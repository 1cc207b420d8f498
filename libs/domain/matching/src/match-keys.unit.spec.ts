import type { EnrichedLead } from '@leadstream/contracts';
import { anEnrichedLead } from '@leadstream/testing';
import { accountKeyOf, blockingKeys, exactKeys } from './match-keys';

function shareABlock(a: EnrichedLead, b: EnrichedLead): boolean {
  const keys = new Set(blockingKeys(a));
  return blockingKeys(b).some((key) => keys.has(key));
}

const jane = (): ReturnType<typeof anEnrichedLead> => anEnrichedLead().withEmail('jane.doe@acme.com').withName('Jane', 'Doe').withCompany('Acme Inc', 'acme');

describe('exactKeys', () => {
  it('lists the mailbox, the parsed phone and the external ids', () => {
    const lead = { ...jane().withEmail('Jane.Doe+news@acme.com').withPhone('+14155550100').build(), externalIds: { Salesforce: '00Q5e', hubspot: '' } } as EnrichedLead;
    expect(exactKeys(lead)).toEqual(['email:jane.doe@acme.com', 'phone:+14155550100', 'ext:salesforce:00Q5e']);
  });

  it('given a lead without email, then its keys are its phone and external ids, without throwing', () => {
    expect(exactKeys({ phone: '+14155550100', externalIds: { hubspot: '42' } })).toEqual(['phone:+14155550100', 'ext:hubspot:42']);
    expect(exactKeys({ firstName: 'Jane', company: 'Acme' })).toEqual([]);
  });

  it('leaves out an unusable email and a phone enrichment could not parse, without throwing', () => {
    const lead = { ...jane().build(), email: 'nobody', phone: 'ask reception', phoneUnparseable: true };
    expect(exactKeys(lead)).toEqual([]);
  });
});

describe('blockingKeys', () => {
  it.each<[string, EnrichedLead]>([
    ['a nickname and a personal address naming the company', anEnrichedLead().withFreeEmail('jd').withName('Janie', 'Doe').withCompany('ACME Corp', 'acme').build()],
    ['a typo in the family name', anEnrichedLead().withEmail('jdoe@acme.com').withName('Jane', 'Deo').withCompany(undefined).build()],
    ['a typo in both names', anEnrichedLead().withEmail('jdoe@acme.com').withName('Jnae', 'Deo').withCompany('Acme', 'acme').build()],
    ['swapped names', anEnrichedLead().withFreeEmail('x').withName('Doe', 'Jane').withCompany('Acme', 'acme').build()],
    ['the company only in the email domain', anEnrichedLead().withEmail('j@acme.co.uk').withName('Jane', 'Doe').withCompany(undefined).build()],
  ])('given the same person with %s, then the two leads share a block', (_case, other) => {
    expect(shareABlock(jane().build(), other)).toBe(true);
  });

  it('given a lead without email known by its name and company, then it shares a block with the same person', () => {
    expect(shareABlock(jane().build(), { firstName: 'Jane', lastName: 'Doe', company: 'ACME', companyKey: 'acme' })).toBe(true);
  });

  it('given a namesake at another company, then no block is shared', () => {
    const namesake = anEnrichedLead().withEmail('jane.doe@globex.com').withName('Jane', 'Doe').withCompany('Globex', 'globex').build();
    expect(shareABlock(jane().build(), namesake)).toBe(false);
  });

  it('never blocks on the company alone: colleagues with other initials share nothing', () => {
    const colleague = anEnrichedLead().withEmail('bob.stone@acme.com').withName('Bob', 'Stone').withCompany('Acme Inc', 'acme').build();
    expect(shareABlock(jane().build(), colleague)).toBe(false);
    expect(blockingKeys(jane().build()).every((key) => /\|.*\|/.test(key) || key.startsWith('lc:'))).toBe(true);
  });

  it('given a lead with no company at all, then it has no blocking key (a name alone is not enough)', () => {
    expect(blockingKeys(anEnrichedLead().withFreeEmail('jd').withName('Jane', 'Doe').withCompany(undefined).build())).toEqual([]);
  });

  it('given 1,000-character names, then keys stay short', () => {
    const keys = blockingKeys(jane().withName('J'.repeat(1000), 'D'.repeat(1000)).build());
    expect(keys.length).toBeGreaterThan(0);
    expect(Math.max(...keys.map((key) => key.length))).toBeLessThan(300);
  });
});

describe('accountKeyOf', () => {
  it('is the domain of a work email, else the company key, else nothing', () => {
    expect(accountKeyOf(jane().build())).toBe('domain:acme.com');
    expect(accountKeyOf(anEnrichedLead().withFreeEmail('jd').withCompany('The ACME Company, Inc.', 'acme').build())).toBe('name:acme');
    expect(accountKeyOf(anEnrichedLead().withFreeEmail('jd').withCompany(undefined).build())).toBeUndefined();
    // without email: the website's domain (enrichment's companyDomain), else the company key
    expect(accountKeyOf({ firstName: 'Jane', companyDomain: 'acme.com', company: 'Acme', companyKey: 'acme' })).toBe('domain:acme.com');
    expect(accountKeyOf({ phone: '+14155550100', company: 'Acme', companyKey: 'acme' })).toBe('name:acme');
    expect(accountKeyOf({ phone: '+14155550100' })).toBeUndefined();
  });
});
