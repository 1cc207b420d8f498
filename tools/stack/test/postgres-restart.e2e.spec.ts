// kill -9 of the embedded PostgreSQL under the stack started as `npm start` does: the launcher restarts
// it, every service reports the database down on /health/ready meanwhile and recovers on its own, the
// HTTP routes that need the database answer 503 (not 500), a CSV import cut by the kill completes with
// exact counts, and leads posted during and after the outage reach lead.assigned.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LEADSTREAM_NAMESPACE, uuidV5 } from '@leadstream/contracts';
import { eventually, postJson, startStack, waitForTypes, withLogs, type RunningStack, type Service } from './stack-harness';

const PIPELINE = ['lead.received', 'lead.enriched', 'lead.resolved', 'lead.scored', 'lead.assigned'];
// Large enough that the import is still running when the database goes away right after the upload.
const IMPORT_ROWS = 50_000;

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack();
}, 300_000);

afterAll(async () => {
  await stack?.stop();
}, 120_000);

function postmasterPid(): number {
  const pid = Number.parseInt(readFileSync(path.join(stack.dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster PID in ${stack.dataDir}/postgres/postmaster.pid`);
  return pid;
}

async function readiness(service: Service): Promise<{ status: number; database?: string }> {
  try {
    const response = await fetch(`${stack.urls[service]}/health/ready`, { signal: AbortSignal.timeout(3_000) });
    const body = (await response.json()) as { checks?: { database?: string } };
    return { status: response.status, database: body.checks?.database };
  } catch (error) {
    return { status: 0, database: `no answer: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function uploadCsv(rows: number): Promise<string> {
  const lines = ['email,firstName,company'];
  for (let i = 0; i < rows; i += 1) lines.push(`restart.import.${i}@csv-outage.example,Row${i},Outage Co ${i % 40}`);
  const response = await fetch(`${stack.urls.ingestion}/v1/imports`, {
    method: 'POST',
    headers: { ...stack.authHeaders, 'content-type': 'text/csv' },
    body: lines.join('\n') + '\n',
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { importId: string }).importId;
}

async function importStatus(importId: string): Promise<{ status: string; rowsRead: number; accepted: number; rejected: number } | undefined> {
  const response = await fetch(`${stack.urls.ingestion}/v1/imports/${importId}`, { headers: stack.authHeaders });
  return response.status === 200 ? ((await response.json()) as { status: string; rowsRead: number; accepted: number; rejected: number }) : undefined;
}

describe('kill -9 of the embedded PostgreSQL under npm start', () => {
  it('is restarted; the services report it down, then recover on their own, and no lead or imported row is lost', async () => {
    const services = Object.keys(stack.urls) as Service[];
    const importId = await uploadCsv(IMPORT_ROWS);
    const beforeKill = await importStatus(importId);
    expect(beforeKill?.status).toBe('running');

    const killedPid = postmasterPid();
    process.kill(killedPid, 'SIGKILL');

    // Every service says the database is down (and why) while it is.
    const seenDown = new Map<Service, string>();
    await withLogs(
      stack,
      eventually(
        async () => {
          await Promise.all(
            services
              .filter((service) => !seenDown.has(service))
              .map(async (service) => {
                const ready = await readiness(service);
                if (ready.status === 503 && ready.database?.startsWith('down')) seenDown.set(service, ready.database);
              }),
          );
          return seenDown.size === services.length ? true : undefined;
        },
        30_000,
        'every service to report the database down on /health/ready',
      ),
    );

    // While it is down: a lead is still accepted (Kafka holds it; the key check is cached), and routes
    // that need the database answer 503 naming the outage, not 500.
    const during = await postJson(`${stack.urls.ingestion}/v1/leads`, { email: 'posted.during.outage@example.org', title: 'VP Sales' });
    const keys = await fetch(`${stack.urls.ingestion}/v1/api-keys`, { headers: stack.authHeaders });
    const importWhileDown = await fetch(`${stack.urls.ingestion}/v1/imports/${importId}`, { headers: stack.authHeaders });
    const stillDown = await readiness('ingestion');
    if (stillDown.status === 503) {
      expect(keys.status).toBe(503);
      expect(importWhileDown.status).toBe(503);
    }

    // The launcher says what happened and brings it back; every service is ready again by itself.
    await withLogs(
      stack,
      eventually(
        async () => ((await Promise.all(services.map(readiness))).every((ready) => ready.status === 200) ? true : undefined),
        120_000,
        'every service to be ready again after PostgreSQL came back',
      ),
    );
    const port = new URL(stack.databaseUrl).port;
    expect(stack.output()).toContain(`embedded PostgreSQL on 127.0.0.1:${port} exited unexpectedly (SIGKILL)`);
    expect(stack.output()).toMatch(new RegExp(`embedded PostgreSQL on 127\\.0\\.0\\.1:${port} is running again`));
    expect(postmasterPid()).not.toBe(killedPid);

    // Leads posted after the restart, and the one accepted during the outage, reach the end of the pipeline.
    const after = await postJson(`${stack.urls.ingestion}/v1/leads`, { email: 'posted.after.restart@example.org', title: 'Head of Marketing' });
    expect(after.status).toBe(202);
    await waitForTypes(stack, (after.body as { leadId: string }).leadId, PIPELINE, 120_000);
    if (during.status === 202) await waitForTypes(stack, (during.body as { leadId: string }).leadId, PIPELINE, 120_000);
    else expect(during.status).toBe(503);

    // The import the kill cut off is taken up again from its last committed chunk and completes exactly.
    const done = await withLogs(
      stack,
      eventually(
        async () => {
          const status = await importStatus(importId);
          return status && status.status !== 'running' ? status : undefined;
        },
        180_000,
        'the import cut off by the kill to complete',
      ),
    );
    expect(done).toMatchObject({ status: 'completed', rowsRead: IMPORT_ROWS, accepted: IMPORT_ROWS, rejected: 0 });
    await waitForTypes(stack, uuidV5(`${importId}:2:lead`, LEADSTREAM_NAMESPACE), PIPELINE, 180_000);
  }, 600_000);
});
