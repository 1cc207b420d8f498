import { combineLookups, foundFirmographics, missingFirmographicFields, normaliseCompanyDomain, type FirmographicsLookup } from './firmographics';

describe('normaliseCompanyDomain', () => {
  it.each([
    ['acme.com', 'acme.com'],
    ['  ACME.com ', 'acme.com'],
    ['https://www.Acme.co.uk/about?x=1', 'acme.co.uk'],
    ['http://shop.acme.de:8080/', 'shop.acme.de'],
    ['www2.acme.com', 'acme.com'],
    ['acme.com.', 'acme.com'],
  ])('%p -> %p', (raw, expected) => {
    expect(normaliseCompanyDomain(raw)).toBe(expected);
  });

  it.each([[''], ['   '], ['localhost'], ['acme .com'], ['-acme.com'], ['jane@acme.com'], [undefined]])('%p is not a domain', (raw) => {
    expect(normaliseCompanyDomain(raw)).toBeUndefined();
  });
});

describe('foundFirmographics', () => {
  it('names the fields the provider does not know', () => {
    const lookup = foundFirmographics('reference', 'domain', { domain: 'acme.com', companyName: 'Acme Inc', employeeCount: 0, industry: '' });
    expect(lookup).toEqual({
      outcome: 'found',
      provider: 'reference',
      matchedBy: 'domain',
      firmographics: { domain: 'acme.com', companyName: 'Acme Inc', employeeCount: 0, industry: '' },
      missing: ['industry', 'annualRevenue', 'country', 'parentDomain'],
    });
  });

  it('a complete company misses nothing', () => {
    expect(
      missingFirmographicFields({ domain: 'a.com', companyName: 'A', industry: 'Software', employeeCount: 5, annualRevenue: 1, country: 'US', parentDomain: 'b.com' }),
    ).toEqual([]);
  });
});

describe('combineLookups', () => {
  const found = (provider: string): FirmographicsLookup => foundFirmographics(provider, 'domain', { domain: 'acme.com' });
  const notFound = (provider: string): FirmographicsLookup => ({ outcome: 'not-found', provider });
  const failed = (provider: string): FirmographicsLookup => ({ outcome: 'failed', provider, reason: 'timeout', detail: 'no answer' });

  it('given a failure then a hit, the hit wins and both attempts are kept', () => {
    const chained = combineLookups('chain', [failed('http'), found('reference')]);
    expect(chained.result).toEqual(found('reference'));
    expect(chained.attempts.map((attempt) => attempt.outcome)).toEqual(['failed', 'found']);
  });

  it('given one provider that does not know the company and one that failed, the result is not-found', () => {
    expect(combineLookups('chain', [notFound('reference'), failed('http')]).result).toEqual({ outcome: 'not-found', provider: 'reference,http' });
  });

  it('given only failures, the first failure is the result', () => {
    expect(combineLookups('chain', [failed('a'), failed('b')]).result).toEqual(failed('a'));
  });

  it('given no providers, nothing is found', () => {
    expect(combineLookups('chain', []).result).toEqual({ outcome: 'not-found', provider: 'chain' });
  });
});
