import { DomainError } from '@leadstream/contracts';

// Sales territory from where a lead's company is: a table of rules that users configure (data with a
// version, validated on load), read top to bottom; the first rule that matches names the territory.

export interface TerritoryRule {
  readonly territory: string;
  /** ISO 3166-1 alpha-2 codes; the rule matches only these countries. Omitted: any country. */
  readonly countries?: readonly string[];
  /** ISO 3166-2 subdivision codes without the country ("CA" for California); omitted: any region. */
  readonly regions?: readonly string[];
}

export interface TerritoryTable {
  readonly version: string;
  readonly rules: readonly TerritoryRule[];
  /** The territory of a lead no rule matches (unknown or unlisted country). */
  readonly defaultTerritory: string;
}

export interface TerritoryAssignment {
  readonly territory: string;
  readonly tableVersion: string;
  /** 0-based index of the rule that matched, or undefined when the default applied. */
  readonly ruleIndex?: number;
}

export class InvalidTerritoryTableError extends DomainError {
  readonly code = 'ENRICHMENT.INVALID_TERRITORY_TABLE' as const;
  constructor(readonly problems: readonly string[]) {
    super(`territory table is invalid: ${problems.join('; ')}`);
  }
}

const US_WEST = ['AK', 'AZ', 'CA', 'CO', 'HI', 'ID', 'MT', 'NM', 'NV', 'OR', 'UT', 'WA', 'WY'];

/** The table used when none is configured: broad regions a small sales team starts with. */
export const DEFAULT_TERRITORY_TABLE: TerritoryTable = {
  version: 'default-1',
  defaultTerritory: 'unassigned',
  rules: [
    { territory: 'north-america-west', countries: ['US'], regions: US_WEST },
    { territory: 'north-america-west', countries: ['CA'], regions: ['BC', 'AB', 'YT', 'NT'] },
    { territory: 'north-america-east', countries: ['US', 'CA'] },
    { territory: 'latin-america', countries: ['MX', 'BR', 'AR', 'CL', 'CO', 'PE', 'UY', 'EC', 'CR', 'PA', 'DO', 'GT'] },
    { territory: 'dach', countries: ['DE', 'AT', 'CH', 'LI'] },
    { territory: 'uk-ireland', countries: ['GB', 'IE'] },
    { territory: 'nordics-benelux', countries: ['SE', 'NO', 'DK', 'FI', 'IS', 'NL', 'BE', 'LU'] },
    {
      territory: 'emea',
      countries: ['FR', 'ES', 'PT', 'IT', 'PL', 'CZ', 'SK', 'HU', 'RO', 'BG', 'GR', 'HR', 'SI', 'EE', 'LV', 'LT', 'IL', 'AE', 'SA', 'TR', 'ZA', 'EG', 'NG', 'KE', 'MA'],
    },
    { territory: 'apac', countries: ['AU', 'NZ', 'JP', 'SG', 'HK', 'CN', 'IN', 'KR', 'TW', 'MY', 'TH', 'ID', 'PH', 'VN'] },
  ],
};

/**
 * The territory for a country (alpha-2) and an optional region. Case and surrounding space do not
 * matter, and a region may carry its country ("US-CA"). No country: the default territory.
 */
export function assignTerritory(table: TerritoryTable, country: string | undefined, region?: string): TerritoryAssignment {
  const countryCode = country?.trim().toUpperCase() || undefined;
  const regionCode = regionPart(countryCode, region);
  if (countryCode !== undefined) {
    for (let index = 0; index < table.rules.length; index++) {
      const rule = table.rules[index] as TerritoryRule;
      if (rule.countries !== undefined && !rule.countries.includes(countryCode)) continue;
      if (rule.regions !== undefined && (regionCode === undefined || !rule.regions.includes(regionCode))) continue;
      return { territory: rule.territory, tableVersion: table.version, ruleIndex: index };
    }
  }
  return { territory: table.defaultTerritory, tableVersion: table.version };
}

function regionPart(country: string | undefined, region: string | undefined): string | undefined {
  const text = region?.trim().toUpperCase();
  if (!text) return undefined;
  const dash = text.indexOf('-');
  if (dash > 0 && (country === undefined || text.slice(0, dash) === country)) return text.slice(dash + 1);
  return text;
}

/**
 * Checks a table read from configuration (parsed JSON) and returns it with codes upper-cased; throws
 * InvalidTerritoryTableError naming every problem (with the rule's index) otherwise.
 */
export function validateTerritoryTable(input: unknown): TerritoryTable {
  const problems: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InvalidTerritoryTableError(['must be an object with version, defaultTerritory and rules']);
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!['version', 'defaultTerritory', 'rules'].includes(key)) problems.push(`unknown key '${key}' (expected version, defaultTerritory, rules)`);
  }
  if (typeof raw['version'] !== 'string' || raw['version'].trim() === '') problems.push('version must be a non-empty string');
  if (typeof raw['defaultTerritory'] !== 'string' || raw['defaultTerritory'].trim() === '') problems.push('defaultTerritory must be a non-empty string');
  const rules: TerritoryRule[] = [];
  if (!Array.isArray(raw['rules'])) {
    problems.push('rules must be an array');
  } else {
    raw['rules'].forEach((candidate: unknown, index: number) => {
      const rule = validateRule(candidate, `rules[${index}]`, problems);
      if (rule) rules.push(rule);
    });
  }
  if (problems.length > 0) throw new InvalidTerritoryTableError(problems);
  return { version: (raw['version'] as string).trim(), defaultTerritory: (raw['defaultTerritory'] as string).trim(), rules };
}

function validateRule(candidate: unknown, at: string, problems: string[]): TerritoryRule | undefined {
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
    problems.push(`${at} must be an object`);
    return undefined;
  }
  const raw = candidate as Record<string, unknown>;
  const before = problems.length;
  for (const key of Object.keys(raw)) {
    if (!['territory', 'countries', 'regions'].includes(key)) problems.push(`${at}: unknown key '${key}' (expected territory, countries, regions)`);
  }
  if (typeof raw['territory'] !== 'string' || raw['territory'].trim() === '') problems.push(`${at}.territory must be a non-empty string`);
  const countries = codeList(raw['countries'], `${at}.countries`, /^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 codes such as "DE"', problems);
  const regions = codeList(raw['regions'], `${at}.regions`, /^[A-Z0-9]{1,3}$/, 'subdivision codes such as "CA"', problems);
  if (regions !== undefined && countries === undefined) problems.push(`${at}: regions need countries (a region code means nothing without its country)`);
  if (problems.length > before) return undefined;
  return { territory: (raw['territory'] as string).trim(), ...(countries ? { countries } : {}), ...(regions ? { regions } : {}) };
}

function codeList(value: unknown, at: string, pattern: RegExp, what: string, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${at} must be a non-empty array of ${what}`);
    return undefined;
  }
  const codes: string[] = [];
  value.forEach((code: unknown, index) => {
    const text = typeof code === 'string' ? code.trim().toUpperCase() : undefined;
    if (text === undefined || !pattern.test(text)) problems.push(`${at}[${index}] ${JSON.stringify(code)} is not one of ${what}`);
    else codes.push(text);
  });
  return codes;
}
