// A reproducible sample of companies for the enrichment reference dataset: the same seed gives the same
// file, byte for byte, on every machine. The names, domains, legal forms, sizes and parents follow
// the patterns of real company registers closely enough for enrichment and dedupe demos.
import { seededRandom } from '@leadstream/testing';

export interface SampleCompany {
  readonly domain: string;
  readonly companyName: string;
  readonly industry?: string;
  readonly employeeCount?: number;
  readonly annualRevenue?: number;
  readonly country: string;
  readonly parentDomain?: string;
}

/** Columns as the enrichment loader expects them (apps/enrichment/src/providers/reference-dataset.loader.ts). */
export const SAMPLE_CSV_HEADER = 'domain,company_name,industry,employee_count,annual_revenue,country,parent_domain';

// The seeded generator the sample is drawn from (mulberry32), shared with the dedupe benchmark.
export { seededRandom };

interface CountryProfile {
  readonly code: string;
  readonly weight: number;
  readonly tld: string;
  readonly suffixes: readonly string[];
  /** How a subsidiary names itself in this country ("Acme Deutschland GmbH"). */
  readonly localName: string;
}

const COUNTRIES: readonly CountryProfile[] = [
  { code: 'US', weight: 34, tld: 'com', suffixes: ['Inc.', 'LLC', 'Corp.', 'Inc', 'Corporation', 'Co.'], localName: 'USA' },
  { code: 'GB', weight: 8, tld: 'co.uk', suffixes: ['Ltd', 'Limited', 'PLC', 'LLP'], localName: 'UK' },
  { code: 'DE', weight: 8, tld: 'de', suffixes: ['GmbH', 'AG', 'GmbH & Co. KG', 'SE'], localName: 'Deutschland' },
  { code: 'FR', weight: 5, tld: 'fr', suffixes: ['SAS', 'SA', 'SARL'], localName: 'France' },
  { code: 'CA', weight: 4, tld: 'ca', suffixes: ['Inc.', 'Ltd.', 'Corp.'], localName: 'Canada' },
  { code: 'IN', weight: 4, tld: 'in', suffixes: ['Pvt Ltd', 'Private Limited', 'Ltd'], localName: 'India' },
  { code: 'NL', weight: 3, tld: 'nl', suffixes: ['B.V.', 'N.V.'], localName: 'Nederland' },
  { code: 'AU', weight: 3, tld: 'com.au', suffixes: ['Pty Ltd', 'Pty. Ltd.', 'Limited'], localName: 'Australia' },
  { code: 'ES', weight: 3, tld: 'es', suffixes: ['S.L.', 'S.A.'], localName: 'España' },
  { code: 'IT', weight: 3, tld: 'it', suffixes: ['S.r.l.', 'S.p.A.'], localName: 'Italia' },
  { code: 'BR', weight: 3, tld: 'com.br', suffixes: ['Ltda.', 'S.A.'], localName: 'Brasil' },
  { code: 'JP', weight: 3, tld: 'co.jp', suffixes: ['K.K.', 'Co., Ltd.'], localName: 'Japan' },
  { code: 'SE', weight: 2, tld: 'se', suffixes: ['AB'], localName: 'Sverige' },
  { code: 'CH', weight: 2, tld: 'ch', suffixes: ['AG', 'GmbH', 'SA'], localName: 'Schweiz' },
  { code: 'MX', weight: 2, tld: 'com.mx', suffixes: ['S.A. de C.V.', 'S. de R.L.'], localName: 'México' },
  { code: 'SG', weight: 2, tld: 'com.sg', suffixes: ['Pte Ltd', 'Pte. Ltd.'], localName: 'Singapore' },
  { code: 'PL', weight: 2, tld: 'pl', suffixes: ['Sp. z o.o.', 'S.A.'], localName: 'Polska' },
  { code: 'IE', weight: 1, tld: 'ie', suffixes: ['Ltd', 'DAC', 'Limited'], localName: 'Ireland' },
  { code: 'AT', weight: 1, tld: 'at', suffixes: ['GmbH', 'AG'], localName: 'Österreich' },
  { code: 'BE', weight: 1, tld: 'be', suffixes: ['NV', 'BV', 'SA'], localName: 'Belgium' },
  { code: 'DK', weight: 1, tld: 'dk', suffixes: ['A/S', 'ApS'], localName: 'Danmark' },
  { code: 'NO', weight: 1, tld: 'no', suffixes: ['AS', 'ASA'], localName: 'Norge' },
  { code: 'FI', weight: 1, tld: 'fi', suffixes: ['Oy', 'Oyj'], localName: 'Suomi' },
  { code: 'NZ', weight: 1, tld: 'co.nz', suffixes: ['Limited', 'Ltd'], localName: 'New Zealand' },
  { code: 'ZA', weight: 1, tld: 'co.za', suffixes: ['(Pty) Ltd', 'Ltd'], localName: 'South Africa' },
  { code: 'IL', weight: 1, tld: 'co.il', suffixes: ['Ltd.'], localName: 'Israel' },
];

// Industry, the words companies in it put in their names, and revenue per employee (USD) around which it varies.
const INDUSTRIES: readonly { name: string; words: readonly string[]; revenuePerEmployee: number }[] = [
  { name: 'Software', words: ['Software', 'Labs', 'Systems', 'Technologies', 'Digital', 'Cloud'], revenuePerEmployee: 250_000 },
  { name: 'Financial Services', words: ['Capital', 'Financial', 'Partners', 'Investments', 'Bank'], revenuePerEmployee: 400_000 },
  { name: 'Manufacturing', words: ['Industries', 'Manufacturing', 'Works', 'Engineering', 'Components'], revenuePerEmployee: 220_000 },
  { name: 'Healthcare', words: ['Health', 'Medical', 'Care', 'Clinics'], revenuePerEmployee: 150_000 },
  { name: 'Retail', words: ['Stores', 'Retail', 'Market', 'Outfitters', 'Goods'], revenuePerEmployee: 180_000 },
  { name: 'Logistics', words: ['Logistics', 'Freight', 'Transport', 'Shipping'], revenuePerEmployee: 200_000 },
  { name: 'Education', words: ['Learning', 'Academy', 'Education', 'Institute'], revenuePerEmployee: 90_000 },
  { name: 'Construction', words: ['Construction', 'Builders', 'Contractors', 'Building'], revenuePerEmployee: 210_000 },
  { name: 'Telecommunications', words: ['Telecom', 'Networks', 'Communications', 'Connect'], revenuePerEmployee: 350_000 },
  { name: 'Energy', words: ['Energy', 'Power', 'Solar', 'Renewables'], revenuePerEmployee: 600_000 },
  { name: 'Media', words: ['Media', 'Studios', 'Publishing', 'Productions'], revenuePerEmployee: 230_000 },
  { name: 'Hospitality', words: ['Hotels', 'Hospitality', 'Resorts', 'Restaurants'], revenuePerEmployee: 70_000 },
  { name: 'Real Estate', words: ['Properties', 'Realty', 'Estates', 'Real Estate'], revenuePerEmployee: 300_000 },
  { name: 'Pharmaceuticals', words: ['Pharma', 'Therapeutics', 'Biosciences'], revenuePerEmployee: 450_000 },
  { name: 'Automotive', words: ['Automotive', 'Motors', 'Mobility'], revenuePerEmployee: 380_000 },
  { name: 'Agriculture', words: ['Farms', 'Agri', 'Harvest', 'Growers'], revenuePerEmployee: 160_000 },
  { name: 'Legal Services', words: ['Legal', 'Law Group', 'Advocates'], revenuePerEmployee: 200_000 },
  { name: 'Consulting', words: ['Consulting', 'Advisory', 'Group', 'Associates'], revenuePerEmployee: 190_000 },
  { name: 'Insurance', words: ['Insurance', 'Assurance', 'Mutual', 'Underwriters'], revenuePerEmployee: 420_000 },
  { name: 'Food & Beverage', words: ['Foods', 'Brewing', 'Kitchens', 'Beverages', 'Bakery'], revenuePerEmployee: 170_000 },
  { name: 'Aerospace', words: ['Aerospace', 'Aviation', 'Avionics'], revenuePerEmployee: 330_000 },
  { name: 'Marketing & Advertising', words: ['Marketing', 'Creative', 'Agency', 'Brands'], revenuePerEmployee: 160_000 },
];

const STEMS = [
  'North', 'South', 'East', 'West', 'Blue', 'Red', 'Green', 'Silver', 'Gold', 'Iron', 'Stone', 'River', 'Lake', 'Oak',
  'Pine', 'Cedar', 'Maple', 'Summit', 'Peak', 'Harbor', 'Bay', 'Bright', 'Clear', 'Swift', 'True', 'Prime', 'Nova',
  'Apex', 'Vertex', 'Atlas', 'Orion', 'Polar', 'Sun', 'Star', 'Moon', 'Sky', 'Cloud', 'Wave', 'Tide', 'Ember', 'Frost',
  'Falcon', 'Eagle', 'Hawk', 'Fox', 'Wolf', 'Bear', 'Lion', 'Crane', 'Beacon', 'Bridge', 'Gate', 'Mill', 'Forge',
  'Anchor', 'Compass', 'Keystone', 'Cobalt', 'Indigo', 'Crimson', 'Amber', 'Jade', 'Onyx', 'Granite', 'Meadow', 'Willow',
  'Aspen', 'Birch', 'Elm', 'Hollow', 'Ridge', 'Vale', 'Field', 'Brook', 'Spring', 'Stream', 'Delta', 'Echo', 'Vector',
  'Quantum', 'Pixel', 'Signal', 'Pulse', 'Spark', 'Bolt', 'Core', 'Nexus', 'Zenith', 'Horizon', 'Meridian', 'Crest',
];
const TAILS = ['wind', 'path', 'stone', 'field', 'bridge', 'point', 'line', 'works', 'gate', 'view', 'light', 'way', 'wood', 'port', 'side', 'mark', 'ford', 'well', 'dale', 'vale', 'bloom', 'crest', 'shore', 'spring', 'forge'];
const SURNAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Miller', 'Wilson', 'Taylor', 'Anderson', 'Thomas', 'Moore', 'Martin', 'Walker',
  'Hall', 'Young', 'King', 'Wright', 'Scott', 'Baker', 'Adams', 'Nelson', 'Carter', 'Mitchell', 'Roberts', 'Turner',
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Wagner', 'Becker', 'Hoffmann', 'Dubois', 'Laurent', 'Moreau',
  'Lefèvre', 'Rossi', 'Russo', 'Bianchi', 'García', 'Fernández', 'López', 'Martínez', 'Silva', 'Santos', 'Oliveira',
  'Jansen', 'de Vries', 'Bakker', 'Nielsen', 'Hansen', 'Larsen', 'Andersson', 'Johansson', 'Virtanen', 'Kowalski',
  'Nowak', 'Tanaka', 'Suzuki', 'Sato', 'Sharma', 'Patel', 'Gupta', 'Singh', 'Murphy', "O'Brien", 'Kelly', 'Cohen',
];

const SIZE_BANDS: readonly [number, number, number][] = [
  // [weight, fewest, most] employees
  [30, 1, 10],
  [28, 11, 50],
  [20, 51, 200],
  [12, 201, 1_000],
  [6, 1_001, 5_000],
  [2, 5_001, 10_000],
  [2, 10_001, 120_000],
];

/** Companies in a fixed order for a seed: mostly independent, some subsidiaries of the larger ones. */
export function* generateCompanies(count: number, seed: number): Generator<SampleCompany> {
  if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a whole number, got ${count}`);
  if (!Number.isInteger(seed)) throw new Error(`seed must be a whole number, got ${seed}`);
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const weighted = <T>(list: readonly T[], weightOf: (item: T) => number): T => {
    const total = list.reduce((sum, item) => sum + weightOf(item), 0);
    let roll = random() * total;
    for (const item of list) {
      roll -= weightOf(item);
      if (roll < 0) return item;
    }
    return list[list.length - 1] as T;
  };
  const taken = new Set<string>();
  // Large companies a later one may belong to: parent's name core, industry and domain.
  const groups: { core: string; industry: (typeof INDUSTRIES)[number]; domain: string; country: string }[] = [];

  for (let produced = 0; produced < count; produced++) {
    const country = weighted(COUNTRIES, (profile) => profile.weight);
    const parent = groups.length > 0 && random() < 0.06 ? pick(groups) : undefined;
    const industry = parent?.industry ?? pick(INDUSTRIES);
    let core: string;
    let name: string;
    let local = '';
    const suffix = pick(country.suffixes);
    if (parent) {
      core = parent.core;
      local = parent.country === country.code ? pick(['Services', 'Solutions', 'Holdings', 'International']) : country.localName;
      name = `${core} ${local} ${suffix}`;
    } else {
      const shape = random();
      if (shape < 0.35) core = `${pick(STEMS)}${pick(TAILS)}`;
      else if (shape < 0.6) core = `${pick(STEMS)} ${pick(industry.words)}`;
      else if (shape < 0.8) core = `${pick(SURNAMES)} ${pick(industry.words)}`;
      else if (shape < 0.92) core = `${pick(SURNAMES)} & ${pick(SURNAMES)}`;
      else core = `${pick(STEMS)}${pick(TAILS)} ${pick(industry.words)}`;
      name = `${core} ${suffix}`;
    }
    const domain = uniqueDomain(core, local, country.tld, taken, random);
    const [, fewest, most] = weighted(SIZE_BANDS, ([bandWeight]) => bandWeight);
    // Within a band, smaller sizes are more common (log-uniform).
    const employees = Math.round(Math.exp(Math.log(fewest) + random() * (Math.log(most) - Math.log(fewest))));
    const revenue = Math.round((employees * industry.revenuePerEmployee * (0.5 + random())) / 1_000) * 1_000;
    // Real datasets have gaps: some companies have no published revenue, size or industry.
    const company: SampleCompany = {
      domain,
      companyName: name,
      ...(random() < 0.97 ? { industry: industry.name } : {}),
      ...(random() < 0.98 ? { employeeCount: employees } : {}),
      ...(random() < 0.85 ? { annualRevenue: revenue } : {}),
      country: country.code,
      ...(parent ? { parentDomain: parent.domain } : {}),
    };
    if (!parent && employees > 5_000) groups.push({ core, industry, domain, country: country.code });
    yield company;
  }
}

function uniqueDomain(core: string, local: string, tld: string, taken: Set<string>, random: () => number): string {
  const slug = (text: string): string =>
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/&/g, 'and')
      .replace(/[^a-z0-9]+/g, '');
  // "Smith & Jones" is smithandjones.com or, now and then, smith-jones.com.
  const partners = core.split(' & ');
  const base = local ? `${slug(core)}-${slug(local)}` : partners.length === 2 && random() < 0.3 ? partners.map(slug).join('-') : slug(core);
  for (const candidate of [base, `${base}group`, `get${base}`, `${base}hq`, `the${base}`]) {
    const domain = `${candidate}.${tld}`;
    if (!taken.has(domain)) {
      taken.add(domain);
      return domain;
    }
  }
  for (let n = 2; ; n++) {
    const domain = `${base}${n}.${tld}`;
    if (!taken.has(domain)) {
      taken.add(domain);
      return domain;
    }
  }
}

/** One CSV line (RFC 4180 quoting where a field needs it). */
export function sampleCsvLine(company: SampleCompany): string {
  return [company.domain, company.companyName, company.industry, company.employeeCount, company.annualRevenue, company.country, company.parentDomain]
    .map((value) => {
      if (value === undefined) return '';
      const text = String(value);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}
