// `npm run import -- <file.csv> [--url URL] [--key KEY] [--json]`: uploads a CSV file of leads to
// ingestion, shows a progress bar until the import completes, then prints the counts. See README.md.
import { performance } from 'node:perf_hooks';
import { ENCODING_NAMES, ImportCliError, encodingName, resolveImportTarget, uploadCsvFile, waitForImport, type ImportStatus } from './import-client';
import { ProgressReporter } from './progress-bar';

export const USAGE = `usage: npm run import -- <file.csv> [--url URL] [--key KEY] [--encoding NAME] [--json]

Uploads a CSV file of leads to ingestion (POST /v1/imports, streamed, with its file name), shows progress
until the import completes, and prints rows read, accepted and rejected. The first line of the file is
its header; its delimiter (comma, semicolon or tab) is detected from it.

  --url URL        ingestion's address (default: INGESTION_URL, else .data/stack.json, else http://127.0.0.1:3101)
  --key KEY        API key with the ingest and read scopes (default: LEADSTREAM_API_KEY, else .data/api-key)
  --encoding NAME  the file's encoding: ${ENCODING_NAMES.join(', ')} (also utf8, cp1252, latin1);
                   default: detected by ingestion (UTF-8, else Windows-1252 or ISO-8859-1)
  --json           print the final status as JSON on stdout
  --help      this text

Exit status: 0 completed, 1 the import failed or ingestion refused it, 2 bad command line.`;

export interface CliOptions {
  readonly file?: string;
  readonly url?: string;
  readonly key?: string;
  readonly encoding?: string;
  readonly json: boolean;
  readonly help: boolean;
}

export class CliUsageError extends Error {}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const options: { file?: string; url?: string; key?: string; encoding?: string; json: boolean; help: boolean } = { json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (flag === '--help' || flag === '-h') options.help = true;
    else if (flag === '--json') options.json = true;
    else if (flag === '--url' || flag === '--key' || flag === '--encoding') {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) throw new CliUsageError(`${flag} needs a value`);
      if (flag === '--url') options.url = value;
      else if (flag === '--key') options.key = value;
      else {
        const encoding = encodingName(value);
        if (encoding === undefined) throw new CliUsageError(`--encoding ${value}: ingestion reads ${ENCODING_NAMES.join(', ')} (also named utf8, cp1252, latin1)`);
        options.encoding = encoding;
      }
    } else if (arg.startsWith('--')) {
      throw new CliUsageError(`unknown option '${arg}'; known options: --url, --key, --encoding, --json, --help`);
    } else if (options.file === undefined) {
      options.file = arg;
    } else {
      throw new CliUsageError(`one file at a time: got '${options.file}' and '${arg}'`);
    }
  }
  return options;
}

function summary(status: ImportStatus, seconds: number): string {
  const n = (value: number): string => value.toLocaleString('en-US');
  const lines = [
    `import ${status.importId} ${status.status} in ${seconds.toFixed(1)} s`,
    `  rows read ${n(status.rowsRead)}, accepted ${n(status.accepted)}, rejected ${n(status.rejected)}`,
  ];
  if (status.encoding !== undefined) {
    const read = [`encoding ${status.encoding}${status.encodingSource === 'detected' ? ' (detected)' : ''}`];
    if (status.delimiterName !== undefined) read.push(`delimiter ${status.delimiterName}`);
    lines.push(`  read as ${read.join(', ')}`);
  }
  if (status.note) lines.push(`  note: ${status.note}`);
  return lines.join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    console.error(`import: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (!options.file) {
    console.error(`import: name the CSV file to import\n\n${USAGE}`);
    return 2;
  }
  try {
    const target = resolveImportTarget({ url: options.url, key: options.key });
    const started = performance.now();
    const elapsed = (): number => (performance.now() - started) / 1000;
    process.stderr.write(`uploading ${options.file} to ${target.url} ...\n`);
    const { importId, bytes } = await uploadCsvFile(target, options.file, options.encoding === undefined ? {} : { encoding: options.encoding });
    process.stderr.write(`uploaded ${bytes.toLocaleString('en-US')} bytes in ${elapsed().toFixed(1)} s; import ${importId}\n`);
    const reporter = new ProgressReporter(process.stderr);
    const final = await waitForImport(target, importId, (status) => reporter.update(status, elapsed()));
    reporter.update(final, elapsed(), true);
    reporter.done();
    if (options.json) console.log(JSON.stringify(final));
    else console.log(summary(final, elapsed()));
    if (final.status === 'failed') {
      console.error(`import failed: ${final.error ?? 'no reason given'}`);
      return 1;
    }
    if (final.rejected > 0) console.error(`rejected rows, with line and reason: GET ${target.url}/v1/imports/${importId}/rejected`);
    return 0;
  } catch (error) {
    if (error instanceof ImportCliError) {
      console.error(`import: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

// Run directly (dist) or through tools/run-ts.mjs, which requires this file as the entry it names in argv[1].
if (require.main === module || process.argv[1] === __filename) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`import: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
    },
  );
}
