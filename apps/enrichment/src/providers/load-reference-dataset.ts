// Loads a companies CSV into the enrichment schema's reference dataset (applying enrichment's
// migrations first), or says it is already there. `npm start` runs it with the generated sample.
//   DATABASE_URL=postgres://... node tools/run-ts.mjs apps/enrichment/src/providers/load-reference-dataset.ts <file.csv> [--source <name>] [--force]
import { createServiceDataSource } from '@leadstream/platform-persistence';
import { stageMigrations } from '@leadstream/platform-stage';
import { ENRICHMENT_MIGRATIONS } from '../persistence/migrations';
import { loadReferenceDataset } from './reference-dataset.loader';

const SCHEMA = 'enrichment';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let file: string | undefined;
  let source: string | undefined;
  let force = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--force') force = true;
    else if (arg === '--source') source = args[++index];
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}; usage: <file.csv> [--source <name>] [--force]`);
    else file = arg;
  }
  if (!file) throw new Error('usage: load-reference-dataset <file.csv> [--source <name>] [--force]');
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is not set: it names the PostgreSQL database enrichment uses');
  const started = performance.now();
  const dataSource = await createServiceDataSource(
    { url, schema: SCHEMA, applicationName: 'leadstream-enrichment:reference-loader', retry: { initialMs: 250, maxMs: 2_000, maxAttempts: 20 } },
    { migrations: [...stageMigrations(SCHEMA), ...ENRICHMENT_MIGRATIONS] },
  );
  try {
    const result = await loadReferenceDataset(dataSource, file, { source, force });
    const ms = Math.round(performance.now() - started);
    if (result.status === 'already-loaded') {
      process.stdout.write(`reference dataset ${result.source}: already loaded (${result.rows} companies, sha256 ${result.sha256.slice(0, 12)}), skipped in ${ms} ms\n`);
    } else {
      process.stdout.write(`reference dataset ${result.source}: ${result.rows} companies loaded, ${result.rejectedCount} rows rejected, in ${ms} ms\n`);
      for (const rejected of result.rejected.slice(0, 10)) process.stdout.write(`  line ${rejected.line}: ${rejected.reason}\n`);
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`reference dataset not loaded: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
