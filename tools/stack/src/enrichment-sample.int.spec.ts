// What `npm start` does for the enrichment reference dataset, through the same child processes: the
// first start writes the seeded sample and loads it; the next start keeps the file and skips the load.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createDatabaseIfMissing } from '@leadstream/platform-persistence';
import { loadEnrichmentReference } from './enrichment-sample';
import { repositoryRoot } from './processes';

jest.setTimeout(120_000);

let dataDir: string;
let databaseUrl: string;

beforeAll(async () => {
  const url = new URL(process.env['LEADSTREAM_TEST_DATABASE_URL'] ?? 'postgres://unset');
  url.pathname = `/stack_enrichment_${process.pid}_${Date.now()}`;
  databaseUrl = url.toString();
  await createDatabaseIfMissing(databaseUrl);
  dataDir = mkdtempSync(path.join(tmpdir(), 'stack-enrichment-'));
});

afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function companies(): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>('SELECT count(*) AS n FROM enrichment.company_reference');
    return Number(result.rows[0]?.n);
  } finally {
    await client.end();
  }
}

describe('enrichment reference dataset at npm start', () => {
  it('the first start generates and loads the 50,000 sample companies; the second keeps the file and says it skipped the load', async () => {
    const first: string[] = [];
    await loadEnrichmentReference(repositoryRoot(), dataDir, databaseUrl, (line) => first.push(line));
    const sample = path.join(dataDir, 'enrichment', 'companies-sample.csv');
    expect(first).toEqual([
      expect.stringMatching(/^enrichment: wrote 50000 sample companies \(seed \d+\) to .*companies-sample\.csv$/),
      expect.stringMatching(/^enrichment: reference dataset companies-sample\.csv: 50000 companies loaded, 0 rows rejected, in \d+ ms$/),
    ]);
    expect(await companies()).toBe(50_000);
    const written = statSync(sample).mtimeMs;

    const second: string[] = [];
    await loadEnrichmentReference(repositoryRoot(), dataDir, databaseUrl, (line) => second.push(line));
    expect(second).toEqual([expect.stringMatching(/^enrichment: reference dataset companies-sample\.csv: already loaded \(50000 companies, sha256 [0-9a-f]{12}\), skipped in \d+ ms$/)]);
    expect(statSync(sample).mtimeMs).toBe(written);
  });

  it('a configured CSV that does not exist is reported and the start goes on', async () => {
    const lines: string[] = [];
    const previous = process.env['ENRICHMENT_REFERENCE_CSV'];
    process.env['ENRICHMENT_REFERENCE_CSV'] = path.join(dataDir, 'missing.csv');
    try {
      await loadEnrichmentReference(repositoryRoot(), dataDir, databaseUrl, (line) => lines.push(line));
    } finally {
      if (previous === undefined) delete process.env['ENRICHMENT_REFERENCE_CSV'];
      else process.env['ENRICHMENT_REFERENCE_CSV'] = previous;
    }
    expect(lines).toEqual([expect.stringMatching(/^enrichment reference dataset not loaded \(enrichment runs without firmographics\): reference dataset not loaded: cannot read the reference dataset .*missing\.csv: ENOENT/)]);
    expect(existsSync(path.join(dataDir, 'missing.csv'))).toBe(false);
  });
});
