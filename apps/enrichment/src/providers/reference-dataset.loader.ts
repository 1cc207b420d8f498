import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parse, type Info } from 'csv-parse';
import type { DataSource, EntityManager } from 'typeorm';
import { companyKey, normaliseCompanyDomain, normaliseCountry } from '@leadstream/domain-enrichment';

/** The CSV's columns, in the header by these names (any order); only `domain` is required. */
export const REFERENCE_CSV_COLUMNS = ['domain', 'company_name', 'industry', 'employee_count', 'annual_revenue', 'country', 'parent_domain'] as const;
type ReferenceColumn = (typeof REFERENCE_CSV_COLUMNS)[number];

export interface RejectedReferenceRow {
  readonly line: number;
  readonly reason: string;
}

export interface ReferenceLoadResult {
  readonly status: 'loaded' | 'already-loaded';
  readonly source: string;
  readonly sha256: string;
  /** Rows written (inserted or updated); for `already-loaded`, the rows of the earlier load. */
  readonly rows: number;
  readonly rejectedCount: number;
  /** The first rejected rows with their line number and reason. */
  readonly rejected: readonly RejectedReferenceRow[];
}

export interface ReferenceLoadOptions {
  /** Name the load is recorded under; default the file's base name. */
  readonly source?: string;
  /** Load even when a file with the same checksum was loaded under this source before. */
  readonly force?: boolean;
  /** Rows per INSERT statement; default 5,000. */
  readonly batchSize?: number;
}

export class ReferenceDatasetError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ReferenceDatasetError';
  }
}

const KEPT_REJECTIONS = 100;
const MAX_INTEGER = 2_147_483_647;

interface ReferenceRow {
  domain: string;
  nameKey: string | null;
  companyName: string | null;
  industry: string | null;
  employeeCount: number | null;
  annualRevenue: number | null;
  country: string | null;
  parentDomain: string | null;
}

/**
 * Loads a CSV of companies into enrichment.company_reference, streaming it (memory stays flat whatever
 * its size) in multi-row upserts inside one transaction: a domain already there is updated, so a
 * reload with changed rows updates them. Companies missing from the new file are kept. A row that
 * cannot be read is rejected with its line and reason and the others load; a header that is not
 * understood refuses the whole file before anything is written.
 *
 * The file's SHA-256 is recorded per source: the same file again is `already-loaded` and costs one read
 * of the file. Two loaders at once take turns (an advisory lock).
 */
export async function loadReferenceDataset(dataSource: DataSource, file: string, options: ReferenceLoadOptions = {}): Promise<ReferenceLoadResult> {
  const source = options.source ?? path.basename(file);
  const batchSize = options.batchSize ?? 5_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ReferenceDatasetError(`batchSize must be a positive integer, got ${batchSize}`);
  const sha256 = await fileSha256(file);

  return dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['leadstream:enrichment:reference-dataset']);
    const [previous] = (await manager.query('SELECT sha256, row_count FROM enrichment.reference_dataset_load WHERE source = $1', [source])) as {
      sha256: string;
      row_count: number;
    }[];
    if (previous && previous.sha256 === sha256 && !options.force) {
      return { status: 'already-loaded', source, sha256, rows: previous.row_count, rejectedCount: 0, rejected: [] };
    }

    const rejected: RejectedReferenceRow[] = [];
    let rejectedCount = 0;
    const reject = (line: number, reason: string): void => {
      rejectedCount += 1;
      if (rejected.length < KEPT_REJECTIONS) rejected.push({ line, reason });
    };
    let rows = 0;
    // A batch keyed by domain: one upsert cannot touch a row twice, and the file's last row wins.
    let batch = new Map<string, ReferenceRow>();
    const flush = async (): Promise<void> => {
      if (batch.size === 0) return;
      rows += await upsert(manager, [...batch.values()]);
      batch = new Map();
    };

    const parser = parse({
      bom: true,
      columns: (header: string[]) => checkHeader(header, file),
      info: true,
      skip_empty_lines: true,
      trim: true,
      skip_records_with_error: true,
    });
    parser.on('skip', (error: Error & { lines?: number }) => reject(error.lines ?? 0, error.message));
    const reading = pipeline(createReadStream(file), parser);
    reading.catch(() => undefined); // awaited below; an early failure also ends the loop
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: Partial<Record<ReferenceColumn, string>>; info: Info }>) {
        const parsed = readRow(record);
        if (typeof parsed === 'string') {
          reject(info.lines, parsed);
          continue;
        }
        batch.set(parsed.domain, parsed);
        if (batch.size >= batchSize) await flush();
      }
      await reading;
    } catch (error) {
      if (error instanceof ReferenceDatasetError) throw error;
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof ReferenceDatasetError) throw cause;
      throw new ReferenceDatasetError(`${file}: ${(error as Error).message}`, { cause: error });
    }
    await flush();

    await manager.query(
      `INSERT INTO enrichment.reference_dataset_load (source, sha256, row_count, rejected, loaded_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (source) DO UPDATE SET sha256 = EXCLUDED.sha256, row_count = EXCLUDED.row_count, rejected = EXCLUDED.rejected, loaded_at = now()`,
      [source, sha256, rows, rejectedCount],
    );
    return { status: 'loaded', source, sha256, rows, rejectedCount, rejected };
  });
}

function checkHeader(header: string[], file: string): string[] {
  const columns = header.map((name) => name.trim().toLowerCase());
  const unknown = columns.filter((name) => !(REFERENCE_CSV_COLUMNS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new ReferenceDatasetError(`${file}: unknown column(s) ${unknown.map((name) => `'${name}'`).join(', ')} in the header; expected ${REFERENCE_CSV_COLUMNS.join(', ')}`);
  }
  const repeated = columns.filter((name, index) => columns.indexOf(name) !== index);
  if (repeated.length > 0) throw new ReferenceDatasetError(`${file}: column '${repeated[0]}' appears twice in the header`);
  if (!columns.includes('domain')) throw new ReferenceDatasetError(`${file}: the header has no 'domain' column (the key of every company)`);
  return columns;
}

/** The row ready to store, or the reason it is rejected. */
function readRow(record: Partial<Record<ReferenceColumn, string>>): ReferenceRow | string {
  const value = (column: ReferenceColumn): string | undefined => {
    const text = record[column];
    return text === undefined || text === '' ? undefined : text;
  };
  const domain = normaliseCompanyDomain(value('domain'));
  if (domain === undefined) return value('domain') === undefined ? 'domain is empty' : `domain ${JSON.stringify(value('domain'))} is not a domain name`;
  const employeeCount = wholeNumber(value('employee_count'), MAX_INTEGER);
  if (employeeCount === 'invalid') return `employee_count ${JSON.stringify(value('employee_count'))} is not a whole number from 0 to ${MAX_INTEGER}`;
  const annualRevenue = wholeNumber(value('annual_revenue'), Number.MAX_SAFE_INTEGER);
  if (annualRevenue === 'invalid') return `annual_revenue ${JSON.stringify(value('annual_revenue'))} is not a non-negative whole amount`;
  const countryText = value('country');
  const country = countryText === undefined ? undefined : normaliseCountry(countryText);
  if (countryText !== undefined && country === undefined) return `country ${JSON.stringify(countryText)} is not a recognised country`;
  const parentText = value('parent_domain');
  const parentDomain = normaliseCompanyDomain(parentText);
  if (parentText !== undefined && parentDomain === undefined) return `parent_domain ${JSON.stringify(parentText)} is not a domain name`;
  const companyName = value('company_name')?.replace(/\s+/g, ' ');
  return {
    domain,
    nameKey: companyName === undefined ? null : (companyKey(companyName) ?? null),
    companyName: companyName ?? null,
    industry: value('industry') ?? null,
    employeeCount: employeeCount ?? null,
    annualRevenue: annualRevenue ?? null,
    country: country ?? null,
    parentDomain: parentDomain === domain ? null : (parentDomain ?? null),
  };
}

function wholeNumber(text: string | undefined, max: number): number | undefined | 'invalid' {
  if (text === undefined) return undefined;
  const plain = text.replace(/[_,]/g, '');
  if (!/^\d+(\.\d+)?$/.test(plain)) return 'invalid';
  const number = Math.round(Number(plain));
  return number > max ? 'invalid' : number;
}

/** One statement per batch: each column as an array parameter, unnested into rows. */
async function upsert(manager: EntityManager, rows: readonly ReferenceRow[]): Promise<number> {
  await manager.query(
    `INSERT INTO enrichment.company_reference (domain, name_key, company_name, industry, employee_count, annual_revenue, country, parent_domain, updated_at)
     SELECT d, n, c, i, e, r, k, p, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::bigint[], $7::text[], $8::text[]) AS t(d, n, c, i, e, r, k, p)
     ON CONFLICT (domain) DO UPDATE SET
       name_key = EXCLUDED.name_key, company_name = EXCLUDED.company_name, industry = EXCLUDED.industry,
       employee_count = EXCLUDED.employee_count, annual_revenue = EXCLUDED.annual_revenue, country = EXCLUDED.country,
       parent_domain = EXCLUDED.parent_domain, updated_at = now()`,
    [
      rows.map((row) => row.domain),
      rows.map((row) => row.nameKey),
      rows.map((row) => row.companyName),
      rows.map((row) => row.industry),
      rows.map((row) => row.employeeCount),
      rows.map((row) => row.annualRevenue),
      rows.map((row) => row.country),
      rows.map((row) => row.parentDomain),
    ],
  );
  return rows.length;
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    await pipeline(createReadStream(file), hash);
  } catch (error) {
    throw new ReferenceDatasetError(`cannot read the reference dataset ${file}: ${(error as Error).message}`, { cause: error });
  }
  return hash.digest('hex');
}
