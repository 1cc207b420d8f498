// Ingestion throughput: `npm run bench:ingest -- [--leads N] [--concurrency C] [--batches B] [--rows R] [--only single,batch,csv]`.
// Against the running stack (.data/stack.json + the API key): accepted leads/s through POST /v1/leads and
// POST /v1/leads/batch, CSV rows/s for a generated file imported with the import CLI's upload function,
// and ingestion's resident memory. Prints figures; asserts nothing. See tools/bench/README.md.
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the CLI's own upload code, so the benchmark measures what users run
import { ImportCliError, dataDirectory, resolveImportTarget, uploadCsvFile, waitForImport, type ImportTarget } from '../../import-cli/src/import-client';
import { generateLead, type GeneratedLead } from './lead-generator';
import { parseStackFile } from './bench-target';
import { readProcessCpuSeconds, readProcessMemory } from './process-memory';

export interface IngestBenchOptions {
  readonly leads: number;
  readonly concurrency: number;
  readonly batches: number;
  readonly batchSize: number;
  readonly batchConcurrency: number;
  readonly rows: number;
  readonly only: ReadonlySet<'single' | 'batch' | 'csv'>;
  readonly url?: string;
  readonly key?: string;
  readonly json: boolean;
  readonly help: boolean;
}

export const INGEST_USAGE = `usage: npm run bench:ingest -- [options]

Measures ingestion against the running stack (npm start): accepted leads/s through POST /v1/leads and
POST /v1/leads/batch, CSV rows/s for a generated file (upload start to import completed), and the peak
resident memory of the ingestion process during the CSV import.

  --leads N             leads for the single endpoint (default 5000)
  --concurrency C       single-endpoint requests in flight (default 64)
  --batches B           batch calls (default 20)
  --batch-size S        leads per batch call (default 1000)
  --batch-concurrency C batch calls in flight (default 4)
  --rows R              rows of the generated CSV file (default 1000000)
  --only LIST           some of single,batch,csv (default all three)
  --url URL / --key K   ingestion and API key (default as npm run import: .data/stack.json, .data/api-key)
  --json                print the figures as JSON
  --help                this text`;

export function parseIngestBenchArgs(argv: readonly string[]): IngestBenchOptions {
  const options = {
    leads: 5_000,
    concurrency: 64,
    batches: 20,
    batchSize: 1_000,
    batchConcurrency: 4,
    rows: 1_000_000,
    only: new Set<'single' | 'batch' | 'csv'>(['single', 'batch', 'csv']),
    url: undefined as string | undefined,
    key: undefined as string | undefined,
    json: false,
    help: false,
  };
  const numeric: Record<string, 'leads' | 'concurrency' | 'batches' | 'batchSize' | 'batchConcurrency' | 'rows'> = {
    '--leads': 'leads',
    '--concurrency': 'concurrency',
    '--batches': 'batches',
    '--batch-size': 'batchSize',
    '--batch-concurrency': 'batchConcurrency',
    '--rows': 'rows',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const take = (): string => {
      const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
      return value;
    };
    if (flag === '--json') options.json = true;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else if (flag === '--url') options.url = take();
    else if (flag === '--key') options.key = take();
    else if (flag === '--only') {
      const parts = take().split(',').map((part) => part.trim());
      const bad = parts.filter((part) => !['single', 'batch', 'csv'].includes(part));
      if (bad.length > 0 || parts.length === 0) throw new Error(`--only takes some of single,batch,csv, got '${parts.join(',')}'`);
      options.only = new Set(parts as ('single' | 'batch' | 'csv')[]);
    } else if (numeric[flag]) {
      const raw = take();
      if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${flag} must be a positive integer, got '${raw}'`);
      options[numeric[flag]] = Number(raw);
    } else throw new Error(`unknown option '${arg}'`);
  }
  return options;
}

interface PostFigures {
  readonly leads: number;
  readonly accepted: number;
  readonly refused: Record<string, number>;
  readonly seconds: number;
  readonly acceptedPerSecond: number;
  readonly skipped?: string;
  readonly sampleError?: string;
}

const round = (value: number): number => Math.round(value);

/** Runs `count` tasks with at most `concurrency` at once. */
async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function postJson(target: ImportTarget, pathName: string, body: unknown): Promise<{ status: number; text: string }> {
  try {
    const response = await fetch(`${target.url}${pathName}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.apiKey}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    return { status: 0, text: error instanceof Error ? error.message : String(error) };
  }
}

async function benchSingle(target: ImportTarget, options: IngestBenchOptions, runId: string): Promise<PostFigures> {
  const refused: Record<string, number> = {};
  let accepted = 0;
  let sampleError: string | undefined;
  const started = performance.now();
  await pool(options.leads, options.concurrency, async (index) => {
    const { status, text } = await postJson(target, '/v1/leads', generateLead(`s${runId}`, index));
    if (status === 202) accepted++;
    else {
      refused[String(status)] = (refused[String(status)] ?? 0) + 1;
      sampleError ??= `${status}: ${text.slice(0, 200)}`;
    }
  });
  const seconds = (performance.now() - started) / 1000;
  return { leads: options.leads, accepted, refused, seconds, acceptedPerSecond: round(accepted / seconds), sampleError };
}

async function benchBatch(target: ImportTarget, options: IngestBenchOptions, runId: string): Promise<PostFigures> {
  const probe = await postJson(target, '/v1/leads/batch', { leads: [generateLead(`p${runId}`, 0)] });
  if (probe.status === 404) {
    return { leads: 0, accepted: 0, refused: {}, seconds: 0, acceptedPerSecond: 0, skipped: 'POST /v1/leads/batch answered 404: the batch endpoint is not in this build' };
  }
  const refused: Record<string, number> = {};
  let accepted = 0;
  let sampleError: string | undefined;
  const started = performance.now();
  await pool(options.batches, options.batchConcurrency, async (batch) => {
    const leads: GeneratedLead[] = [];
    for (let i = 0; i < options.batchSize; i++) leads.push(generateLead(`b${runId}`, batch * options.batchSize + i));
    const { status, text } = await postJson(target, '/v1/leads/batch', { leads });
    if (status === 200 || status === 202 || status === 207) {
      const body = JSON.parse(text) as { results?: { leadId?: string }[] } | { leadId?: string }[];
      const results = Array.isArray(body) ? body : (body.results ?? []);
      accepted += results.filter((result) => typeof result.leadId === 'string').length;
    } else {
      refused[String(status)] = (refused[String(status)] ?? 0) + options.batchSize;
      sampleError ??= `${status}: ${text.slice(0, 200)}`;
    }
  });
  const seconds = (performance.now() - started) / 1000;
  const leads = options.batches * options.batchSize;
  return { leads, accepted, refused, seconds, acceptedPerSecond: round(accepted / seconds), sampleError };
}

const CSV_COLUMNS: (keyof GeneratedLead)[] = ['email', 'firstName', 'lastName', 'company', 'title', 'phone', 'country', 'source', 'campaign'];

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes a CSV file of `rows` generated leads, streaming (never more than one block in memory). */
export async function writeLeadsCsv(file: string, rows: number, runId: string): Promise<number> {
  const out = createWriteStream(file);
  out.write(`${CSV_COLUMNS.join(',')}\r\n`);
  const block = 5_000;
  for (let start = 0; start < rows; start += block) {
    let text = '';
    for (let i = start; i < Math.min(rows, start + block); i++) {
      const lead = generateLead(runId, i);
      text += `${CSV_COLUMNS.map((column) => csvField(lead[column])).join(',')}\r\n`;
    }
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

interface CsvFigures {
  readonly rows: number;
  readonly bytes: number;
  readonly status: string;
  readonly accepted: number;
  readonly rejected: number;
  readonly uploadSeconds: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly error?: string;
  readonly maxRssMb?: number;
  readonly rssSamples: number;
  /** CPU seconds each stack service used from upload start to completed (from /proc/<pid>/stat). */
  readonly cpuSeconds: Readonly<Record<string, number>>;
}

function stackProcesses(env: NodeJS.ProcessEnv): { processes: readonly { service: string; pid: number }[]; why?: string } {
  const stackFile = path.join(dataDirectory(env), 'stack.json');
  if (!existsSync(stackFile)) return { processes: [], why: `${stackFile} does not exist` };
  try {
    const processes = parseStackFile(readFileSync(stackFile, 'utf8'), stackFile).processes;
    return processes.some((entry) => entry.service === 'ingestion') ? { processes } : { processes, why: `${stackFile} names no ingestion pid` };
  } catch (error) {
    return { processes: [], why: error instanceof Error ? error.message : String(error) };
  }
}

function cpuOf(processes: readonly { service: string; pid: number }[]): Map<string, number> {
  const used = new Map<string, number>();
  for (const { service, pid } of processes) {
    const seconds = readProcessCpuSeconds(pid);
    if (seconds !== undefined) used.set(service, seconds);
  }
  return used;
}

const MB = 1024 * 1024;

async function benchCsv(target: ImportTarget, options: IngestBenchOptions, runId: string, processes: readonly { service: string; pid: number }[]): Promise<CsvFigures> {
  const pid = processes.find((entry) => entry.service === 'ingestion')?.pid;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-ingest-'));
  const file = path.join(dir, 'leads.csv');
  try {
    process.stderr.write(`generating ${options.rows.toLocaleString('en-US')} rows in ${file} ...\n`);
    await writeLeadsCsv(file, options.rows, `c${runId}`);
    let maxRss = 0;
    let samples = 0;
    const sample = (): void => {
      if (pid === undefined) return;
      const memory = readProcessMemory(pid);
      if ('currentRssBytes' in memory) {
        maxRss = Math.max(maxRss, memory.currentRssBytes);
        samples++;
      }
    };
    sample();
    const timer = setInterval(sample, 1_000);
    const cpuBefore = cpuOf(processes);
    const started = performance.now();
    try {
      const { importId, bytes } = await uploadCsvFile(target, file);
      const uploadSeconds = (performance.now() - started) / 1000;
      process.stderr.write(`uploaded ${(bytes / MB).toFixed(1)} MB in ${uploadSeconds.toFixed(1)} s; import ${importId}\n`);
      let lastReport = 0;
      const final = await waitForImport(target, importId, (status) => {
        if (performance.now() - lastReport > 5_000) {
          lastReport = performance.now();
          process.stderr.write(`  ${status.rowsRead.toLocaleString('en-US')} rows (${Math.round(status.progress * 100)}%)\n`);
        }
      });
      const seconds = (performance.now() - started) / 1000;
      sample();
      const cpuSeconds: Record<string, number> = {};
      for (const [service, after] of cpuOf(processes)) {
        const before = cpuBefore.get(service);
        if (before !== undefined) cpuSeconds[service] = Math.round((after - before) * 10) / 10;
      }
      return {
        rows: options.rows,
        bytes,
        status: final.status,
        accepted: final.accepted,
        rejected: final.rejected,
        uploadSeconds,
        seconds,
        rowsPerSecond: round(final.rowsRead / seconds),
        error: final.error,
        maxRssMb: samples > 0 ? Math.round((maxRss / MB) * 10) / 10 : undefined,
        rssSamples: samples,
        cpuSeconds,
      };
    } finally {
      clearInterval(timer);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printPost(name: string, figures: PostFigures): void {
  if (figures.skipped) {
    console.log(`${name}: skipped (${figures.skipped})`);
    return;
  }
  const refused = Object.entries(figures.refused).map(([status, count]) => `${count} x ${status}`).join(', ');
  console.log(
    `${name}: ${figures.accepted.toLocaleString('en-US')} of ${figures.leads.toLocaleString('en-US')} leads accepted in ${figures.seconds.toFixed(1)} s = ${figures.acceptedPerSecond.toLocaleString('en-US')} leads/s${refused ? `; refused: ${refused} (first: ${figures.sampleError})` : ''}`,
  );
}

async function main(argv: readonly string[]): Promise<number> {
  let options: IngestBenchOptions;
  try {
    options = parseIngestBenchArgs(argv);
  } catch (error) {
    console.error(`bench:ingest: ${(error as Error).message}\n\n${INGEST_USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(INGEST_USAGE);
    return 0;
  }
  let target: ImportTarget;
  try {
    target = resolveImportTarget({ url: options.url, key: options.key });
  } catch (error) {
    console.error(`bench:ingest: ${(error as Error).message}`);
    return 2;
  }
  const ready = await fetch(`${target.url}/health/ready`).then(
    (response) => response.status,
    () => 0,
  );
  if (ready !== 200) {
    console.error(`bench:ingest: ingestion at ${target.url} is ${ready === 0 ? 'not reachable' : `not ready (${ready})`}; start the stack with npm start and wait for "Leadstream is ready"`);
    return 2;
  }
  const { processes, why } = stackProcesses(process.env);
  const pid = processes.find((entry) => entry.service === 'ingestion')?.pid;
  const runId = Date.now().toString(36);
  const result: Record<string, unknown> = { ingestionUrl: target.url, cpus: os.cpus().length };
  console.log(`bench:ingest against ${target.url} (${os.cpus().length} CPUs)`);
  try {
    if (options.only.has('single')) {
      process.stderr.write(`single endpoint: ${options.leads} leads, ${options.concurrency} in flight ...\n`);
      const single = await benchSingle(target, options, runId);
      result['single'] = single;
      printPost('POST /v1/leads      ', single);
    }
    if (options.only.has('batch')) {
      process.stderr.write(`batch endpoint: ${options.batches} x ${options.batchSize} leads, ${options.batchConcurrency} in flight ...\n`);
      const batch = await benchBatch(target, options, runId);
      result['batch'] = batch;
      printPost('POST /v1/leads/batch', batch);
    }
    if (options.only.has('csv')) {
      const csv = await benchCsv(target, options, runId, processes);
      result['csv'] = csv;
      console.log(
        `CSV import: ${csv.rows.toLocaleString('en-US')} rows (${(csv.bytes / MB).toFixed(1)} MB) ${csv.status} in ${csv.seconds.toFixed(1)} s (upload ${csv.uploadSeconds.toFixed(1)} s) = ${csv.rowsPerSecond.toLocaleString('en-US')} rows/s; accepted ${csv.accepted.toLocaleString('en-US')}, rejected ${csv.rejected.toLocaleString('en-US')}${csv.error ? `; error: ${csv.error}` : ''}`,
      );
      console.log(
        csv.maxRssMb !== undefined
          ? `ingestion RSS during the import: max ${csv.maxRssMb} MB (${csv.rssSamples} samples of VmRSS, one a second)`
          : `ingestion RSS: not sampled (${why ?? 'no pid'})`,
      );
      const cpu = Object.entries(csv.cpuSeconds);
      if (cpu.length > 0) {
        // The import's rate depends on what else runs: with the whole pipeline working off the rows as they
        // arrive, the services share the CPUs. This says how they shared them.
        const available = Math.round(csv.seconds * os.cpus().length * 10) / 10;
        console.log(`CPU used during the import (s): ${cpu.map(([service, seconds]) => `${service} ${seconds}`).join(', ')}; the ${os.cpus().length} CPUs had ${available} s`);
      }
    }
  } catch (error) {
    if (error instanceof ImportCliError) {
      console.error(`bench:ingest: ${error.message}`);
      return 1;
    }
    throw error;
  }
  if (pid !== undefined) {
    const memory = readProcessMemory(pid);
    if ('peakRssBytes' in memory) {
      result['ingestionPeakRssMb'] = Math.round((memory.peakRssBytes / MB) * 10) / 10;
      console.log(`ingestion peak RSS since it started (VmHWM, pid ${pid}): ${result['ingestionPeakRssMb']} MB`);
    } else console.log(`ingestion memory: ${memory.unavailable}`);
  } else console.log(`ingestion memory: not available (${why})`);
  if (options.json) console.log(JSON.stringify(result));
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`bench:ingest: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
    },
  );
}
