/** Command-line options of `npm run bench`, parsed without dependencies so mistakes get a clear message. */
export interface BenchOptions {
  /** How many leads to post. */
  readonly leads: number;
  /** How many requests may be in flight at once. */
  readonly concurrency: number;
  /** Upper bound on posts per second; undefined posts as fast as the concurrency allows. */
  readonly rate: number | undefined;
  /** How long to wait, after the last post, for every lead's lead.assigned event. */
  readonly timeoutSeconds: number;
  /** Where `npm start` wrote the running stack's addresses and pids. */
  readonly stackFile: string;
  /** Print the figures as one JSON object instead of a table. */
  readonly json: boolean;
  readonly help: boolean;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  leads: 10_000,
  concurrency: 64,
  rate: undefined,
  timeoutSeconds: 120,
  stackFile: '.data/stack.json',
  json: false,
  help: false,
};

export const USAGE = `usage: npm run bench -- [options]

Posts leads to the running stack's ingestion service and waits for each lead's lead.assigned event
in the analytics event log, then prints throughput, latency percentiles and memory per service.

  --leads N        leads to post (default ${DEFAULT_OPTIONS.leads})
  --concurrency C  requests in flight at once (default ${DEFAULT_OPTIONS.concurrency})
  --rate R         cap on posts per second, e.g. 1000 for the latency goal (default: no cap)
  --timeout-s S    seconds to wait after the last post for all leads to be assigned (default ${DEFAULT_OPTIONS.timeoutSeconds})
  --stack FILE     stack description written by npm start (default ${DEFAULT_OPTIONS.stackFile})
  --json           print the result as JSON
  --help           this text

Environment: INGESTION_URL and DATABASE_URL override (or replace) the addresses in the stack file.`;

/** A command line that cannot be run; the message says which option and why. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

type NumericOption = 'leads' | 'concurrency' | 'rate' | 'timeoutSeconds';

const VALUE_FLAGS: Record<string, NumericOption | 'stackFile'> = {
  '--leads': 'leads',
  '--concurrency': 'concurrency',
  '--rate': 'rate',
  '--timeout-s': 'timeoutSeconds',
  '--stack': 'stackFile',
};
const BOOLEAN_FLAGS: Record<string, 'json' | 'help'> = { '--json': 'json', '--help': 'help', '-h': 'help' };

/** Integer options; the others accept decimals (a rate of 2.5/s or a timeout of 0.5 s are meaningful). */
const INTEGER_OPTIONS = new Set<NumericOption>(['leads', 'concurrency']);

/** Parses `process.argv.slice(2)`. Accepts `--flag value` and `--flag=value`. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const options: { -readonly [K in keyof BenchOptions]: BenchOptions[K] } = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const [flag, inlineValue] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];

    const booleanKey = BOOLEAN_FLAGS[flag];
    if (booleanKey) {
      if (inlineValue !== undefined) throw new BenchUsageError(`${flag} takes no value, got '${arg}'`);
      options[booleanKey] = true;
      continue;
    }

    const key = VALUE_FLAGS[flag];
    if (!key) {
      const known = [...Object.keys(VALUE_FLAGS), ...Object.keys(BOOLEAN_FLAGS)].join(', ');
      throw new BenchUsageError(`unknown option '${arg}'; known options: ${known}`);
    }
    let value = inlineValue;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new BenchUsageError(`${flag} needs a value`);
      value = next;
      i += 1;
    }
    if (key === 'stackFile') {
      if (value.trim() === '') throw new BenchUsageError(`${flag} needs a file path`);
      options.stackFile = value;
    } else {
      options[key] = parsePositiveNumber(flag, value, INTEGER_OPTIONS.has(key));
    }
  }
  return options;
}

function parsePositiveNumber(flag: string, raw: string, integer: boolean): number {
  const text = raw.trim();
  const value = Number(text);
  const wellFormed = integer ? /^\d+$/.test(text) : /^\d+(\.\d+)?$/.test(text);
  if (!wellFormed || !Number.isFinite(value) || value <= 0) {
    throw new BenchUsageError(`${flag} must be a positive ${integer ? 'integer' : 'number'}, got '${raw}'`);
  }
  return value;
}
