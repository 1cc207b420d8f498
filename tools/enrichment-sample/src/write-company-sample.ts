import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { generateCompanies, SAMPLE_CSV_HEADER, sampleCsvLine } from './company-sample';

export const DEFAULT_SAMPLE_COUNT = 50_000;
export const DEFAULT_SAMPLE_SEED = 20_260_501;

export interface SampleOptions {
  readonly count?: number;
  readonly seed?: number;
  /** Keep a file that is already there (the same seed would write the same bytes). */
  readonly ifMissing?: boolean;
}

/**
 * Writes the sample CSV to `file` (through a temporary file renamed into place, so an interrupted run
 * never leaves half a file that a later start would take as complete). Returns whether it wrote.
 */
export async function writeCompanySample(file: string, options: SampleOptions = {}): Promise<{ written: boolean; count: number }> {
  const count = options.count ?? DEFAULT_SAMPLE_COUNT;
  if (options.ifMissing && existsSync(file)) return { written: false, count };
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  const out = createWriteStream(partial);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let buffer = `${SAMPLE_CSV_HEADER}\n`;
  for (const company of generateCompanies(count, options.seed ?? DEFAULT_SAMPLE_SEED)) {
    buffer += `${sampleCsvLine(company)}\n`;
    if (buffer.length > 64 * 1024) {
      await write(buffer);
      buffer = '';
    }
  }
  await write(buffer);
  out.end();
  await once(out, 'close');
  renameSync(partial, file);
  return { written: true, count };
}
