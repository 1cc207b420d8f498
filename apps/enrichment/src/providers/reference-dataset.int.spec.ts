// The local reference dataset against PostgreSQL: a CSV loaded through the enrichment migrations,
// looked up by domain and by normalised name, reloaded with changes, refused when its header is wrong.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { companyKey } from '@leadstream/domain-enrichment';
import { createDatabaseIfMissing, createServiceDataSource } from '@leadstream/platform-persistence';
import { stageMigrations } from '@leadstream/platform-stage';
import { ENRICHMENT_MIGRATIONS } from '../persistence/migrations';
import { loadReferenceDataset, ReferenceDatasetError } from './reference-dataset.loader';
import { ReferenceDatasetProvider } from './reference-dataset.provider';

jest.setTimeout(60_000);

let dataSource: DataSource;
let dir: string;

beforeAll(async () => {
  const base = process.env['LEADSTREAM_TEST_DATABASE_URL'];
  if (!base) throw new Error('LEADSTREAM_TEST_DATABASE_URL is not set: run through `jest --selectProjects integration`');
  const url = new URL(base);
  url.pathname = `/enrichment_reference_${process.pid}_${Date.now()}`;
  await createDatabaseIfMissing(url.toString());
  dataSource = await createServiceDataSource(
    { url: url.toString(), schema: 'enrichment', applicationName: 'reference-dataset-test' },
    { migrations: [...stageMigrations('enrichment'), ...ENRICHMENT_MIGRATIONS] },
  );
  dir = mkdtempSync(path.join(tmpdir(), 'reference-dataset-'));
});

afterAll(async () => {
  await dataSource?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function csv(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return file;
}

const HEADER = 'domain,company_name,industry,employee_count,annual_revenue,country,parent_domain';

describe('reference dataset', () => {
  const provider = () => new ReferenceDatasetProvider(dataSource);

  it('given a loaded CSV, a known domain is found with what is missing, an unknown one is not, and bad rows are rejected with their line', async () => {
    const file = csv('companies.csv', [
      HEADER,
      'acme.com,"Acme, Inc.",Software,1200,250000000,US,',
      'WWW.Globex.de,Globex GmbH,Manufacturing,,,Germany,globex-holding.com',
      'not a domain,Broken Ltd,,,,,',
      'initech.com,Initech LLC,Software,many,,US,',
      'umbrella.co.uk,Umbrella Ltd,Pharma,50,,Atlantis,',
    ]);
    const load = await loadReferenceDataset(dataSource, file);
    expect(load).toMatchObject({ status: 'loaded', source: 'companies.csv', rows: 2, rejectedCount: 3 });
    expect(load.rejected).toEqual([
      { line: 4, reason: 'domain "not a domain" is not a domain name' },
      { line: 5, reason: 'employee_count "many" is not a whole number from 0 to 2147483647' },
      { line: 6, reason: 'country "Atlantis" is not a recognised country' },
    ]);

    expect(await provider().lookUp({ domain: 'https://www.acme.com/' })).toEqual({
      outcome: 'found',
      provider: 'reference-dataset',
      matchedBy: 'domain',
      firmographics: { domain: 'acme.com', companyName: 'Acme, Inc.', industry: 'Software', employeeCount: 1200, annualRevenue: 250000000, country: 'US' },
      missing: ['parentDomain'],
    });
    expect(await provider().lookUp({ domain: 'globex.de' })).toMatchObject({
      outcome: 'found',
      firmographics: { domain: 'globex.de', country: 'DE', parentDomain: 'globex-holding.com' },
      missing: ['employeeCount', 'annualRevenue'],
    });
    expect(await provider().lookUp({ domain: 'nowhere.example' })).toEqual({ outcome: 'not-found', provider: 'reference-dataset' });
  });

  it('a lead from a free mailbox is found by the normalised company name', async () => {
    const lookup = await provider().lookUp({ domain: undefined, nameKey: companyKey('ACME Incorporated') });
    expect(lookup).toMatchObject({ outcome: 'found', matchedBy: 'name', firmographics: { domain: 'acme.com' } });
  });

  it('a batch of lookups gets the same answers as one by one, in order, in one round trip per kind', async () => {
    const queries = [
      { domain: 'acme.com' },
      { domain: 'nowhere.example' },
      { domain: 'gmail.com', nameKey: companyKey('Acme Corporation') },
      { domain: 'globex.de', nameKey: 'something else' },
      { domain: undefined },
      { domain: 'acme.com' },
    ];
    let statements = 0;
    const counting = { query: (sql: string, parameters?: unknown[]) => (statements++, dataSource.query(sql, parameters)) };
    const batch = await new ReferenceDatasetProvider(counting).lookUpMany(queries);
    expect(statements).toBe(2);
    const single = await Promise.all(queries.map((query) => provider().lookUp(query)));
    expect(batch).toEqual(single);
    expect(batch.map((answer) => (answer.outcome === 'found' ? `${answer.matchedBy}:${answer.firmographics.domain}` : answer.outcome))).toEqual([
      'domain:acme.com',
      'not-found',
      'name:acme.com',
      'domain:globex.de',
      'not-found',
      'domain:acme.com',
    ]);
  });

  it('a batch against a database that is gone fails every lookup in it, without throwing', async () => {
    const closed = { query: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })) };
    const answers = await new ReferenceDatasetProvider(closed).lookUpMany([{ domain: 'a.com' }, { domain: 'b.com' }]);
    expect(answers.map((answer) => (answer.outcome === 'failed' ? answer.reason : answer.outcome))).toEqual(['unavailable', 'unavailable']);
  });

  it('the same file again is skipped; a changed file updates the companies it names and keeps the others', async () => {
    const again = await loadReferenceDataset(dataSource, path.join(dir, 'companies.csv'));
    expect(again).toMatchObject({ status: 'already-loaded', rows: 2 });

    const changed = csv('companies.csv', [HEADER, 'acme.com,Acme Inc,Software,1500,,US,acme-group.com', 'hooli.com,Hooli,Internet,90000,,US,', 'hooli.com,Hooli Inc,Internet,95000,,US,']);
    const reload = await loadReferenceDataset(dataSource, changed);
    expect(reload).toMatchObject({ status: 'loaded', rows: 2, rejectedCount: 0 });
    expect(await provider().lookUp({ domain: 'acme.com' })).toMatchObject({
      firmographics: { domain: 'acme.com', companyName: 'Acme Inc', employeeCount: 1500, parentDomain: 'acme-group.com' },
      missing: ['annualRevenue'],
    });
    expect(await provider().lookUp({ domain: 'hooli.com' })).toMatchObject({ firmographics: { companyName: 'Hooli Inc', employeeCount: 95000 } });
    expect(await provider().lookUp({ domain: 'globex.de' })).toMatchObject({ outcome: 'found' });
    const [record] = (await dataSource.query(`SELECT row_count FROM enrichment.reference_dataset_load WHERE source = 'companies.csv'`)) as { row_count: number }[];
    expect(record?.row_count).toBe(2);
  });

  it('a header with an unknown column refuses the file and writes nothing', async () => {
    const file = csv('typo.csv', ['domain,company,employees', 'typo.com,Typo Inc,5']);
    await expect(loadReferenceDataset(dataSource, file)).rejects.toThrow(
      new ReferenceDatasetError(`${file}: unknown column(s) 'company', 'employees' in the header; expected domain, company_name, industry, employee_count, annual_revenue, country, parent_domain`),
    );
    expect(await provider().lookUp({ domain: 'typo.com' })).toEqual({ outcome: 'not-found', provider: 'reference-dataset' });
  });

  it('a missing file is a clear error', async () => {
    await expect(loadReferenceDataset(dataSource, path.join(dir, 'absent.csv'))).rejects.toThrow(/cannot read the reference dataset .*absent\.csv: ENOENT/);
  });

  it('a database that is gone is a failed lookup, not a thrown error', async () => {
    const closed = { query: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })) };
    expect(await new ReferenceDatasetProvider(closed).lookUp({ domain: 'acme.com' })).toMatchObject({ outcome: 'failed', reason: 'unavailable' });
  });
});

describe('the generated sample', () => {
  it('loads with no rejected rows, subsidiaries carrying their parent, and the loader command skips it the second time', async () => {
    const { writeCompanySample } = await import('../../../../tools/enrichment-sample/src/write-company-sample');
    const file = path.join(dir, 'companies-sample.csv');
    await writeCompanySample(file, { count: 3_000, seed: 11 });
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const run = () =>
      promisify(execFile)(process.execPath, ['tools/run-ts.mjs', 'apps/enrichment/src/providers/load-reference-dataset.ts', file], {
        cwd: path.resolve(__dirname, '../../../..'),
        env: { ...process.env, DATABASE_URL: dataSource.options.type === 'postgres' ? (dataSource.options.url as string) : '' },
      });
    expect((await run()).stdout).toMatch(/^reference dataset companies-sample\.csv: 3000 companies loaded, 0 rows rejected, in \d+ ms\n$/);
    expect((await run()).stdout).toMatch(/^reference dataset companies-sample\.csv: already loaded \(3000 companies, sha256 [0-9a-f]{12}\), skipped in \d+ ms\n$/);

    const { generateCompanies } = await import('../../../../tools/enrichment-sample/src/company-sample');
    const subsidiary = [...generateCompanies(3_000, 11)].find((company) => company.parentDomain !== undefined);
    expect(subsidiary).toBeDefined();
    expect(await provider().lookUp({ domain: subsidiary!.domain })).toMatchObject({ outcome: 'found', firmographics: { parentDomain: subsidiary!.parentDomain } });
    expect(await provider().lookUp({ domain: subsidiary!.parentDomain })).toMatchObject({ outcome: 'found' });
  });
});

function provider(): ReferenceDatasetProvider {
  return new ReferenceDatasetProvider(dataSource);
}
