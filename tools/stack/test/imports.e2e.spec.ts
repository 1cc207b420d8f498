// `npm run import` against the stack started as `npm start` does: the CLI (run from its TypeScript source,
// as the npm script runs it) uploads a small semicolon-separated Windows-1252 file, the import completes
// with the right counts, names the file, encoding and delimiter, and every accepted row travels the
// pipeline to lead.assigned, in the bulk lane. A refused key or scope says how to make a new key.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { LEADSTREAM_NAMESPACE, uuidV5 } from '@leadstream/contracts';
import { eventually, getWithKey, postJson, startStack, withLogs, type RunningStack } from './stack-harness';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..', '..');
// What `npm run import` runs (package.json).
const CLI = [path.join(root, 'tools/run-ts.mjs'), path.join(root, 'tools/import-cli/src/import-csv.ts')];

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack();
}, 300_000);

afterAll(async () => {
  await stack?.stop();
}, 120_000);

/** `type lane` of each event of the lead's history, once it holds lead.assigned. */
async function assignedHistory(leadId: string): Promise<string[] | undefined> {
  const response = await getWithKey(`${stack.urls.analytics}/v1/leads/${leadId}/history`);
  if (response.status !== 200) return undefined;
  const { events } = (await response.json()) as { events: { type: string; lane: string }[] };
  return events.some((event) => event.type === 'lead.assigned') ? events.map((event) => `${event.type} ${event.lane}`) : undefined;
}

describe('npm run import against the running stack', () => {
  it('imports a CSV file, prints the counts, and its leads reach lead.assigned', async () => {
    const runId = Date.now().toString(36);
    const file = path.join(stack.dataDir, 'messe-export.csv');
    // As a spreadsheet in a German locale exports it: semicolons, Windows-1252 (ö, é, ü), trailing empty
    // cells left out on the last row.
    const text = [
      'E-mail;First Name;Last Name;Company Name;Job Title;Country',
      `ada.${runId}@analytical-engines.example;Ada;Lovelace;Analytical Engines Ltd;CTO;GB`,
      `grace.${runId}@navy-systems.example;Grace;Hopper;"Navy Systems; Inc.";VP Engineering;US`,
      `not-an-email-${runId};Bad;Row;Nowhere;None;US`,
      `jurgen.${runId}@kohler.example;J\u00fcrgen;K\u00f6hler`,
      '',
    ].join('\r\n');
    writeFileSync(file, Buffer.from(text, 'latin1'));
    // The CLI finds ingestion and the admin key through the files npm start wrote in the data directory.
    const { stdout, stderr } = await run(process.execPath, [...CLI, file, '--json'], {
      cwd: root,
      env: { ...process.env, LEADSTREAM_DATA_DIR: stack.dataDir, INGESTION_URL: '', LEADSTREAM_API_KEY: '' },
      timeout: 120_000,
    });
    expect(stderr).toMatch(/\[#+\] 100%/);
    const final = JSON.parse(stdout.trim()) as { importId: string; status: string; rowsRead: number; accepted: number; rejected: number };
    expect(final).toMatchObject({
      status: 'completed',
      rowsRead: 4,
      accepted: 3,
      rejected: 1,
      fileName: 'messe-export.csv',
      encoding: 'windows-1252',
      encodingSource: 'detected',
      delimiter: ';',
    });
    const listed = (await (await getWithKey(`${stack.urls.ingestion}/v1/imports?limit=1`)).json()) as { imports: { importId: string; fileName?: string }[] };
    expect(listed.imports[0]).toMatchObject({ importId: final.importId, fileName: 'messe-export.csv' });
    const rejected = await (await getWithKey(`${stack.urls.ingestion}/v1/imports/${final.importId}/rejected`)).text();
    expect(rejected).toContain('4,email: has no @,');

    for (const line of [2, 3, 5]) {
      const leadId = uuidV5(`${final.importId}:${line}:lead`, LEADSTREAM_NAMESPACE);
      const history = await withLogs(stack, eventually(() => assignedHistory(leadId), 90_000, `the lead of line ${line} to be assigned`));
      // an import travels the bulk lane at every hop (docs/adr/0008-bulk-lane.md)
      expect(history).toEqual(
        expect.arrayContaining(['lead.received bulk', 'lead.enriched bulk', 'lead.resolved bulk', 'lead.scored bulk', 'lead.assigned bulk']),
      );
      expect(history?.filter((entry) => !entry.endsWith(' bulk'))).toEqual([]);
    }
  }, 240_000);

  it('exits non-zero with the reason when the key is refused', async () => {
    const file = path.join(stack.dataDir, 'one.csv');
    writeFileSync(file, 'email\r\nsomeone@example.com\r\n');
    const failure = run(process.execPath, [...CLI, file, '--key', 'not-a-valid-key-at-all-0123456789abcdef', '--url', stack.urls.ingestion], { cwd: root, timeout: 60_000 });
    await expect(failure).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/refused the API key given with --key \(401: .*\)\. To get a new key: with an admin key, make one with the ingest and read scopes: curl -X POST .*\/v1\/api-keys /),
    });

    // A key without the ingest scope: 403, and how to get a key that has it.
    const readOnly = await postJson(`${stack.urls.ingestion}/v1/api-keys`, { name: 'read only', scopes: ['read'] });
    expect(readOnly.status).toBe(201);
    const scoped = run(process.execPath, [...CLI, file, '--url', stack.urls.ingestion], {
      cwd: root,
      env: { ...process.env, LEADSTREAM_API_KEY: (readOnly.body as { key: string }).key },
      timeout: 60_000,
    });
    await expect(scoped).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/the API key in LEADSTREAM_API_KEY lacks a scope for the upload \(403: .*\); an import needs the ingest and read scopes\. To get such a key: /),
    });
  }, 120_000);
});
