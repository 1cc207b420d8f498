// CSV imports under configured intake rules (INGESTION_RULES_FILE) that require a field beyond email:
// the header check refuses a file without a column for it, naming the field, and lets fields that are not
// required be absent. Real development broker and test PostgreSQL, ingestion in-process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startIntakeApp, TEST_ADMIN_KEY, type IntakeTestApp } from '../leads/intake-int-kit.spec';
import { importFinished, importIdOf, kafkaRecordsOfImport, recordsOfImport, type ImportStatus, type SeenRecord } from './imports-int-kit.spec';

const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
const RULES = { version: 'import-int-strict', required: ['email', 'company'], rejectDisposableEmail: false, phone: 'keep-raw' };

let workDir: string;
let app: IntakeTestApp;

const seen = (): readonly SeenRecord[] => app.records as readonly unknown[] as readonly SeenRecord[];

async function imported(csv: string): Promise<{ importId: string; result: ImportStatus }> {
  const importId = await importIdOf(await fetch(`${app.baseUrl}/v1/imports`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: csv }));
  return { importId, result: await importFinished(app.baseUrl, importId, auth) };
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'ingestion-import-rules-int-'));
  const rulesFile = path.join(workDir, 'intake-rules.json');
  writeFileSync(rulesFile, JSON.stringify(RULES));
  app = await startIntakeApp({ env: { INGESTION_IMPORT_DIR: path.join(workDir, 'imports'), INGESTION_RULES_FILE: rulesFile } });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  rmSync(workDir, { recursive: true, force: true });
}, 60_000);

describe('the header check with the configured required fields', () => {
  it('fails a file without a column for a field the rules require, naming the field and the column names that fill it', async () => {
    const { importId, result } = await imported('email,First Name\r\nada@example.com,Ada\r\n');
    expect(result).toMatchObject({ status: 'failed', rowsRead: 0, accepted: 0, rejected: 0 });
    expect(result.error).toMatch(
      /^no column of the header \(line 1\) maps to company: it has "email", "First Name"; the intake rules \(version "import-int-strict"\) require company; name the column one of company: "company", "Company Name", /,
    );
    expect(result.error).toMatch(/\(or configure INGESTION_COLUMN_ALIASES_FILE\)$/);
    // Nothing of the file was published.
    await app.caughtUp();
    expect(recordsOfImport(seen(), importId)).toEqual([]);
  }, 60_000);

  it('imports a file with every required column and without the fields that are not required; a blank required value rejects its row', async () => {
    const { importId, result } = await imported('Email Address,Company Name\r\nada@example.com,Acme\r\nbob@example.com,\r\ncy@example.com,Initech\r\n');
    expect(result).toMatchObject({ status: 'completed', rowsRead: 3, accepted: 2, rejected: 1 });
    const records = await kafkaRecordsOfImport(seen, importId, 3, 300);
    const byLine = new Map(records.map((record) => [Number(record.event.data['line']), record.event]));
    expect(byLine.get(2)).toMatchObject({ type: 'lead.received', data: { lead: { email: 'ada@example.com', company: 'Acme' } } });
    expect(byLine.get(3)).toMatchObject({ type: 'lead.rejected', data: { reasons: [{ field: 'company', message: 'is required' }] } });
    expect(byLine.get(4)).toMatchObject({ type: 'lead.received', data: { lead: { email: 'cy@example.com', company: 'Initech' } } });
    const report = await (await fetch(`${app.baseUrl}/v1/imports/${importId}/rejected`, { headers: auth })).text();
    expect(report).toBe('line,reason,row\r\n3,company: is required,"bob@example.com,"\r\n');
  }, 60_000);
});
