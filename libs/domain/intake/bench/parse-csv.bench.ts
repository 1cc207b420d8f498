// CSV intake throughput: parse + map header + validate (createCsvLeadReader), 1,000,000 generated rows fed in 64 KiB chunks.
// The rows are generated chunk by chunk, never held whole; only the intake work is timed. With a second
// argument, the reader resumes after that line (as an import taken over after a crash): those lines are
// scanned only.
//   node tools/run-ts.mjs libs/domain/intake/bench/parse-csv.bench.ts [rows] [resumeAfterLine]
import { createCsvLeadReader, type CsvLeadOutcome } from '../src';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const RESUME_AFTER_LINE = Number(process.argv[3] ?? 0);
const CHUNK_BYTES = 64 * 1024;
const encoder = new TextEncoder();

const FIRST = ['Ada', 'Grace', 'Linus', 'Zoë', 'Margaret', 'José', 'Ken', 'Barbara'];
const LAST = ['Lovelace', 'Hopper', 'Torvalds', 'Ødegaard', 'Hamilton', 'García', 'Thompson', 'Liskov'];
const COMPANIES = ['Acme', '"Globex, Inc."', 'Initech', '"Umbrella ""Bio"" Corp"', 'Stark Industries', 'Wayne Enterprises'];
const TITLES = ['CTO', 'Head of Marketing', 'VP Sales', 'Engineer', '"Director, Operations"'];
const COUNTRIES = ['US', 'GB', 'DE', 'France', 'Japan', 'BR'];

function row(i: number): string {
  // One row in a hundred is invalid (bad email), as in real exports.
  const email = i % 100 === 99 ? `broken-address-${i}` : `lead${i}@company${i % 5000}.example.com`;
  return [
    email,
    FIRST[i % FIRST.length],
    LAST[i % LAST.length],
    COMPANIES[i % COMPANIES.length],
    TITLES[i % TITLES.length],
    `+1 415 555 ${String(i % 10000).padStart(4, '0')}`,
    COUNTRIES[i % COUNTRIES.length],
    'webinar',
    'spring-launch',
    i % 3 === 0 ? 'https://example.com/landing?utm_source=google&utm_medium=cpc&utm_campaign=spring' : '',
  ].join(',');
}

function* chunks(): Generator<Uint8Array> {
  let text = 'Email Address,First Name,Last Name,Company Name,Job Title,Phone Number,Country,Lead Source,Campaign Name,Landing Page\r\n';
  for (let i = 0; i < ROWS; i++) {
    text += `${row(i)}\r\n`;
    if (text.length >= CHUNK_BYTES) {
      // Cut mid-record on purpose, so records straddle chunks as they do over the network.
      const bytes = encoder.encode(text);
      const cut = bytes.length - 37;
      yield bytes.subarray(0, cut);
      text = new TextDecoder().decode(bytes.subarray(cut));
    }
  }
  if (text.length > 0) yield encoder.encode(text);
}

let accepted = 0;
let rejected = 0;
let bytes = 0;
const startRss = process.memoryUsage.rss();
let peakRss = startRss;

function count(outcomes: CsvLeadOutcome[]): void {
  for (const outcome of outcomes) {
    if (outcome.kind === 'lead') accepted++;
    else if (outcome.kind === 'rejected') rejected++;
    else if (outcome.kind === 'file-error') throw new Error(outcome.message);
  }
}

// Parse + map header + validate: the reader ingestion uses for imports.
const reader = createCsvLeadReader({ resumeAfterLine: RESUME_AFTER_LINE });
// Wall time and this thread's CPU time of the reader's calls only; on a shared machine the CPU time is the steadier figure.
let busy = 0;
let cpuMicros = 0;
function timed(work: () => void): void {
  const started = performance.now();
  const cpu = process.cpuUsage();
  work();
  const used = process.cpuUsage(cpu);
  cpuMicros += used.user + used.system;
  busy += performance.now() - started;
}
for (const chunk of chunks()) {
  bytes += chunk.length;
  timed(() => count(reader.push(chunk)));
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}
timed(() => count(reader.end()));

const seconds = busy / 1000;
console.log(
  JSON.stringify({
    rows: accepted + rejected,
    resumeAfterLine: RESUME_AFTER_LINE,
    accepted,
    rejected,
    megabytes: +(bytes / 1e6).toFixed(1),
    seconds: +seconds.toFixed(2),
    cpuSeconds: +(cpuMicros / 1e6).toFixed(2),
    rowsPerSecond: Math.round((accepted + rejected) / seconds),
    megabytesPerSecond: +(bytes / 1e6 / seconds).toFixed(1),
    startRssMb: Math.round(startRss / 1e6),
    peakRssMb: Math.round(peakRss / 1e6),
  }),
);
