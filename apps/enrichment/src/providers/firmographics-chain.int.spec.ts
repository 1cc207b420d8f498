// The chain as enrichment builds it from the environment: the reference dataset in PostgreSQL first,
// then a commercial service (a local fake over HTTP); a slow service never holds a lead past its budget.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDatabaseIfMissing, createServiceDataSource } from '@leadstream/platform-persistence';
import { stageMigrations } from '@leadstream/platform-stage';
import { ENRICHMENT_MIGRATIONS } from '../persistence/migrations';
import { createFirmographicsChain } from './firmographics-providers';
import { loadReferenceDataset } from './reference-dataset.loader';
import { readTerritoryTable } from './territory-config';

jest.setTimeout(60_000);

let dataSource: DataSource;
let dir: string;
let server: Server;
let baseUrl: string;
let respond: (response: ServerResponse) => void;
let requests = 0;

beforeAll(async () => {
  const base = new URL(process.env['LEADSTREAM_TEST_DATABASE_URL'] ?? 'postgres://unset');
  base.pathname = `/enrichment_chain_${process.pid}_${Date.now()}`;
  await createDatabaseIfMissing(base.toString());
  dataSource = await createServiceDataSource(
    { url: base.toString(), schema: 'enrichment', applicationName: 'firmographics-chain-test' },
    { migrations: [...stageMigrations('enrichment'), ...ENRICHMENT_MIGRATIONS] },
  );
  dir = mkdtempSync(path.join(tmpdir(), 'firmographics-chain-'));
  const file = path.join(dir, 'companies.csv');
  writeFileSync(file, 'domain,company_name,industry,employee_count,country\nacme.com,Acme Inc,Software,120,US\n');
  await loadReferenceDataset(dataSource, file);
  server = createServer((_request, response) => {
    requests += 1;
    respond(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await dataSource?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  requests = 0;
});

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ENRICHMENT_HTTP_URL: `${baseUrl}/companies/{domain}`,
  ENRICHMENT_HTTP_NAME: 'clearbit-like',
  ENRICHMENT_HTTP_RETRIES: '0',
  ...extra,
});

describe('firmographics chain', () => {
  it('a company in the reference dataset is answered locally, without calling the service', async () => {
    respond = (response) => response.end('{}');
    const chained = await createFirmographicsChain(dataSource, env()).lookUp({ domain: 'acme.com' });
    expect(chained.result).toMatchObject({ outcome: 'found', provider: 'reference-dataset', firmographics: { companyName: 'Acme Inc' } });
    expect(requests).toBe(0);
  });

  it('a company only the service knows is answered by it, and the result says where from and what is missing', async () => {
    respond = (response) => response.end(JSON.stringify({ companyName: 'Globex', employeeCount: 5000, country: 'DE' }));
    const chained = await createFirmographicsChain(dataSource, env()).lookUp({ domain: 'globex.de' });
    expect(chained.result).toEqual({
      outcome: 'found',
      provider: 'clearbit-like',
      matchedBy: 'domain',
      firmographics: { domain: 'globex.de', companyName: 'Globex', employeeCount: 5000, country: 'DE' },
      missing: ['industry', 'annualRevenue', 'parentDomain'],
    });
    expect(chained.attempts.map((attempt) => attempt.outcome)).toEqual(['not-found', 'found']);
  });

  it('a service slower than the chain budget gives way: the lead goes on with not-found and the failure recorded', async () => {
    respond = (response) => {
      setTimeout(() => response.end('{}'), 2_000).unref();
    };
    const chained = await createFirmographicsChain(dataSource, env({ ENRICHMENT_HTTP_TIMEOUT_MS: '5000', ENRICHMENT_HTTP_BUDGET_MS: '100' })).lookUp({ domain: 'slow.example' });
    expect(chained.result).toEqual({ outcome: 'not-found', provider: 'reference-dataset,clearbit-like' });
    expect(chained.attempts[1]).toMatchObject({ outcome: 'failed', reason: 'timeout', detail: "no answer within the chain's budget of 100 ms" });
  });

  it('a batch of leads: the local table answers what it knows in one statement, the service the rest', async () => {
    respond = (response) => response.end(JSON.stringify({ companyName: 'Globex', country: 'DE' }));
    const chained = await createFirmographicsChain(dataSource, env()).lookUpMany([{ domain: 'acme.com' }, { domain: 'globex.de' }, { domain: 'acme.com' }]);
    expect(chained.map((lookup) => lookup.result.provider)).toEqual(['reference-dataset', 'clearbit-like', 'reference-dataset']);
    expect(requests).toBe(1);
  });

  it('without ENRICHMENT_HTTP_URL only the reference dataset is asked', () => {
    expect(createFirmographicsChain(dataSource, {}).names).toEqual(['reference-dataset']);
  });
});

describe('territory table from configuration', () => {
  it('reads a JSON file, and names the file when a rule is wrong', () => {
    const good = path.join(dir, 'territories.json');
    writeFileSync(good, JSON.stringify({ version: 'emea-split-2', defaultTerritory: 'rest', rules: [{ territory: 'france', countries: ['FR'] }] }));
    expect(readTerritoryTable({ ENRICHMENT_TERRITORY_FILE: good })).toEqual({ version: 'emea-split-2', defaultTerritory: 'rest', rules: [{ territory: 'france', countries: ['FR'] }] });
    const bad = path.join(dir, 'bad-territories.json');
    writeFileSync(bad, JSON.stringify({ version: '1', defaultTerritory: 'rest', rules: [{ territory: 'france', countries: ['France'] }] }));
    expect(() => readTerritoryTable({ ENRICHMENT_TERRITORY_FILE: bad })).toThrow(
      `ENRICHMENT_TERRITORY_FILE ${bad}: territory table is invalid: rules[0].countries[0] "France" is not one of ISO 3166-1 alpha-2 codes such as "DE"`,
    );
  });

  it('reads inline JSON, falls back to the default table, and says when the file is missing or not JSON', () => {
    expect(readTerritoryTable({ ENRICHMENT_TERRITORIES: '{"version":"x","defaultTerritory":"all","rules":[]}' }).defaultTerritory).toBe('all');
    expect(readTerritoryTable({}).version).toBe('default-1');
    expect(() => readTerritoryTable({ ENRICHMENT_TERRITORY_FILE: path.join(dir, 'none.json') })).toThrow(/cannot read the territory table \(ENRICHMENT_TERRITORY_FILE .*none\.json\): ENOENT/);
    expect(() => readTerritoryTable({ ENRICHMENT_TERRITORIES: '{rules' })).toThrow(/the territory table \(ENRICHMENT_TERRITORIES\) is not JSON/);
  });
});
