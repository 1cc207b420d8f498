import { assignTerritory, DEFAULT_TERRITORY_TABLE, InvalidTerritoryTableError, validateTerritoryTable, type TerritoryTable } from './territory';

const table: TerritoryTable = validateTerritoryTable({
  version: 'test-3',
  defaultTerritory: 'rest-of-world',
  rules: [
    { territory: 'us-west', countries: ['us'], regions: ['CA', 'wa'] },
    { territory: 'north-america', countries: ['US', 'CA'] },
    { territory: 'dach', countries: ['DE', 'AT', 'CH'] },
    { territory: 'dach-overlap', countries: ['DE'] },
  ],
});

describe('assignTerritory', () => {
  it('given a region rule before a country rule, when the lead is in California, then the region rule wins', () => {
    expect(assignTerritory(table, 'US', 'CA')).toEqual({ territory: 'us-west', tableVersion: 'test-3', ruleIndex: 0 });
  });

  it('given the same table, when the lead is in another state, then the country rule applies', () => {
    expect(assignTerritory(table, 'US', 'NY')).toEqual({ territory: 'north-america', tableVersion: 'test-3', ruleIndex: 1 });
  });

  it('given a lead with a country but no region, then a rule that needs a region does not match', () => {
    expect(assignTerritory(table, 'US').territory).toBe('north-america');
  });

  it('accepts a region with its country prefix and any case', () => {
    expect(assignTerritory(table, ' us ', 'us-wa').territory).toBe('us-west');
  });

  it('the first matching rule wins over a later one for the same country', () => {
    expect(assignTerritory(table, 'DE').territory).toBe('dach');
  });

  it('an unknown or missing country gets the default territory, without a rule index', () => {
    expect(assignTerritory(table, 'BR')).toEqual({ territory: 'rest-of-world', tableVersion: 'test-3' });
    expect(assignTerritory(table, undefined, 'CA')).toEqual({ territory: 'rest-of-world', tableVersion: 'test-3' });
  });

  it('the default table puts Seattle west, Toronto east, Munich in DACH and Nairobi in EMEA', () => {
    expect(assignTerritory(DEFAULT_TERRITORY_TABLE, 'US', 'WA').territory).toBe('north-america-west');
    expect(assignTerritory(DEFAULT_TERRITORY_TABLE, 'CA', 'ON').territory).toBe('north-america-east');
    expect(assignTerritory(DEFAULT_TERRITORY_TABLE, 'DE', 'BY').territory).toBe('dach');
    expect(assignTerritory(DEFAULT_TERRITORY_TABLE, 'KE').territory).toBe('emea');
    expect(assignTerritory(DEFAULT_TERRITORY_TABLE, 'AQ').territory).toBe('unassigned');
  });

  it('the default table passes its own validation', () => {
    expect(validateTerritoryTable(JSON.parse(JSON.stringify(DEFAULT_TERRITORY_TABLE)))).toEqual(DEFAULT_TERRITORY_TABLE);
  });
});

describe('validateTerritoryTable', () => {
  function problemsOf(input: unknown): readonly string[] {
    try {
      validateTerritoryTable(input);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidTerritoryTableError);
      expect((error as InvalidTerritoryTableError).code).toBe('ENRICHMENT.INVALID_TERRITORY_TABLE');
      return (error as InvalidTerritoryTableError).problems;
    }
    throw new Error('expected the table to be refused');
  }

  it('names every problem with the rule it is in', () => {
    const problems = problemsOf({
      version: '',
      defaultTerritory: 'x',
      rules: [{ territory: 'a', countries: ['Germany'] }, { countries: ['DE'] }, { territory: 'b', regions: ['CA'] }, 'text', { territory: 'c', country: ['DE'] }],
    });
    expect(problems).toEqual([
      'version must be a non-empty string',
      'rules[0].countries[0] "Germany" is not one of ISO 3166-1 alpha-2 codes such as "DE"',
      'rules[1].territory must be a non-empty string',
      'rules[2]: regions need countries (a region code means nothing without its country)',
      'rules[3] must be an object',
      "rules[4]: unknown key 'country' (expected territory, countries, regions)",
    ]);
  });

  it('refuses a table that is not an object, or has no rules array', () => {
    expect(problemsOf([])).toEqual(['must be an object with version, defaultTerritory and rules']);
    expect(problemsOf({ version: '1', defaultTerritory: 'x' })).toEqual(['rules must be an array']);
  });

  it('refuses an empty countries list instead of reading it as "any country"', () => {
    expect(problemsOf({ version: '1', defaultTerritory: 'x', rules: [{ territory: 'a', countries: [] }] })).toEqual([
      'rules[0].countries must be a non-empty array of ISO 3166-1 alpha-2 codes such as "DE"',
    ]);
  });
});
