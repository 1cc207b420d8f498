// Performance baseline of the whole pipeline: `npm run bench -- [--leads N] [--concurrency C] [--rate R] [--timeout-s S]`.
// Posts leads to ingestion, then reads each lead's lead.assigned event back from the analytics event
// log, and prints throughput, latency percentiles and memory per service. See tools/bench/README.md.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { BenchUsageError, parseBenchArgs, USAGE, type BenchOptions } from './bench-options';
import { BenchTargetError, redactPassword, resolveBenchTarget, type BenchTarget } from './bench-target';
import { generateLead } from './lead-generator';
import { summarizeLatencies, type LatencySummary } from './latency-stats';
import { readProcessMemory, type ProcessMemory } from './process-memory';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable with Postgres timestamps. */
const now = (): number => performance.timeOrigin + performance.now();

const REQUEST_TIMEOUT_MS = 30_000;
/** Give up posting when this many requests in a row fail to reach ingestion at all. */
const MAX_CONSECUTIVE_NETWORK_ERRORS = 50;
const POLL_INTERVAL_MS = 500;
const POLL_CHUNK = 2_000;

interface PostOutcome {
  /** Lead id -> wall-clock ms at which its POST was sent. */
  readonly postedAt: Map<string, number>;
  readonly attempted: number;
  readonly refusedByStatus: Map<number, number>;
  readonly networkErrors: number;
  readonly errorSamples: string[];
  readonly firstPostAt: number;
  readonly lastAcceptedAt: number;
  readonly abortedReason?: string;
}

interface BenchResult {
  readonly target: { ingestionUrl: string; database: string; source: string };
  readonly options: { leads: number; concurrency: number; rate: number | null; timeoutSeconds: number };
  readonly posted: number;
  readonly accepted: number;
  readonly refused: Record<string, number>;
  readonly networkErrors: number;
  readonly acceptedPerSecond: number | null;
  readonly postingSeconds: number;
  readonly assigned: number;
  readonly missing: number;
  readonly endToEndPerSecond: number | null;
  readonly endToEndSeconds: number | null;
  readonly latencyMs: LatencySummary | null;
  readonly memory: Record<string, (ProcessMemory & { pid: number }) | { pid: number; unavailable: string }>;
}

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    if (error instanceof BenchUsageError) {
      console.error(`bench: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }

  const stackPath = resolve(options.stackFile);
  const keyPath = resolve(dirname(stackPath), 'api-key');
  const target = resolveBenchTarget(
    process.env,
    { path: options.stackFile, text: existsSync(stackPath) ? readFileSync(stackPath, 'utf8') : undefined },
    { path: keyPath, text: existsSync(keyPath) ? readFileSync(keyPath, 'utf8') : undefined },
  );
  if (!target.apiKey) throw new BenchTargetError(`no API key: ${keyPath} does not exist (npm start writes it on its first start) and LEADSTREAM_API_KEY is not set.`);
  await checkIngestion(target);
  const database = await connectToEventLog(target);
  try {
    const runId = Date.now().toString(36) + Math.floor(Math.random() * 36 ** 4).toString(36);
    progress(`bench ${runId}: posting ${options.leads.toLocaleString('en-US')} leads to ${target.ingestionUrl} (concurrency ${options.concurrency}${options.rate ? `, at most ${options.rate}/s` : ''})`);
    const outcome = await postLeads(target, options, runId);
    if (outcome.abortedReason) progress(`stopped posting: ${outcome.abortedReason}`);
    progress(`waiting up to ${options.timeoutSeconds} s for ${outcome.postedAt.size.toLocaleString('en-US')} lead.assigned events in analytics.event_log`);
    const assignedAt = await waitForAssignments(database, [...outcome.postedAt.keys()], options.timeoutSeconds);
    const result = summarize(target, options, outcome, assignedAt);
    console.log(options.json ? JSON.stringify(result, null, 2) : formatReport(result, outcome.errorSamples));
    const complete = result.accepted === options.leads && result.missing === 0;
    return complete ? 0 : 1;
  } finally {
    await database.end().catch(() => undefined);
  }
}

// ---- before the run: is there a stack? ----------------------------------------------------------

async function checkIngestion(target: BenchTarget): Promise<void> {
  const url = `${target.ingestionUrl}/health/ready`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    throw new BenchTargetError(
      `ingestion does not answer at ${url} (${describeError(error)}). ` +
        (target.source.includes('stack.json') ? `The stack described by ${target.source} is not running (the file stays behind after it stops): start it with \`npm start\`.` : 'Is the stack running?'),
    );
  }
  if (!response.ok) {
    const body = (await response.text().catch(() => '')).slice(0, 300);
    throw new BenchTargetError(`ingestion at ${target.ingestionUrl} is not ready (HTTP ${response.status}${body ? `: ${body}` : ''}); wait until it reports ready, then run the benchmark again.`);
  }
}

async function connectToEventLog(target: BenchTarget): Promise<Client> {
  const client = new Client({ connectionString: target.databaseUrl, connectionTimeoutMillis: 5_000, application_name: 'leadstream-bench' });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new BenchTargetError(`cannot connect to the database at ${redactPassword(target.databaseUrl)} (${describeError(error)}). Is the stack's PostgreSQL running?`);
  }
  const { rows } = await client.query<{ table: string | null }>(`SELECT to_regclass('analytics.event_log')::text AS table`);
  if (!rows[0]?.table) {
    await client.end().catch(() => undefined);
    throw new BenchTargetError(`table analytics.event_log does not exist in ${redactPassword(target.databaseUrl)}: the analytics service creates it when it starts; is it running against this database?`);
  }
  return client;
}

// ---- posting --------------------------------------------------------------------------------------

async function postLeads(target: BenchTarget, options: BenchOptions, runId: string): Promise<PostOutcome> {
  const url = `${target.ingestionUrl}/v1/leads`;
  const postedAt = new Map<string, number>();
  const refusedByStatus = new Map<number, number>();
  const errorSamples: string[] = [];
  let networkErrors = 0;
  let consecutiveNetworkErrors = 0;
  let attempted = 0;
  let next = 0;
  let lastAcceptedAt = 0;
  let abortedReason: string | undefined;
  const sample = (message: string): void => {
    if (errorSamples.length < 5) errorSamples.push(message);
  };

  const firstPostAt = now();
  const ticker = setInterval(() => progress(`  posted ${attempted.toLocaleString('en-US')}, accepted ${postedAt.size.toLocaleString('en-US')}`), 1_000);
  const worker = async (): Promise<void> => {
    for (;;) {
      if (abortedReason !== undefined) return;
      const index = next;
      if (index >= options.leads) return;
      next += 1;
      if (options.rate !== undefined) {
        // Paced from the start of the run, so a slow response does not lower the offered rate later.
        const wait = firstPostAt + (index / options.rate) * 1_000 - now();
        if (wait > 0) await sleep(wait);
      }
      const body = JSON.stringify(generateLead(runId, index));
      const sentAt = now();
      attempted += 1;
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${target.apiKey}` }, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        const text = await response.text();
        consecutiveNetworkErrors = 0;
        const leadId = response.status === 202 ? readLeadId(text) : undefined;
        if (leadId) {
          postedAt.set(leadId, sentAt);
          lastAcceptedAt = now();
        } else {
          refusedByStatus.set(response.status, (refusedByStatus.get(response.status) ?? 0) + 1);
          sample(`HTTP ${response.status}: ${text.slice(0, 300)}`);
        }
      } catch (error) {
        networkErrors += 1;
        consecutiveNetworkErrors += 1;
        sample(`request failed: ${describeError(error)}`);
        if (consecutiveNetworkErrors >= MAX_CONSECUTIVE_NETWORK_ERRORS) {
          abortedReason = `${consecutiveNetworkErrors} requests in a row could not reach ${url} (${describeError(error)}); did ingestion stop?`;
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, options.leads) }, worker));
  } finally {
    clearInterval(ticker);
  }
  return { postedAt, attempted, refusedByStatus, networkErrors, errorSamples, firstPostAt, lastAcceptedAt, abortedReason };
}

function readLeadId(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const leadId = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['leadId'] : undefined;
    return typeof leadId === 'string' && leadId !== '' ? leadId : undefined;
  } catch {
    return undefined;
  }
}

// ---- waiting for lead.assigned ------------------------------------------------------------------

/** Lead id -> wall-clock ms at which analytics recorded its (first) lead.assigned event. */
async function waitForAssignments(database: Client, leadIds: readonly string[], timeoutSeconds: number): Promise<Map<string, number>> {
  const assignedAt = new Map<string, number>();
  const pending = new Set(leadIds);
  const deadline = now() + timeoutSeconds * 1_000;
  let lastReport = 0;
  while (pending.size > 0) {
    const ids = [...pending];
    for (let start = 0; start < ids.length; start += POLL_CHUNK) {
      // recorded_at as epoch milliseconds keeps its microseconds (a Date would round them away).
      const { rows } = await database.query<{ lead_id: string; recorded_ms: number }>(
        `SELECT lead_id::text AS lead_id, (extract(epoch FROM min(recorded_at)) * 1000)::float8 AS recorded_ms
           FROM analytics.event_log
          WHERE type = 'lead.assigned' AND lead_id = ANY($1::uuid[])
          GROUP BY lead_id`,
        [ids.slice(start, start + POLL_CHUNK)],
      );
      for (const row of rows) {
        assignedAt.set(row.lead_id, Number(row.recorded_ms));
        pending.delete(row.lead_id);
      }
    }
    if (pending.size === 0 || now() >= deadline) break;
    if (now() - lastReport >= 2_000) {
      progress(`  assigned ${assignedAt.size.toLocaleString('en-US')} of ${leadIds.length.toLocaleString('en-US')}`);
      lastReport = now();
    }
    await sleep(POLL_INTERVAL_MS);
  }
  return assignedAt;
}

// ---- figures ------------------------------------------------------------------------------------

function summarize(target: BenchTarget, options: BenchOptions, outcome: PostOutcome, assignedAt: Map<string, number>): BenchResult {
  const accepted = outcome.postedAt.size;
  const postingSeconds = accepted > 0 ? (outcome.lastAcceptedAt - outcome.firstPostAt) / 1_000 : 0;
  const latencies: number[] = [];
  let lastAssignedAt = 0;
  for (const [leadId, recordedAt] of assignedAt) {
    latencies.push(recordedAt - (outcome.postedAt.get(leadId) ?? recordedAt));
    lastAssignedAt = Math.max(lastAssignedAt, recordedAt);
  }
  const endToEndSeconds = assignedAt.size > 0 ? (lastAssignedAt - outcome.firstPostAt) / 1_000 : null;
  const memory: BenchResult['memory'] = {};
  for (const { service, pid } of target.processes) memory[service] = { pid, ...readProcessMemory(pid) };
  return {
    target: { ingestionUrl: target.ingestionUrl, database: redactPassword(target.databaseUrl), source: target.source },
    options: { leads: options.leads, concurrency: options.concurrency, rate: options.rate ?? null, timeoutSeconds: options.timeoutSeconds },
    posted: outcome.attempted,
    accepted,
    refused: Object.fromEntries([...outcome.refusedByStatus].map(([status, count]) => [String(status), count])),
    networkErrors: outcome.networkErrors,
    acceptedPerSecond: postingSeconds > 0 ? accepted / postingSeconds : null,
    postingSeconds,
    assigned: assignedAt.size,
    missing: accepted - assignedAt.size,
    endToEndPerSecond: endToEndSeconds && endToEndSeconds > 0 ? assignedAt.size / endToEndSeconds : null,
    endToEndSeconds,
    latencyMs: summarizeLatencies(latencies) ?? null,
    memory,
  };
}

function formatReport(result: BenchResult, errorSamples: readonly string[]): string {
  const n = (value: number, digits = 0): string => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const ms = (value: number): string => `${n(value)} ms`;
  const mib = (bytes: number): string => `${n(bytes / 2 ** 20, 1)} MiB`;
  const refused = Object.entries(result.refused).map(([status, count]) => `${count} x HTTP ${status}`);
  const lines = [
    'Leadstream pipeline benchmark',
    `  target       ${result.target.ingestionUrl}, event log in ${result.target.database} (from ${result.target.source})`,
    `  run          ${n(result.options.leads)} leads, concurrency ${result.options.concurrency}, rate ${result.options.rate ? `at most ${n(result.options.rate)}/s` : 'uncapped'}`,
    `  posted       ${n(result.posted)} posted, ${n(result.accepted)} accepted (202)` +
      (refused.length > 0 ? `, refused: ${refused.join(', ')}` : '') +
      (result.networkErrors > 0 ? `, ${n(result.networkErrors)} failed to reach ingestion` : ''),
    `  ingestion    ${result.acceptedPerSecond === null ? 'n/a' : `${n(result.acceptedPerSecond)} leads/s accepted`} (${n(result.postingSeconds, 2)} s from first post to last 202)`,
    `  end to end   ${result.endToEndPerSecond === null ? 'n/a' : `${n(result.endToEndPerSecond)} leads/s`}` +
      (result.endToEndSeconds === null ? '' : ` (${n(result.endToEndSeconds, 2)} s from first post to last lead.assigned recorded)`),
    `  assigned     ${n(result.assigned)} of ${n(result.accepted)}` + (result.missing > 0 ? `; ${n(result.missing)} not assigned within ${result.options.timeoutSeconds} s` : ''),
    result.latencyMs
      ? `  latency      post -> lead.assigned recorded: p50 ${ms(result.latencyMs.p50)}, p95 ${ms(result.latencyMs.p95)}, p99 ${ms(result.latencyMs.p99)} (min ${ms(result.latencyMs.min)}, max ${ms(result.latencyMs.max)})`
      : '  latency      n/a (no lead was assigned)',
  ];
  const services = Object.entries(result.memory);
  if (services.length === 0) {
    lines.push('  memory       n/a (no service pids: the stack was not started by npm start on this machine; use `docker stats` for containers)');
  } else {
    const width = Math.max(...services.map(([service]) => service.length));
    lines.push(`  memory       ${'service'.padEnd(width)}  ${'peak RSS'.padStart(11)}  ${'now'.padStart(11)}   (peak = VmHWM since the service started)`);
    for (const [service, memory] of services) {
      const figures = 'unavailable' in memory ? memory.unavailable : `${mib(memory.peakRssBytes).padStart(11)}  ${mib(memory.currentRssBytes).padStart(11)}`;
      lines.push(`               ${service.padEnd(width)}  ${figures}`);
    }
  }
  if (errorSamples.length > 0) lines.push('  first errors', ...errorSamples.map((sample) => `    ${sample}`));
  return lines.join('\n');
}

// ---- helpers --------------------------------------------------------------------------------------

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** fetch and pg wrap the interesting part (ECONNREFUSED, ENOTFOUND...) in `cause`. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? (error as NodeJS.ErrnoException).code;
  const message = cause?.message || error.message || error.name;
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof BenchTargetError) {
      console.error(`bench: ${error.message}`);
      process.exit(2);
    }
    console.error('bench failed:', error);
    process.exit(1);
  },
);
