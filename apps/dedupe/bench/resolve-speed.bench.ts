// Dedupe speed: leads resolved per second against 1,000,000 known leads in PostgreSQL, through the real
// stage (StageRunner + LeadEnrichedConsumer: bucket locks, inbox, candidate look-up by key, cluster
// locks, matching, survivorship, writes, outbox), in batches as Kafka delivers them.
//
//   node tools/run-ts.mjs apps/dedupe/bench/resolve-speed.bench.ts [--known N] [--leads N] [--batch N] [--replicas N] [--seed N] [--statements N]
//
// --statements N also prints the N statements PostgreSQL spent most time on while resolving (pg_stat_statements).
//
// It starts its own embedded PostgreSQL in a temporary directory (settings as `npm start`'s), generates
// labelled leads with the seeded generator of tools/dedupe-bench (the quality benchmark's data: people
// with realistic duplicates and hard negatives), loads the first --known of them as leads dedupe already
// resolved (clustered by person, every key indexed, in multi-row statements), then times resolving the
// next --leads through the stage. Only the resolving is timed; loading is reported apart.
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import path from 'node:path';
import { LEADSTREAM_NAMESPACE, newEdgeEvent, uuidV5, type LeadEnriched } from '@leadstream/contracts';
import { DEFAULT_MATCH_RULES } from '@leadstream/domain-matching';
import { createDatabaseIfMissing, createServiceDataSource, startEmbeddedPostgres } from '@leadstream/platform-persistence';
import type { DataSource } from 'typeorm';
import { consumedAs, declaredStage, stageMigrations, StageRunner } from '@leadstream/platform-stage';
import { generateLabelledLeads, type LabelledLead } from '../../../tools/dedupe-bench/src/generate-leads';
import { LeadEnrichedConsumer } from '../src/consumers/lead-enriched.consumer';
import { DEDUPE_MIGRATIONS } from '../src/dedupe.module';
import { accountIdOf, keyHashesOf } from '../src/identity/lead-keys';

interface Options {
  known: number;
  leads: number;
  batch: number;
  replicas: number;
  seed: number;
  statements: number;
  /** A directory keeping the database with the known leads loaded, per --known and --seed, to start from a copy next time. */
  cache?: string;
  /** Where to write a V8 CPU profile of the resolving (a .cpuprofile file). */
  cpuProfile?: string;
}

const USAGE = 'usage: [--known N] [--leads N] [--batch N] [--replicas N] [--seed N] [--statements N] [--cache DIR] [--cpu-profile FILE]';

function parseOptions(args: readonly string[]): Options {
  const options: Options = { known: 1_000_000, leads: 50_000, batch: 1_000, replicas: 1, seed: 7, statements: 0 };
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.replace(/^--/, '');
    const raw = args[i + 1];
    if (raw === undefined) throw new Error(`${USAGE}; ${args[i]} has no value`);
    if (name === 'cache') options.cache = path.resolve(raw);
    else if (name === 'cpu-profile') options.cpuProfile = path.resolve(raw);
    else {
      const value = Number(raw);
      if (name === undefined || !(name in options) || !Number.isInteger(value) || value < (name === 'statements' ? 0 : 1)) throw new Error(`${USAGE}; got ${args[i]} ${raw}`);
      options[name as 'known'] = value;
    }
  }
  return options;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A full garbage collection, as `node --expose-gc` would allow (the flag is set here, so the command stays plain). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;

/** CPU seconds used so far by the PostgreSQL server: the postmaster and its live children (the connections, the writers). */
async function postgresCpuSeconds(postmaster: number | undefined): Promise<number> {
  if (postmaster === undefined) return Number.NaN;
  const ticks = 100; // USER_HZ on Linux
  let total = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Fields after the command (which may hold spaces): state ppid ... utime(14) stime(15), counted from 1.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    if (pid !== postmaster && Number(fields[1]) !== postmaster) continue;
    total += (Number(fields[11]) + Number(fields[12])) / ticks;
  }
  return total;
}
const LOAD_CHUNK = 10_000;

/** The known leads, as dedupe would have stored them: clustered by person (the person's first lead survives), every key indexed. */
async function loadKnown(db: DataSource, known: readonly LabelledLead[]): Promise<void> {
  const out = process.stdout;
  const knownCount = known.length;
  const started = process.hrtime.bigint();
  const firstOfPerson = new Map<string, string>();
  for (const labelled of known) if (!firstOfPerson.has(labelled.personId)) firstOfPerson.set(labelled.personId, labelled.leadId);
  for (let from = 0; from < known.length; from += LOAD_CHUNK) {
    const chunk = known.slice(from, from + LOAD_CHUNK);
    await db.query(
      `INSERT INTO dedupe.lead_record (lead_id, cluster_id, lead, received_at, account_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::json[], $4::timestamptz[], $5::uuid[])`,
      [
        chunk.map((l) => l.leadId),
        chunk.map((l) => firstOfPerson.get(l.personId)),
        chunk.map((l) => JSON.stringify(l.lead)),
        chunk.map((l) => l.receivedAt),
        chunk.map((l) => accountIdOf(l.lead) ?? null),
      ],
    );
    const keys = chunk.flatMap((l) => keyHashesOf(l.lead).map((keyHash) => [keyHash, l.leadId] as const));
    await db.query(`INSERT INTO dedupe.lead_key (key_hash, lead_id) SELECT * FROM unnest($1::bigint[], $2::uuid[]) ON CONFLICT DO NOTHING`, [keys.map(([key]) => key), keys.map(([, id]) => id)]);
  }
  await db.query('VACUUM ANALYZE dedupe.lead_record');
  await db.query('VACUUM ANALYZE dedupe.lead_key');
  const [{ keys }] = (await db.query(`SELECT count(*)::int AS keys FROM dedupe.lead_key`)) as [{ keys: number }];
  out.write(`loaded ${knownCount} known leads (${firstOfPerson.size} clusters, ${keys} keys) in ${seconds(started).toFixed(1)} s\n`);
  firstOfPerson.clear();
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const out = process.stdout;
  let started = process.hrtime.bigint();
  const wanted = options.known + options.leads;
  // About 1.6 leads per person in the generator's mix; generate until there are enough.
  let people = Math.ceil(wanted / 1.5);
  // The generator names leads 'lead-0000001'...; dedupe's ids are uuids.
  const generate = (): LabelledLead[] => generateLabelledLeads({ seed: options.seed, people }).map((l) => ({ ...l, leadId: uuidV5(l.leadId, LEADSTREAM_NAMESPACE) }));
  let leads = generate();
  while (leads.length < wanted) {
    people = Math.ceil(people * 1.1);
    leads = generate();
  }
  out.write(`generated ${leads.length} labelled leads of ${people} people (seed ${options.seed}) in ${seconds(started).toFixed(1)} s\n`);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'leadstream-bench-dedupe-'));
  const dataDir = path.join(dir, 'data');
  const cached = options.cache === undefined ? undefined : path.join(options.cache, `known-${options.known}-seed-${options.seed}`);
  const reused = cached !== undefined && (await stat(path.join(cached, 'PG_VERSION')).then(() => true, () => false));
  if (reused) {
    started = process.hrtime.bigint();
    await cp(cached, dataDir, { recursive: true });
    out.write(`copied the database with ${options.known} known leads from ${cached} in ${seconds(started).toFixed(1)} s\n`);
  }
  const port = await freePort();
  const settings = options.statements > 0 ? { settings: { shared_preload_libraries: 'pg_stat_statements' } } : {};
  let postgres = await startEmbeddedPostgres({ dataDir, port, database: 'leadstream', ...settings });
  try {
    const url = new URL(postgres.url);
    url.pathname = '/dedupe_bench';
    await createDatabaseIfMissing(url.toString());
    const connect = (): Promise<DataSource[]> =>
      Promise.all(
        Array.from({ length: options.replicas }, () =>
          createServiceDataSource({ url: url.toString(), schema: 'dedupe', applicationName: 'dedupe-bench' }, { migrations: [...stageMigrations('dedupe'), ...DEDUPE_MIGRATIONS] }),
        ),
      );
    let dataSources = await connect();

    // Only the leads to resolve stay in memory once the known ones are loaded: a million known leads (and the
    // keys cached on them) would otherwise fill the benchmark's heap, and its garbage collector would be timed.
    const toResolve = leads.slice(options.known, wanted);
    if (!reused) {
      await loadKnown(dataSources[0]!, leads.slice(0, options.known));
      if (cached !== undefined) {
        // Kept stopped, so the copy is consistent; the copy is what later runs start from.
        await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
        await postgres.stop();
        started = process.hrtime.bigint();
        await rm(cached, { recursive: true, force: true });
        await cp(dataDir, cached, { recursive: true });
        out.write(`kept a copy of the database in ${cached} (${seconds(started).toFixed(1)} s)\n`);
        postgres = await startEmbeddedPostgres({ dataDir, port, database: 'leadstream', ...settings });
        dataSources = await connect();
      }
    }
    leads = [];
    const db = dataSources[0]!;

    // The leads to resolve, as lead.enriched events in Kafka-sized batches, spread over the replicas.
    const incoming = toResolve.map((labelled) =>
      newEdgeEvent<LeadEnriched>({ type: 'lead.enriched', data: { lead: labelled.lead }, eventId: randomUUID(), leadId: labelled.leadId, occurredAt: labelled.receivedAt }),
    );
    const batches: LeadEnriched[][] = [];
    for (let from = 0; from < incoming.length; from += options.batch) batches.push(incoming.slice(from, from + options.batch));
    const consumer = new LeadEnrichedConsumer(DEFAULT_MATCH_RULES);
    const stage = declaredStage(consumer, 'handle');
    const runners = dataSources.map((dataSource) => new StageRunner({ dataSource, schema: 'dedupe', groupId: 'leadstream-dedupe' }));
    const outcomes = { new: 0, merged: 0, joined: 0, reviewed: 0 };
    let next = 0;
    const [{ lsn: walBefore }] = (await db.query(`SELECT pg_current_wal_lsn()::text AS lsn`)) as [{ lsn: string }];
    if (options.statements > 0) {
      await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await db.query('SELECT pg_stat_statements_reset()');
    }
    // The generated leads are garbage by now; collected before timing, so their collection is not timed.
    collectGarbage();
    out.write(`heap in use before resolving: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB\n`);
    const profiler = options.cpuProfile === undefined ? undefined : new Session();
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const postgresCpuBefore = await postgresCpuSeconds(postgres.pid());
    const cpuBefore = process.cpuUsage();
    started = process.hrtime.bigint();
    await Promise.all(
      runners.map(async (runner) => {
        while (next < batches.length) {
          const batch = batches[next++]!;
          for (const event of await runner.run(stage, consumedAs(batch))) {
            if (event.type === 'lead.merged') outcomes.joined += 1;
            else if (event.type === 'lead.resolved') {
              const data = (event as { data: { outcome: 'new' | 'merged'; reviewPairs?: unknown[] } }).data;
              outcomes[data.outcome] += 1;
              if (data.reviewPairs) outcomes.reviewed += 1;
            }
          }
        }
      }),
    );
    const elapsed = seconds(started);
    const cpu = process.cpuUsage(cpuBefore);
    const postgresCpu = (await postgresCpuSeconds(postgres.pid())) - postgresCpuBefore;
    if (profiler && options.cpuProfile) {
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(options.cpuProfile, JSON.stringify(profile));
      profiler.disconnect();
    }
    const [{ bytes: walBytes }] = (await db.query(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint AS bytes`, [walBefore])) as [{ bytes: string }];
    out.write(
      `resolved ${incoming.length} leads against ${options.known} known in ${elapsed.toFixed(2)} s: ${Math.round(incoming.length / elapsed)} leads/s ` +
        `(batches of ${options.batch}, ${options.replicas} replica(s); ${outcomes.new} new, ${outcomes.merged} merged, ${outcomes.joined} cluster joins, ${outcomes.reviewed} sent to review); ` +
        `the benchmark process used ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s of CPU (${Math.round((cpu.user + cpu.system) / incoming.length)} µs per lead), ` +
        `PostgreSQL ${postgresCpu.toFixed(2)} s (${Math.round((postgresCpu * 1e6) / incoming.length)} µs per lead), writing ${(Number(walBytes) / incoming.length / 1024).toFixed(1)} KiB of WAL per lead\n`,
    );
    if (options.statements > 0) {
      const top = (await db.query(
        `SELECT calls, rows, round(total_exec_time)::int AS ms, round(mean_exec_time::numeric, 2)::text AS mean_ms, shared_blks_hit + shared_blks_read AS blocks,
                shared_blks_read AS read, shared_blks_dirtied AS dirtied, wal_bytes, regexp_replace(left(query, 160), '\\s+', ' ', 'g') AS query
           FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT $1`,
        [options.statements],
      )) as { calls: string; rows: string; ms: number; mean_ms: string; blocks: string; read: string; dirtied: string; wal_bytes: string; query: string }[];
      out.write(`PostgreSQL's ${top.length} most costly statements while resolving (total ms, calls, rows, mean ms, blocks hit+read, read, dirtied, WAL MiB):\n`);
      for (const row of top) {
        out.write(`  ${row.ms} ms  ${row.calls} calls  ${row.rows} rows  ${row.mean_ms} ms  ${row.blocks} blocks  ${row.read} read  ${row.dirtied} dirtied  ${(Number(row.wal_bytes) / 2 ** 20).toFixed(1)} MiB  ${row.query}\n`);
      }
    }
    await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
  } finally {
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
