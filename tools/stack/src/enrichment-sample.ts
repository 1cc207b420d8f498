// The enrichment reference dataset at `npm start`: the generated sample of companies (written once
// into the data directory) or the CSV named by ENRICHMENT_REFERENCE_CSV, loaded into enrichment's
// schema by its loader command, which skips a file it has already loaded. Separate processes: the
// generator is a tool and the loader is enrichment's own code, neither of which the launcher imports.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { nodeArgsFor } from './processes';

const run = promisify(execFile);

/**
 * Never rejects: enrichment works without a reference dataset (it finds no firmographics), so a failed
 * load is reported and the stack starts all the same.
 */
export async function loadEnrichmentReference(root: string, dataDir: string, databaseUrl: string, say: (message: string) => void): Promise<void> {
  const configured = process.env['ENRICHMENT_REFERENCE_CSV']?.trim();
  if (configured === 'none') {
    say('enrichment reference dataset: not loaded (ENRICHMENT_REFERENCE_CSV=none)');
    return;
  }
  const file = configured ? path.resolve(configured) : path.join(dataDir, 'enrichment', 'companies-sample.csv');
  const relay = (output: string): void => {
    for (const line of output.split('\n')) if (line.trim()) say(`enrichment: ${line}`);
  };
  try {
    if (!configured) {
      const generated = await run(process.execPath, [...nodeArgsFor(root, 'tools/enrichment-sample/src/generate.ts'), '--out', file, '--if-missing'], { cwd: root });
      if (!generated.stdout.includes('already in')) relay(generated.stdout);
    }
    const loaded = await run(process.execPath, [...nodeArgsFor(root, 'apps/enrichment/src/providers/load-reference-dataset.ts'), file], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    relay(loaded.stdout);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    say(`enrichment reference dataset not loaded (enrichment runs without firmographics): ${stderr || (error as Error).message}`);
  }
}
