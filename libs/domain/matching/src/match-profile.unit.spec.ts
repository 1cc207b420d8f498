import { anEnrichedLead } from '@leadstream/testing';
import { buildProfile, foldName, matchProfile } from './match-profile';
import { canonicalGivenNames, isKnownGivenName } from './nicknames';

describe('foldName', () => {
  it.each([
    ['Müller', 'muller'],
    ['  José  ', 'jose'],
    ['Ørsted', 'orsted'],
    ['Weiß', 'weiss'],
    ["O'Brien-Smith", 'obriensmith'],
    ['van der Berg', 'vanderberg'],
    ['Дмитрий', 'дмитрий'],
    ['王芳', '王芳'],
    ['', ''],
  ])('%p is compared as %p', (typed, folded) => {
    expect(foldName(typed)).toBe(folded);
  });

  it('keeps accents of scripts other than Latin (they are letters there, not accents)', () => {
    expect(foldName('Йорк')).toBe('йорк'); // Й is not И with a mark to drop
  });

  it('cuts a 1,000-character value to the first 100 characters', () => {
    expect(foldName('a'.repeat(1000))).toHaveLength(100);
  });
});

describe('canonicalGivenNames', () => {
  it.each([
    ['bill', ['william']],
    ['william', ['william']],
    ['peggy', ['margaret']],
    ['susi', ['susanne']],
    ['paco', ['francisco']],
    ['zoltan', ['zoltan']],
  ])('%p stands for %p', (name, canonical) => {
    expect(canonicalGivenNames(name)).toEqual(canonical);
  });

  it('gives every name a nickname may stand for', () => {
    expect(canonicalGivenNames('chris')).toEqual(expect.arrayContaining(['christopher', 'christina', 'christian']));
    expect(canonicalGivenNames('alex')).toEqual(expect.arrayContaining(['alexander', 'alexandra']));
  });

  it('knows given names of their own, and not typos of them', () => {
    expect(isKnownGivenName('christine')).toBe(true);
    expect(isKnownGivenName('christian')).toBe(true);
    expect(isKnownGivenName('chrsitine')).toBe(false);
  });
});

describe('matchProfile', () => {
  it('is built once per lead object and equals an uncached build', () => {
    const lead = anEnrichedLead().withEmail('Jane.Doe+news@acme.co.uk').withName('Jane', 'Doe').withCompany('Acme Ltd', 'acme').withPhone('+441611234567').build();
    expect(matchProfile(lead)).toBe(matchProfile(lead));
    expect(matchProfile(lead)).toEqual(buildProfile(lead));
    expect(matchProfile(lead)).toMatchObject({ mailbox: 'jane.doe@acme.co.uk', localPart: 'janedoe', domainLabel: 'acme', phone: '+441611234567', workDomain: 'acme.co.uk' });
  });

  it('ignores role mailboxes and unparseable phones', () => {
    const lead = { ...anEnrichedLead().withEmail('info@acme.com').build(), phone: '0800 ACME', phoneUnparseable: true };
    expect(buildProfile(lead)).toMatchObject({ localPart: '', phone: '' });
  });
});
