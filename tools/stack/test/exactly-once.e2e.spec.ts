// The race the stage mechanism removed, tried from outside as a user would: the same people posted at
// the same moment through the batch API (live lane) and in a CSV file (bulk lane). Each person must end
// as one surviving lead with exactly one lead.qualified (MQL), and every lead.resolved must travel on
// the partition of its surviving lead.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { eventually, postJson, startStack, type RunningStack } from './stack-harness';

const PEOPLE = 300;
let stack: RunningStack;
let rulesDir: string;

beforeAll(async () => {
  // A rule set of its own, so that what is tested is "qualified exactly once", whatever the demo set
  // makes of these people: a VP is an MQL on arrival, and only an activity could raise it further.
  rulesDir = mkdtempSync(path.join(os.tmpdir(), 'leadstream-scoring-rules-'));
  const rulesFile = path.join(rulesDir, 'scoring-rules.json');
  writeFileSync(
    rulesFile,
    JSON.stringify({
      version: 'e2e-exactly-once',
      fit: [{ id: 'vp', when: { field: 'seniority', op: 'equals', value: 'vp' }, points: 60 }],
      engagement: [],
      grades: { A: 70, B: 50, C: 30 },
      mqlThreshold: 50,
      sqlThreshold: 90,
    }),
  );
  stack = await startStack({ env: { SCORING_RULES_FILE: rulesFile } });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(rulesDir, { recursive: true, force: true });
}, 120_000);

async function query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows as T[];
  } finally {
    await client.end();
  }
}

it('people posted twice at once, through the batch API and a CSV file, are each qualified once', async () => {
  const run = Date.now().toString(36);
  // a VP: 60 points with this test's rule set, above MQL
  const people = Array.from({ length: PEOPLE }, (_, i) => ({ email: `twice.${run}.${i}@twice-corp.example`, firstName: `Twice${i}`, title: 'VP Sales', country: 'US', company: 'Twice Corp' }));
  const csv = ['email,firstName,title,country,company', ...people.map((p) => `${p.email},${p.firstName},${p.title},${p.country},${p.company}`)].join('\n') + '\n';

  const [upload, ...batches] = await Promise.all([
    fetch(`${stack.urls.ingestion}/v1/imports`, { method: 'POST', headers: { ...stack.authHeaders, 'content-type': 'text/csv' }, body: csv }),
    ...[0, 1, 2].map((part) => postJson(`${stack.urls.ingestion}/v1/leads/batch`, { leads: people.slice(part * 100, part * 100 + 100) })),
  ]);
  expect(upload.status).toBe(202);
  for (const batch of batches) expect(batch.status).toBe(202);

  const domain = `%@twice-corp.example`;
  const resolved = await eventually(
    async () => {
      const rows = await query<{ n: number }>(`SELECT count(*)::int AS n FROM analytics.event_log WHERE type = 'lead.resolved' AND data->'lead'->>'email' LIKE $1`, [domain]);
      return rows[0]!.n >= 2 * PEOPLE ? rows[0]!.n : undefined;
    },
    180_000,
    `${2 * PEOPLE} lead.resolved events`,
  );
  expect(resolved).toBe(2 * PEOPLE);

  // every surviving lead: scored twice (once per arrival), qualified once
  const qualifiedPerLead = (): Promise<{ lead_id: string; qualified: number }[]> =>
    query(
      `SELECT r.data->>'masterLeadId' AS lead_id, count(q.event_id)::int AS qualified
         FROM analytics.event_log r
         LEFT JOIN analytics.event_log q ON q.type = 'lead.qualified' AND q.lead_id = (r.data->>'masterLeadId')::uuid
        WHERE r.type = 'lead.resolved' AND r.data->>'outcome' = 'new' AND r.data->'lead'->>'email' LIKE $1
        GROUP BY 1`,
      [domain],
    );
  await eventually(
    async () => {
      const scored = await query<{ n: number }>(`SELECT count(*)::int AS n FROM analytics.event_log WHERE type = 'lead.scored' AND data->'lead'->>'email' LIKE $1`, [domain]);
      return (await qualifiedPerLead()).length === PEOPLE && scored[0]!.n === 2 * PEOPLE ? true : undefined;
    },
    120_000,
    `${PEOPLE} surviving leads, each scored twice`,
  );
  // settle: a second lead.qualified, if any were emitted, would be on its way by now
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const perLead = await qualifiedPerLead();
  expect(perLead).toHaveLength(PEOPLE);
  const counts = new Map<number, number>();
  for (const { qualified } of perLead) counts.set(qualified, (counts.get(qualified) ?? 0) + 1);
  expect([...counts].map(([qualified, leads]) => ({ qualified, leads }))).toEqual([{ qualified: 1, leads: PEOPLE }]);

  // a merged lead.resolved is on the partition of its surviving lead's own lead.resolved (same topic lane)
  const partitions = await query<{ spread: number }>(
    `SELECT count(DISTINCT (laneless, kafka_partition))::int AS spread FROM (
       SELECT data->>'masterLeadId' AS master, replace(topic, '.bulk', '') AS laneless, kafka_partition
         FROM analytics.event_log WHERE type = 'lead.resolved' AND data->'lead'->>'email' LIKE $1) t
     GROUP BY master`,
    [domain],
  );
  expect(new Set(partitions.map((row) => row.spread))).toEqual(new Set([1]));
}, 420_000);
