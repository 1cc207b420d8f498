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
    ['The Coca-Cola Company', 'coca cola'],
    ['The Company', 'company'],
    ['SAP SE', 'sap'],
    ['Nokia Oyj', 'nokia'],
    ['Volvo AB (publ)', 'volvo'],
    ['A.P. Møller - Mærsk A/S', 'ap moller maersk'],
    ['Tata Consultancy Services Pvt. Ltd.', 'tata consultancy services'],
    ['Grupo Bimbo, S.A.B. de C.V.', 'grupo bimbo'],
    ['Atlassian Pty Ltd', 'atlassian'],
    ['Rabobank B.V.', 'rabobank'],
    ['Capgemini SAS', 'capgemini'],
    ['Ferrero S.r.l.', 'ferrero'],
    ['Toyota K.K.', 'toyota'],
    ['BP p.l.c.', 'bp'],
    ['Acme Corp.', 'acme'],
    ['Яндекс ООО', 'яндекс'],
    ['トヨタ株式会社', 'トヨタ'],
    ['株式会社トヨタ', 'トヨタ'],
  ])('given %p, then the key is %p', (raw, expected) => {
    expect(companyKey(raw)).toBe(expected);
  });

  it('does not cut a suffix out of the middle of a word', () => {
    expect(companyKey('Cisco')).toBe('cisco');
    expect(companyKey('Ingram Micro')).toBe('ingram micro');
  });

  it('given a name in a script other than Latin, then its letters and marks are kept in the key', () => {
    expect(companyKey('हिन्दुस्तान')).toBe('हिन्दुस्तान');
    expect(companyKey('ガスト')).toBe('ガスト');
  });

  it('has no key for punctuation only', () => {
    expect(companyKey(' -- ')).toBeUndefined();
  });
});

describe('tidyCompanyName', () => {
  it('keeps the display form but collapses whitespace', () => {
    expect(tidyCompanyName('  Acme \t Corp, Inc. ')).toBe('Acme Corp, Inc.');
  });

  it('given a decomposed accent, then the display form is in NFC and keeps its legal suffix', () => {
    expect(tidyCompanyName('Socie\u0301te\u0301 Ge\u0301ne\u0301rale S.A.')).toBe('Soci\u00e9t\u00e9 G\u00e9n\u00e9rale S.A.');
  });
});
