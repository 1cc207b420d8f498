// `npm run import` against the stack started as `npm start` does: the CLI uploads a small CSV file, the
// import completes with the right counts, and every accepted row travels the pipeline to lead.assigned,
// in the bulk lane.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { LEADSTREAM_NAMESPACE, uuidV5 } from '@leadstream/contracts';
import { eventually, getWithKey, startStack, withLogs, type RunningStack } from './stack-harness';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..', '..');

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
    const file = path.join(stack.dataDir, 'leads.csv');
    writeFileSync(
      file,
      [
        'E-mail,First Name,Last Name,Company Name,Job Title,Country',
        `ada.${runId}@analytical-engines.example,Ada,Lovelace,Analytical Engines Ltd,CTO,GB`,
        `grace.${runId}@navy-systems.example,Grace,Hopper,"Navy Systems, Inc.",VP Engineering,US`,
        `not-an-email-${runId},Bad,Row,Nowhere,None,US`,
        '',
      ].join('\r\n'),
    );
    // The CLI finds ingestion and the admin key through the files npm start wrote in the data directory.
    const { stdout, stderr } = await run(
      process.execPath,
      ['-r', path.join(root, 'tools/register-dist.cjs'), path.join(root, 'dist/tools/import-cli/src/import-csv.js'), file, '--json'],
      { cwd: root, env: { ...process.env, LEADSTREAM_DATA_DIR: stack.dataDir, INGESTION_URL: '', LEADSTREAM_API_KEY: '' }, timeout: 120_000 },
    );
    expect(stderr).toMatch(/\[#+\] 100%/);
    const final = JSON.parse(stdout.trim()) as { importId: string; status: string; rowsRead: number; accepted: number; rejected: number };
    expect(final).toMatchObject({ status: 'completed', rowsRead: 3, accepted: 2, rejected: 1 });

    for (const line of [2, 3]) {
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
    const failure = run(
      process.execPath,
      ['-r', path.join(root, 'tools/register-dist.cjs'), path.join(root, 'dist/tools/import-cli/src/import-csv.js'), file, '--key', 'not-a-valid-key-at-all-0123456789abcdef', '--url', stack.urls.ingestion],
      { cwd: root, timeout: 60_000 },
    );
    await expect(failure).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/refused the API key \(401/) });
  }, 120_000);
});
