import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_COLUMN_ALIASES, validateColumnAliases, type ColumnAliases } from '@leadstream/domain-intake';

/** How CSV imports are stored and processed, from the environment (every value has a default). */
export interface ImportSettings {
  /** Where uploads are spooled before (and while) they are processed. */
  readonly directory: string;
  /** Largest upload accepted, in bytes; larger ones answer 413. */
  readonly maxBytes: number;
  /** Column name aliases per lead field (defaults merged with INGESTION_COLUMN_ALIASES_FILE). */
  readonly aliases: ColumnAliases;
  /** Rows published and committed together. */
  readonly chunkRows: number;
  /**
   * Chunks being published at once while the next is read; after a crash (not a graceful stop, which
   * records them) these chunks are published again, with the same event ids.
   */
  readonly chunksInFlight: number;
  /**
   * How often each replica looks for `running` imports that no replica holds (whose replica stopped or
   * died) to take them over, in milliseconds; the first scan, at start-up, resumes them.
   */
  readonly scanMs: number;
}

export const IMPORT_SETTINGS = Symbol('IMPORT_SETTINGS');

const GIB = 1024 ** 3;

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw new Error(`${name} must be a positive integer, got '${raw}'`);
  }
  return Number(raw);
}

/**
 * Reads INGESTION_IMPORT_DIR (default `imports` in LEADSTREAM_DATA_DIR, else `.data/imports` under the working directory),
 * INGESTION_MAX_IMPORT_BYTES (default 2 GiB), INGESTION_IMPORT_CHUNK_ROWS (default 1,000),
 * INGESTION_IMPORT_CHUNKS_IN_FLIGHT (default 3) and
 * INGESTION_COLUMN_ALIASES_FILE (a JSON object of field -> column names, added to the built-in aliases).
 * A value that cannot be used stops the service with a message naming it.
 */
export function readImportSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ImportSettings {
  const dataDir = env['LEADSTREAM_DATA_DIR']?.trim() || '.data';
  const directory = path.resolve(cwd, env['INGESTION_IMPORT_DIR']?.trim() || path.join(dataDir, 'imports'));
  return {
    directory,
    maxBytes: positiveInteger(env, 'INGESTION_MAX_IMPORT_BYTES', 2 * GIB),
    chunkRows: positiveInteger(env, 'INGESTION_IMPORT_CHUNK_ROWS', 1_000),
    chunksInFlight: positiveInteger(env, 'INGESTION_IMPORT_CHUNKS_IN_FLIGHT', 3),
    scanMs: positiveInteger(env, 'INGESTION_IMPORT_SCAN_MS', 15_000),
    aliases: readAliases(env['INGESTION_COLUMN_ALIASES_FILE']?.trim()),
  };
}

function readAliases(file: string | undefined): ColumnAliases {
  if (!file) return DEFAULT_COLUMN_ALIASES;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`INGESTION_COLUMN_ALIASES_FILE ${file}: cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  let configured: ColumnAliases;
  try {
    configured = validateColumnAliases(raw);
  } catch (error) {
    throw new Error(`INGESTION_COLUMN_ALIASES_FILE ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // The configured names come first, so they win where one also appears among the defaults.
  const merged: Record<string, readonly string[]> = { ...DEFAULT_COLUMN_ALIASES };
  for (const [field, names] of Object.entries(configured)) merged[field] = [...(names ?? []), ...(merged[field] ?? [])];
  return merged as ColumnAliases;
}
