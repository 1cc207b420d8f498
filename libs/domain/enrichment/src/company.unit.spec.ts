import { companyKey, tidyCompanyName } from './company';

describe('companyKey', () => {
  it.each([
    ['ACME, Inc.', 'acme'],
    ['Acme Corporation', 'acme'],
    ['Acme Holdings Co., Ltd.', 'acme holdings'],
    ['Müller GmbH & Co. KG', 'muller'],
    ['Société Générale S.A.', 'societe generale'],
    ['Smith & Sons Pty Ltd', 'smith and sons'],
    ['Company Inc', 'company'],
  ])('%p -> %p', (raw, expected) => {
    expect(companyKey(raw)).toBe(expected);
  });

  it('does not cut a suffix out of the middle of a word', () => {
    expect(companyKey('Cisco')).toBe('cisco');
    expect(companyKey('Ingram Micro')).toBe('ingram micro');
  });

  it('has no key for punctuation only', () => {
    expect(companyKey(' -- ')).toBeUndefined();
  });
});

describe('tidyCompanyName', () => {
  it('keeps the display form but collapses whitespace', () => {
    expect(tidyCompanyName('  Acme \t Corp, Inc. ')).toBe('Acme Corp, Inc.');
  });
});
