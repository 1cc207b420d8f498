/** One lead as `POST /v1/leads` takes it. */
export interface GeneratedLead {
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly company: string;
  readonly title: string;
  readonly phone: string;
  readonly country: string;
  readonly source: string;
  readonly campaign: string;
}

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Tim', 'Barbara', 'Dennis', 'Radia', 'Ken', 'Frances', 'Edsger', 'Hedy', 'Niklaus', 'Sophie'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Hamilton', 'Berners-Lee', 'Liskov', 'Ritchie', 'Perlman', 'Thompson', 'Allen', 'Dijkstra', 'Lamarr', 'Wirth', 'Wilson'];
// Companies with their own domain, and free-mail addresses (which scoring and dedupe treat differently).
const COMPANIES = [
  { name: 'Acme Corp', domain: 'acme.example' },
  { name: 'Globex GmbH', domain: 'globex.example' },
  { name: 'Initech Ltd.', domain: 'initech.example' },
  { name: 'Umbrella Inc', domain: 'umbrella.example' },
  { name: 'Stark Industries', domain: 'stark.example' },
  { name: 'Wayne Enterprises', domain: 'wayne.example' },
  { name: 'Hooli', domain: 'hooli.example' },
  { name: 'Soylent S.A.', domain: 'soylent.example' },
];
const FREE_MAIL_DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com'];
const TITLES = ['CEO', 'VP Sales', 'Head of Marketing', 'Director of Engineering', 'Marketing Manager', 'Software Engineer', 'Sales Representative', 'Student', 'Consultant', 'CTO'];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'NL', 'IN', 'BR', 'JP', 'CA', 'AU', 'ES', 'SE'];
const PHONE_PREFIXES: Record<string, string> = { US: '+1 415', GB: '+44 20', DE: '+49 30', FR: '+33 1', NL: '+31 20', IN: '+91 22', BR: '+55 11', JP: '+81 3', CA: '+1 416', AU: '+61 2', ES: '+34 91', SE: '+46 8' };
const SOURCES = ['web', 'webinar', 'referral', 'paid-search', 'trade-show', 'partner'];
const CAMPAIGNS = ['spring-launch', 'cloud-migration', 'pricing-page', 'newsletter', 'conference-2026'];

/**
 * The index-th lead of a run: varied names, titles, countries, sources and domains, and an email
 * unique to the run (runId) so dedupe treats every posted lead as new and each one reaches routing
 * under its own lead id. The run id and index sit in the local part itself, not after a `+`, so an
 * email normaliser that drops `+tags` or dots still sees distinct addresses. Each lead also works at
 * a company of its own (the index in its name and domain): with a few names at a few companies, dedupe's
 * fuzzy matching would rightly take the same name at the same company for one person and merge them.
 * Deterministic.
 */
export function generateLead(runId: string, index: number): GeneratedLead {
  const pick = <T>(values: readonly T[], salt: number): T => values[(index * 7 + salt * 13 + Math.floor(index / values.length)) % values.length];
  const firstName = pick(FIRST_NAMES, 1);
  const lastName = pick(LAST_NAMES, 2);
  const company = pick(COMPANIES, 3);
  const country = pick(COUNTRIES, 5);
  const companyDomain = company.domain.replace(/\.example$/, `-${index}.example`);
  // One lead in five uses a free-mail address instead of the company's domain.
  const domain = index % 5 === 4 ? pick(FREE_MAIL_DOMAINS, 4) : companyDomain;
  const local = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '');
  const digits = String(1_000_000 + ((index * 7919) % 9_000_000)).slice(-7);
  return {
    email: `${local}.${runId}.${index}@${domain}`,
    firstName,
    lastName,
    company: `${company.name.split(' ')[0]} ${index} ${company.name.split(' ').slice(1).join(' ')}`.trim(),
    title: pick(TITLES, 6),
    phone: `${PHONE_PREFIXES[country]} ${digits.slice(0, 3)} ${digits.slice(3)}`,
    country,
    source: pick(SOURCES, 7),
    campaign: pick(CAMPAIGNS, 8),
  };
}
