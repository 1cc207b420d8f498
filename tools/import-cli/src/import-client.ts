import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

/** Something the user can fix: a missing file, an unreachable service, a refused key. The message says what. */
export class ImportCliError extends Error {
  override readonly name = 'ImportCliError';
}

/** Ingestion refused the key (401) or its scopes (403): asking again will not help. */
export class KeyRefused extends ImportCliError {}

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
  readonly fileName?: string;
  readonly encoding?: string;
  readonly encodingSource?: 'charset' | 'detected';
  readonly delimiter?: string;
  readonly delimiterName?: string;
}

export interface ImportTarget {
  readonly url: string;
  readonly apiKey: string;
  /** Where the key came from, to say which key was refused: `--key`, LEADSTREAM_API_KEY, or the file `npm start` writes. */
  readonly keySource?: { readonly kind: 'option' | 'env' } | { readonly kind: 'file'; readonly file: string };
}

/** The encodings ingestion reads, by the names `--encoding` takes (case-insensitive). */
export const ENCODING_NAMES = ['utf-8', 'windows-1252', 'iso-8859-1'] as const;
const ENCODING_ALIASES: Readonly<Record<string, (typeof ENCODING_NAMES)[number]>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-1': 'iso-8859-1',
  latin1: 'iso-8859-1',
};

/** The encoding `--encoding NAME` names, or undefined when ingestion cannot read it. */
export function encodingName(name: string): (typeof ENCODING_NAMES)[number] | undefined {
  const key = name.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(ENCODING_ALIASES, key) ? ENCODING_ALIASES[key] : undefined;
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
  const fromOption = options.key?.trim();
  const fromEnv = env['LEADSTREAM_API_KEY']?.trim();
  let apiKey = fromOption || fromEnv;
  let keySource: ImportTarget['keySource'] = fromOption ? { kind: 'option' } : fromEnv ? { kind: 'env' } : undefined;
  const keyFile = path.join(dataDir, 'api-key');
  if (!apiKey && existsSync(keyFile)) {
    try {
      apiKey = readFileSync(keyFile, 'utf8').trim();
      keySource = { kind: 'file', file: keyFile };
    } catch (error) {
      throw new ImportCliError(`cannot read the API key from ${keyFile} (${(error as NodeJS.ErrnoException).code ?? String(error)}); pass --key or set LEADSTREAM_API_KEY`);
    }
  }
  if (!apiKey) {
    throw new ImportCliError(`no API key: pass --key <key>, set LEADSTREAM_API_KEY, or start the stack with npm start (it writes ${keyFile})`);
  }
  return { url, apiKey, ...(keySource ? { keySource } : {}) };
}

/** How to make a key an import can use: with an admin key, through the key API; or, for the key npm start made, a new one. */
export function newKeyAdvice(target: ImportTarget): string {
  const create =
    `with an admin key, make one with the ingest and read scopes: curl -X POST ${target.url}/v1/api-keys -H "Authorization: Bearer <admin key>" ` +
    `-H 'content-type: application/json' -d '{"name":"csv import","scopes":["ingest","read"]}', then pass its key with --key or LEADSTREAM_API_KEY`;
  if (target.keySource?.kind === 'file') {
    return `${create}; or, if this is the admin key npm start made and it was revoked, stop the stack, delete ${target.keySource.file} and run npm start again: it makes and prints a new one`;
  }
  return create;
}

function keyDescription(target: ImportTarget): string {
  switch (target.keySource?.kind) {
    case 'option':
      return 'the API key given with --key';
    case 'env':
      return 'the API key in LEADSTREAM_API_KEY';
    case 'file':
      return `the API key in ${target.keySource.file}`;
    default:
      return 'the API key';
  }
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

async function refusal(response: Response, what: string, target: ImportTarget): Promise<ImportCliError> {
  const text = await response.text().catch(() => '');
  let message = text.trim();
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (body.message !== undefined) message = Array.isArray(body.message) ? body.message.join('; ') : String(body.message);
  } catch {
    // not JSON: show the text
  }
  if (response.status === 401) {
    return new KeyRefused(`ingestion refused ${keyDescription(target)} (401${message ? `: ${message}` : ''}). To get a new key: ${newKeyAdvice(target)}`);
  }
  if (response.status === 403) {
    return new KeyRefused(`${keyDescription(target)} lacks a scope for ${what} (403${message ? `: ${message}` : ''}); an import needs the ingest and read scopes. To get such a key: ${newKeyAdvice(target)}`);
  }
  return new ImportCliError(`${what} failed: ingestion answered ${response.status}${message ? `: ${message}` : ''}`);
}

/** A file name as a quoted Content-Disposition parameter: quotes and line ends percent-encoded, as browsers send them. */
function quotedFileName(name: string): string {
  return `"${name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

/** The multipart/form-data body around the file: its part "file" with the file name (and charset), streamed. */
async function* multipartBody(file: string, boundary: string, encoding: string | undefined): AsyncGenerator<Buffer> {
  const type = encoding === undefined ? 'text/csv' : `text/csv; charset=${encoding}`;
  yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename=${quotedFileName(path.basename(file))}\r\nContent-Type: ${type}\r\n\r\n`, 'utf8');
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) yield chunk as Buffer;
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}

/**
 * Streams the file to POST /v1/imports as a multipart/form-data upload (never read whole into memory),
 * with its file name and, when given, its encoding as the part's charset; returns the import id once
 * ingestion stored it.
 */
export async function uploadCsvFile(target: ImportTarget, file: string, options: { encoding?: string } = {}): Promise<{ importId: string; bytes: number }> {
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
  const boundary = `leadstream-import-${randomBytes(12).toString('hex')}`;
  const body = Readable.toWeb(Readable.from(multipartBody(file, boundary, options.encoding))) as ReadableStream<Uint8Array>;
  const response = await request(target, '/v1/imports', {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
    duplex: 'half',
  });
  if (response.status !== 202) throw await refusal(response, 'the upload', target);
  const { importId } = (await response.json()) as { importId: string };
  return { importId, bytes: size };
}

export async function importStatus(target: ImportTarget, importId: string): Promise<ImportStatus> {
  const response = await request(target, `/v1/imports/${encodeURIComponent(importId)}`);
  if (response.status !== 200) throw await refusal(response, 'the status request', target);
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
      if (error instanceof KeyRefused || ++failures >= 120) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      continue;
    }
    onStatus(current);
    if (current.status !== 'running') return current;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
