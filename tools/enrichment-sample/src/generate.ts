// node tools/run-ts.mjs tools/enrichment-sample/src/generate.ts --out companies.csv [--count 50000] [--seed N] [--if-missing]
import { DEFAULT_SAMPLE_COUNT, DEFAULT_SAMPLE_SEED, writeCompanySample } from './write-company-sample';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let out: string | undefined;
  let count = DEFAULT_SAMPLE_COUNT;
  let seed = DEFAULT_SAMPLE_SEED;
  let ifMissing = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const value = (): string => {
      const next = args[++index];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--out') out = value();
    else if (arg === '--count') count = wholeNumber('--count', value());
    else if (arg === '--seed') seed = wholeNumber('--seed', value());
    else if (arg === '--if-missing') ifMissing = true;
    else throw new Error(`unknown argument ${arg}; usage: --out <file.csv> [--count N] [--seed N] [--if-missing]`);
  }
  if (!out) throw new Error('--out <file.csv> is required');
  const result = await writeCompanySample(out, { count, seed, ifMissing });
  process.stdout.write(result.written ? `wrote ${count} sample companies (seed ${seed}) to ${out}\n` : `sample companies already in ${out}, kept\n`);
}

function wholeNumber(name: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`${name} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
