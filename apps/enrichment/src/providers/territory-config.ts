import { readFileSync } from 'node:fs';
import { DEFAULT_TERRITORY_TABLE, InvalidTerritoryTableError, validateTerritoryTable, type TerritoryTable } from '@leadstream/domain-enrichment';

/**
 * The territory table: the JSON file named by ENRICHMENT_TERRITORY_FILE, else the JSON in
 * ENRICHMENT_TERRITORIES, else DEFAULT_TERRITORY_TABLE. A table that cannot be read or is invalid stops
 * the start with the reason and where the table came from (a wrong table would misroute every lead).
 */
export function readTerritoryTable(env: NodeJS.ProcessEnv = process.env): TerritoryTable {
  const file = env['ENRICHMENT_TERRITORY_FILE']?.trim();
  const inline = env['ENRICHMENT_TERRITORIES']?.trim();
  if (!file && !inline) return DEFAULT_TERRITORY_TABLE;
  const origin = file ? `ENRICHMENT_TERRITORY_FILE ${file}` : 'ENRICHMENT_TERRITORIES';
  let text: string;
  if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`cannot read the territory table (${origin}): ${(error as Error).message}`, { cause: error });
    }
  } else {
    text = inline as string;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`the territory table (${origin}) is not JSON: ${(error as Error).message}`, { cause: error });
  }
  try {
    return validateTerritoryTable(parsed);
  } catch (error) {
    if (error instanceof InvalidTerritoryTableError) throw new Error(`${origin}: ${error.message}`, { cause: error });
    throw error;
  }
}
