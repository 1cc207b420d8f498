// The initial rule set of a new database: two scoring services (the whole ScoringModule, on the
// development broker and the test PostgreSQL) starting at once store it once and activate it; a later
// start does not store another; a bad SCORING_RULES_FILE stops start-up naming the problem.
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBroker, silentLogger, type RunningBroker } from '@leadstream/broker';
import { DEMO_RULE_SET, validateRuleSet } from '@leadstream/domain-scoring';
import { createLogger } from '@leadstream/platform-observability';
import { createDatabaseIfMissing } from '@leadstream/platform-persistence';
import { bootstrapService, type ServiceConfig } from '@leadstream/platform-service';
import { until } from '@leadstream/testing';
import { Client } from 'pg';
import { readInitialRuleSet } from './initial-rule-set.provider';
import { ScoringModule } from './scoring.module';

jest.setTimeout(120_000);

const base = process.env['LEADSTREAM_TEST_DATABASE_URL'];
if (!base) throw new Error('LEADSTREAM_TEST_DATABASE_URL is not set: run through the integration Jest project');

let dir: string;
let broker: RunningBroker;
const apps: INestApplication[] = [];
const savedRulesFile = process.env['SCORING_RULES_FILE'];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'scoring-initial-int-'));
  broker = await startBroker({ port: 0, dataDir: path.join(dir, 'broker'), logger: silentLogger });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
  if (savedRulesFile === undefined) delete process.env['SCORING_RULES_FILE'];
  else process.env['SCORING_RULES_FILE'] = savedRulesFile;
});

/** Starts a scoring service (SCORING_RULES_FILE as the environment has it now) and waits until it is ready. */
async function startScoring(databaseUrl: string): Promise<void> {
  const config: ServiceConfig = { name: 'scoring', port: 0, databaseUrl, databaseSchema: 'scoring', kafkaBrokers: [`127.0.0.1:${broker.port}`], logLevel: 'error' };
  const app = await bootstrapService({ name: 'scoring', module: ScoringModule.forRoot(config), port: 0, host: '127.0.0.1', logger: createLogger('scoring', { write: () => undefined }) });
  apps.push(app);
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  await until(async () => ((await fetch(`${url}/health/ready`)).status === 200 ? true : undefined), 'scoring to be ready', 90_000, 200);
}

async function rows<T>(databaseUrl: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

function writeRuleSet(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

it('given a new database and SCORING_RULES_FILE, when two scoring services start at once, then its rule set is stored once and active, and a later start stores nothing', async () => {
  const url = new URL(base);
  url.pathname = `/scoring_initial_${randomBytes(4).toString('hex')}`;
  const databaseUrl = url.toString();
  await createDatabaseIfMissing(databaseUrl);
  const fromFile = { ...DEMO_RULE_SET, version: 'from-file-1' };
  process.env['SCORING_RULES_FILE'] = writeRuleSet('rules.json', fromFile);

  await Promise.all([startScoring(databaseUrl), startScoring(databaseUrl)]);

  const stored = await rows<{ version: string; body: unknown; created_by: string | null; activated: boolean }>(
    databaseUrl,
    `SELECT version, body, created_by, activated_at IS NOT NULL AS activated FROM scoring.rule_set`,
  );
  expect(stored).toEqual([{ version: 'from-file-1', body: JSON.parse(JSON.stringify(validateRuleSet(fromFile))), created_by: null, activated: true }]);
  expect(await rows(databaseUrl, `SELECT version FROM scoring.active_rule_set`)).toEqual([{ version: 'from-file-1' }]);

  // the demo set would be the initial one now, but the database has its rule sets already
  delete process.env['SCORING_RULES_FILE'];
  await startScoring(databaseUrl);
  expect(await rows(databaseUrl, `SELECT version FROM scoring.rule_set`)).toEqual([{ version: 'from-file-1' }]);
  expect(await rows(databaseUrl, `SELECT version FROM scoring.active_rule_set`)).toEqual([{ version: 'from-file-1' }]);
});

it('a SCORING_RULES_FILE that is no JSON or no valid rule set stops start-up, naming the file or the field', () => {
  const notJson = writeRuleSet('not-json.json', '{ "version": ');
  expect(() => readInitialRuleSet({ SCORING_RULES_FILE: notJson })).toThrow(`SCORING_RULES_FILE ${notJson} could not be read as JSON`);
  const invalid = writeRuleSet('invalid.json', { ...DEMO_RULE_SET, grades: { A: 10, B: 20, C: 5 } });
  expect(() => readInitialRuleSet({ SCORING_RULES_FILE: invalid })).toThrow(expect.objectContaining({ code: 'SCORING.INVALID_RULE_SET', path: 'grades.B' }));
  expect(readInitialRuleSet({})).toEqual({ ruleSet: DEMO_RULE_SET, file: undefined });
});
