// Dedupe speed: leads resolved per second against 1,000,000 known leads in PostgreSQL, through the real
// stage (StageRunner + LeadEnrichedConsumer: bucket locks, inbox, candidate look-up by key, cluster
// locks, matching, survivorship, writes, outbox), in batches as Kafka delivers them.
//
//   node tools/run-ts.mjs apps/dedupe/bench/resolve-speed.bench.ts [--known N] [--leads N] [--batch N] [--replicas N] [--seed N]
//
// It starts its own embedded PostgreSQL in a temporary directory (settings as `npm start`'s), generates
// labelled leads with the seeded generator of tools/dedupe-bench (the quality benchmark's data: people
// with realistic duplicates and hard negatives), loads the first --known of them as leads dedupe already
// resolved (clustered by person, every key indexed, in multi-row statements), then times resolving the
// next --leads through the stage. Only the resolving is timed; loading is reported apart.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { LEADSTREAM_NAMESPACE, newEdgeEvent, uuidV5, type LeadEnriched } from '@leadstream/contracts';
import { DEFAULT_MATCH_RULES } from '@leadstream/domain-matching';
import { createDatabaseIfMissing, createServiceDataSource, startEmbeddedPostgres } from '@leadstream/platform-persistence';
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
}

function parseOptions(args: readonly string[]): Options {
  const options: Options = { known: 1_000_000, leads: 50_000, batch: 1_000, replicas: 1, seed: 7 };
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.replace(/^--/, '') as keyof Options;
    const value = Number(args[i + 1]);
    if (!(name in options) || !Number.isInteger(value) || value < 1) {
      throw new Error(`usage: [--known N] [--leads N] [--batch N] [--replicas N] [--seed N]; got ${args[i]} ${args[i + 1]}`);
    }
    options[name] = value;
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

const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;
const LOAD_CHUNK = 10_000;

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
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: await freePort(), database: 'leadstream' });
  try {
    const url = new URL(postgres.url);
    url.pathname = '/dedupe_bench';
    await createDatabaseIfMissing(url.toString());
    const dataSources = await Promise.all(
      Array.from({ length: options.replicas }, () =>
        createServiceDataSource({ url: url.toString(), schema: 'dedupe', applicationName: 'dedupe-bench' }, { migrations: [...stageMigrations('dedupe'), ...DEDUPE_MIGRATIONS] }),
      ),
    );
    const db = dataSources[0]!;

    // The known leads, as dedupe would have stored them: clustered by person (the person's first lead survives).
    started = process.hrtime.bigint();
    // Only the leads to resolve stay in memory once the known ones are loaded: a million known leads (and the
    // keys cached on them) would otherwise fill the benchmark's heap, and its garbage collector would be timed.
    const toResolve = leads.slice(options.known, wanted);
    let known = leads.slice(0, options.known);
    leads = [];
    const knownCount = known.length;
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
    known = [];
    out.write(`loaded ${knownCount} known leads (${firstOfPerson.size} clusters, ${keys} keys) in ${seconds(started).toFixed(1)} s\n`);
    firstOfPerson.clear();

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
    const [{ bytes: walBytes }] = (await db.query(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint AS bytes`, [walBefore])) as [{ bytes: string }];
    out.write(
      `resolved ${incoming.length} leads against ${knownCount} known in ${elapsed.toFixed(2)} s: ${Math.round(incoming.length / elapsed)} leads/s ` +
        `(batches of ${options.batch}, ${options.replicas} replica(s); ${outcomes.new} new, ${outcomes.merged} merged, ${outcomes.joined} cluster joins, ${outcomes.reviewed} sent to review); ` +
        `the benchmark process used ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s of CPU (${Math.round((cpu.user + cpu.system) / incoming.length)} µs per lead), PostgreSQL the rest, writing ${(Number(walBytes) / incoming.length / 1024).toFixed(1)} KiB of WAL per lead\n`,
    );
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
