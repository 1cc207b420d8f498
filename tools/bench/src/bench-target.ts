/** Where the benchmark sends leads and reads the event log, from `.data/stack.json` and the environment. */
export interface BenchTarget {
  readonly ingestionUrl: string;
  readonly databaseUrl: string;
  /** Service processes whose memory is reported (only known when `npm start` runs them on this machine). */
  readonly processes: readonly { readonly service: string; readonly pid: number }[];
  /** The API key sent as `Authorization: Bearer`: LEADSTREAM_API_KEY, else the `api-key` file next to stack.json. */
  readonly apiKey?: string;
  /** Where the addresses came from, for the report and for error messages. */
  readonly source: string;
}

/** No usable target: the message says what is missing and how to start or point at a stack. */
export class BenchTargetError extends Error {
  override readonly name = 'BenchTargetError';
}

const HOW_TO_START =
  'Start the stack with `npm start` in another terminal and wait for "Leadstream is ready", or point the benchmark at a ' +
  'running stack with INGESTION_URL and DATABASE_URL (docker compose: INGESTION_URL=http://127.0.0.1:3101 ' +
  'DATABASE_URL=postgres://leadstream:leadstream@127.0.0.1:5432/leadstream).';

/**
 * Combines the stack file (when it exists; `text` undefined means it does not) with the environment:
 * INGESTION_URL and DATABASE_URL, when set, win over the file.
 */
export function resolveBenchTarget(
  env: Readonly<Record<string, string | undefined>>,
  stackFile: { path: string; text: string | undefined },
  apiKeyFile?: { path: string; text: string | undefined },
): BenchTarget {
  const envIngestion = env['INGESTION_URL']?.trim() || undefined;
  const envDatabase = env['DATABASE_URL']?.trim() || undefined;

  let fromFile: { ingestionUrl?: string; databaseUrl?: string; processes: { service: string; pid: number }[] } = { processes: [] };
  if (stackFile.text !== undefined) {
    fromFile = parseStackFile(stackFile.text, stackFile.path);
  } else if (!envIngestion || !envDatabase) {
    const missing = [!envIngestion && 'INGESTION_URL', !envDatabase && 'DATABASE_URL'].filter(Boolean).join(' and ');
    throw new BenchTargetError(`No running stack found: ${stackFile.path} does not exist and ${missing} ${missing.includes(' and ') ? 'are' : 'is'} not set. ${HOW_TO_START}`);
  }

  const ingestionUrl = envIngestion ?? fromFile.ingestionUrl;
  const databaseUrl = envDatabase ?? fromFile.databaseUrl;
  if (!ingestionUrl) throw new BenchTargetError(`${stackFile.path} has no services.ingestion.url and INGESTION_URL is not set. ${HOW_TO_START}`);
  if (!databaseUrl) throw new BenchTargetError(`${stackFile.path} has no databaseUrl and DATABASE_URL is not set. ${HOW_TO_START}`);
  checkUrl('ingestion URL', ingestionUrl, ['http:', 'https:'], 'http://127.0.0.1:3101');
  checkUrl('database URL', databaseUrl, ['postgres:', 'postgresql:'], 'postgres://leadstream:leadstream@127.0.0.1:5433/leadstream');

  const sources = [
    stackFile.text !== undefined && stackFile.path,
    envIngestion && 'INGESTION_URL',
    envDatabase && 'DATABASE_URL',
  ].filter(Boolean);
  const apiKey = env['LEADSTREAM_API_KEY']?.trim() || apiKeyFile?.text?.trim() || undefined;
  return { ingestionUrl: ingestionUrl.replace(/\/+$/, ''), databaseUrl, processes: fromFile.processes, source: sources.join(' + '), apiKey };
}

/** Reads the file `npm start` writes; anything malformed is reported with the file name and the field. */
export function parseStackFile(text: string, path: string): { ingestionUrl?: string; databaseUrl?: string; processes: { service: string; pid: number }[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BenchTargetError(`${path} is not valid JSON (${error instanceof Error ? error.message : String(error)}); it may be half-written: start the stack again with npm start.`);
  }
  if (!isRecord(parsed)) throw new BenchTargetError(`${path} should hold a JSON object`);
  const services = parsed['services'];
  if (services !== undefined && !isRecord(services)) throw new BenchTargetError(`${path}: "services" should be an object of service name to { pid, port, url }`);

  const processes: { service: string; pid: number }[] = [];
  let ingestionUrl: string | undefined;
  for (const [service, entry] of Object.entries(services ?? {})) {
    if (!isRecord(entry)) throw new BenchTargetError(`${path}: services.${service} should be an object`);
    const pid = entry['pid'];
    if (pid !== undefined && pid !== null) {
      if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) throw new BenchTargetError(`${path}: services.${service}.pid should be a process id, got ${JSON.stringify(pid)}`);
      processes.push({ service, pid });
    }
    if (service === 'ingestion') {
      const url = entry['url'];
      const port = entry['port'];
      if (typeof url === 'string' && url.trim() !== '') ingestionUrl = url.trim();
      else if (typeof port === 'number') ingestionUrl = `http://127.0.0.1:${port}`;
    }
  }
  const databaseUrl = parsed['databaseUrl'];
  if (databaseUrl !== undefined && typeof databaseUrl !== 'string') throw new BenchTargetError(`${path}: databaseUrl should be a string`);
  return { ingestionUrl, databaseUrl, processes };
}

function checkUrl(what: string, value: string, protocols: string[], example: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !protocols.includes(url.protocol)) {
    throw new BenchTargetError(`the ${what} must start with ${protocols.map((p) => `${p}//`).join(' or ')} (e.g. ${example}), got '${redactPassword(value)}'`);
  }
}

/** Hides the password of a connection URL in anything printed. */
export function redactPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]+:)[^@]*@/i, '$1***@');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
