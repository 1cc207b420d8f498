import {
  foundFirmographics,
  normaliseCompanyDomain,
  type CompanyQuery,
  type Firmographics,
  type FirmographicsLookup,
  type FirmographicsProvider,
} from '@leadstream/domain-enrichment';
import { isConnectionError, type Queryable } from '@leadstream/platform-persistence';

export const REFERENCE_PROVIDER_NAME = 'reference-dataset';

interface CompanyRow {
  domain: string;
  company_name: string | null;
  industry: string | null;
  employee_count: number | null;
  annual_revenue: string | number | null;
  country: string | null;
  parent_domain: string | null;
}

const COLUMNS = 'domain, company_name, industry, employee_count, annual_revenue, country, parent_domain';

/**
 * Firmographics from enrichment.company_reference (loaded by loadReferenceDataset): by domain first, then
 * by the normalised company name, where several companies share one name the largest (then the first
 * domain) wins. A database error is a `failed` answer, never a rejection.
 */
export class ReferenceDatasetProvider implements FirmographicsProvider {
  readonly name = REFERENCE_PROVIDER_NAME;

  constructor(private readonly db: Queryable) {}

  async lookUp(query: CompanyQuery): Promise<FirmographicsLookup> {
    const domain = normaliseCompanyDomain(query.domain);
    try {
      if (domain !== undefined) {
        const [row] = rowsOf(await this.db.query(`SELECT ${COLUMNS} FROM enrichment.company_reference WHERE domain = $1`, [domain]));
        if (row) return foundFirmographics(this.name, 'domain', toFirmographics(row));
      }
      if (query.nameKey) {
        const [row] = rowsOf(
          await this.db.query(
            `SELECT ${COLUMNS} FROM enrichment.company_reference WHERE name_key = $1 ORDER BY employee_count DESC NULLS LAST, domain LIMIT 1`,
            [query.nameKey],
          ),
        );
        if (row) return foundFirmographics(this.name, 'name', toFirmographics(row));
      }
      return { outcome: 'not-found', provider: this.name };
    } catch (error) {
      return failedLookup(this.name, error);
    }
  }

  /** The same answers as lookUp for each query, in at most two statements for the whole batch. */
  async lookUpMany(queries: readonly CompanyQuery[]): Promise<FirmographicsLookup[]> {
    const domains = queries.map((query) => normaliseCompanyDomain(query.domain));
    try {
      const wanted = [...new Set(domains.filter((domain): domain is string => domain !== undefined))];
      const byDomain = new Map<string, CompanyRow>();
      if (wanted.length > 0) {
        for (const row of rowsOf(await this.db.query(`SELECT ${COLUMNS} FROM enrichment.company_reference WHERE domain = ANY($1::text[])`, [wanted]))) {
          byDomain.set(row.domain, row);
        }
      }
      const names = [
        ...new Set(queries.flatMap((query, index) => (query.nameKey && !(domains[index] !== undefined && byDomain.has(domains[index] as string)) ? [query.nameKey] : []))),
      ];
      const byName = new Map<string, CompanyRow>();
      if (names.length > 0) {
        const rows = rowsOf(
          await this.db.query(
            `SELECT DISTINCT ON (name_key) name_key, ${COLUMNS} FROM enrichment.company_reference WHERE name_key = ANY($1::text[])
             ORDER BY name_key, employee_count DESC NULLS LAST, domain`,
            [names],
          ),
        ) as (CompanyRow & { name_key: string })[];
        for (const row of rows) byName.set(row.name_key, row);
      }
      return queries.map((query, index): FirmographicsLookup => {
        const domainRow = domains[index] === undefined ? undefined : byDomain.get(domains[index] as string);
        if (domainRow) return foundFirmographics(this.name, 'domain', toFirmographics(domainRow));
        const nameRow = query.nameKey ? byName.get(query.nameKey) : undefined;
        if (nameRow) return foundFirmographics(this.name, 'name', toFirmographics(nameRow));
        return { outcome: 'not-found', provider: this.name };
      });
    } catch (error) {
      const failed = failedLookup(this.name, error);
      return queries.map(() => failed);
    }
  }
}

function failedLookup(provider: string, error: unknown): FirmographicsLookup {
  const detail = error instanceof Error ? error.message : String(error);
  return { outcome: 'failed', provider, reason: isConnectionError(error) ? 'unavailable' : 'bad-response', detail };
}

function toFirmographics(row: CompanyRow): Firmographics {
  return {
    domain: row.domain,
    ...(row.company_name !== null ? { companyName: row.company_name } : {}),
    ...(row.industry !== null ? { industry: row.industry } : {}),
    ...(row.employee_count !== null ? { employeeCount: row.employee_count } : {}),
    // bigint arrives as a string from pg; revenues fit a double exactly far beyond any company's.
    ...(row.annual_revenue !== null ? { annualRevenue: Number(row.annual_revenue) } : {}),
    ...(row.country !== null ? { country: row.country } : {}),
    ...(row.parent_domain !== null ? { parentDomain: row.parent_domain } : {}),
  };
}

function rowsOf(result: unknown): CompanyRow[] {
  if (Array.isArray(result)) return result as CompanyRow[];
  const rows = (result as { rows?: unknown } | null)?.rows;
  return Array.isArray(rows) ? (rows as CompanyRow[]) : [];
}
