import { generateCompanies, sampleCsvLine, seededRandom } from './company-sample';

describe('generateCompanies', () => {
  const sample = [...generateCompanies(5_000, 7)];

  it('given the same seed, the same companies come out; another seed gives others', () => {
    expect([...generateCompanies(50, 7)]).toEqual(sample.slice(0, 50));
    expect([...generateCompanies(50, 8)].map((company) => company.domain)).not.toEqual(sample.slice(0, 50).map((company) => company.domain));
  });

  it('every domain is unique and looks like a domain; every name ends in a legal form', () => {
    expect(new Set(sample.map((company) => company.domain)).size).toBe(sample.length);
    for (const company of sample) {
      expect(company.domain).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z]{2,})+$/);
      expect(company.companyName).toMatch(/ (Inc\.?|LLC|Corp\.|Corporation|Co\.|Ltd\.?|Limited|PLC|LLP|GmbH|AG|GmbH & Co\. KG|SE|SAS|SA|SARL|Pvt Ltd|Private Limited|B\.V\.|N\.V\.|Pty Ltd|Pty\. Ltd\.|S\.L\.|S\.A\.|S\.r\.l\.|S\.p\.A\.|Ltda\.|K\.K\.|Co\., Ltd\.|AB|S\.A\. de C\.V\.|S\. de R\.L\.|Pte Ltd|Pte\. Ltd\.|Sp\. z o\.o\.|DAC|NV|BV|A\/S|ApS|AS|ASA|Oy|Oyj|\(Pty\) Ltd)$/);
    }
  });

  it('some companies belong to a parent that appears earlier in the file, in the same industry', () => {
    const byDomain = new Map<string, (typeof sample)[number]>();
    let subsidiaries = 0;
    for (const company of sample) {
      if (company.parentDomain) {
        subsidiaries += 1;
        const parent = byDomain.get(company.parentDomain);
        expect(parent).toBeDefined();
        expect(parent?.industry ?? company.industry).toBe(company.industry ?? parent?.industry);
      }
      byDomain.set(company.domain, company);
    }
    expect(subsidiaries).toBeGreaterThan(0);
  });

  it('covers many countries and industries, sizes from one person to tens of thousands, and leaves some fields unknown', () => {
    expect(new Set(sample.map((company) => company.country)).size).toBeGreaterThan(20);
    expect(new Set(sample.map((company) => company.industry)).size).toBeGreaterThan(20);
    const sizes = sample.flatMap((company) => (company.employeeCount === undefined ? [] : [company.employeeCount]));
    expect(Math.min(...sizes)).toBeLessThan(5);
    expect(Math.max(...sizes)).toBeGreaterThan(10_000);
    expect(sample.some((company) => company.annualRevenue === undefined)).toBe(true);
  });

  it('refuses a count or seed that is not a whole number', () => {
    expect(() => [...generateCompanies(1.5, 1)]).toThrow('count must be a whole number, got 1.5');
    expect(() => [...generateCompanies(1, Number.NaN)]).toThrow('seed must be a whole number, got NaN');
  });
});

describe('sampleCsvLine', () => {
  it('quotes a field with a comma or a quote and leaves unknown fields empty', () => {
    expect(sampleCsvLine({ domain: 'a.co.jp', companyName: 'A "One" Co., Ltd.', country: 'JP' })).toBe('a.co.jp,"A ""One"" Co., Ltd.",,,,JP,');
  });
});

describe('seededRandom', () => {
  it('is reproducible and stays in [0, 1)', () => {
    const first = seededRandom(42);
    const second = seededRandom(42);
    const values = Array.from({ length: 1000 }, () => first());
    expect(Array.from({ length: 1000 }, () => second())).toEqual(values);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
  });
});
