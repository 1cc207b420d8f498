import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

/** Something the user can fix: a missing file, an unreachable service, a refused key. The message says what. */
export class ImportCliError extends Error {
  override readonly name = 'ImportCliError';
}

export interface ImportStatus {
  readonly importId: string;
  readonly status: 'running' | 'completed' | 'failed';
  readonly rowsRead: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly progress: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly note?: string;
  readonly error?: string;
}

export interface ImportTarget {
  readonly url: string;
  readonly apiKey: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The data directory `npm start` uses: LEADSTREAM_DATA_DIR or `.data` under the working directory. */
export function dataDirectory(env: Env = process.env, cwd = process.cwd()): string {
  return path.resolve(cwd, env['LEADSTREAM_DATA_DIR']?.trim() || '.data');
}

/**
 * Where ingestion is: `--url`, else INGESTION_URL, else services.ingestion.url of the stack file
 * `npm start` writes, else http://127.0.0.1:3101. The key: `--key`, else LEADSTREAM_API_KEY, else the
 * `api-key` file `npm start` writes on first start.
 */
export function resolveImportTarget(options: { url?: string; key?: string }, env: Env = process.env, cwd = process.cwd()): ImportTarget {
  const dataDir = dataDirectory(env, cwd);
  let url = options.url?.trim() || env['INGESTION_URL']?.trim();
  const stackFile = path.join(dataDir, 'stack.json');
  if (!url && existsSync(stackFile)) {
    try {
      const stack = JSON.parse(readFileSync(stackFile, 'utf8')) as { services?: { ingestion?: { url?: unknown } } };
      const fromStack = stack.services?.ingestion?.url;
      if (typeof fromStack === 'string' && fromStack.trim() !== '') url = fromStack.trim();
    } catch {
      // A half-written or stale file: fall back to the default address; a failed request says more.
    }
  }
  url = (url || 'http://127.0.0.1:3101').replace(/\/+$/, '');
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new ImportCliError(`the ingestion URL must start with http:// or https:// (e.g. http://127.0.0.1:3101), got '${url}'`);
  }
  let apiKey = options.key?.trim() || env['LEADSTREAM_API_KEY']?.trim();
  const keyFile = path.join(dataDir, 'api-key');
  if (!apiKey && existsSync(keyFile)) {
    try {
      apiKey = readFileSync(keyFile, 'utf8').trim();
    } catch (error) {
      throw new ImportCliError(`cannot read the API key from ${keyFile} (${(error as NodeJS.ErrnoException).code ?? String(error)}); pass --key or set LEADSTREAM_API_KEY`);
    }
  }
  if (!apiKey) {
    throw new ImportCliError(`no API key: pass --key <key>, set LEADSTREAM_API_KEY, or start the stack with npm start (it writes ${keyFile})`);
  }
  return { url, apiKey };
}

async function request(target: ImportTarget, pathName: string, init: RequestInit & { duplex?: 'half' } = {}): Promise<Response> {
  const headers = { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${target.apiKey}` };
  try {
    return await fetch(`${target.url}${pathName}`, { ...init, headers });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    throw new ImportCliError(`cannot reach ingestion at ${target.url} (${why}); is the stack running (npm start)? Use --url to point elsewhere`);
  }
}

async function refusal(response: Response, what: string): Promise<ImportCliError> {
  const text = await response.text().catch(() => '');
  let message = text.trim();
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (body.message !== undefined) message = Array.isArray(body.message) ? body.message.join('; ') : String(body.message);
  } catch {
    // not JSON: show the text
  }
  if (response.status === 401) return new ImportCliError(`ingestion refused the API key (401${message ? `: ${message}` : ''}); pass a valid one with --key or LEADSTREAM_API_KEY`);
  if (response.status === 403) return new ImportCliError(`the API key may not ${what} (403${message ? `: ${message}` : ''}); it needs the ingest and read scopes`);
  return new ImportCliError(`${what} failed: ingestion answered ${response.status}${message ? `: ${message}` : ''}`);
}

/**
 * Streams the file to POST /v1/imports as a text/csv body (never read whole into memory) and returns
 * the import id once ingestion stored it.
 */
export async function uploadCsvFile(target: ImportTarget, file: string): Promise<{ importId: string; bytes: number }> {
  let size: number;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) throw new ImportCliError(`${file} is not a file`);
    size = stats.size;
  } catch (error) {
    if (error instanceof ImportCliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportCliError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file} (${code ?? String(error)})`);
  }
  const body = Readable.toWeb(createReadStream(file, { highWaterMark: 256 * 1024 })) as ReadableStream<Uint8Array>;
  const response = await request(target, '/v1/imports', {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body,
    duplex: 'half',
  });
  if (response.status !== 202) throw await refusal(response, 'the upload');
  const { importId } = (await response.json()) as { importId: string };
  return { importId, bytes: size };
}

export async function importStatus(target: ImportTarget, importId: string): Promise<ImportStatus> {
  const response = await request(target, `/v1/imports/${encodeURIComponent(importId)}`);
  if (response.status !== 200) throw await refusal(response, 'reading the import status');
  return (await response.json()) as ImportStatus;
}

/** Polls the import until it is completed or failed, reporting each status seen. */
export async function waitForImport(
  target: ImportTarget,
  importId: string,
  onStatus: (status: ImportStatus) => void = () => undefined,
  intervalMs = 250,
): Promise<ImportStatus> {
  let failures = 0;
  for (;;) {
    let current: ImportStatus;
    try {
      current = await importStatus(target, importId);
      failures = 0;
    } catch (error) {
      // Ingestion restarting: the import resumes on its own; keep asking for a while.
      if (++failures >= 120) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      continue;
    }
    onStatus(current);
    if (current.status !== 'running') return current;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
