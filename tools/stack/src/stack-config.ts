import path from 'node:path';
import { DEFAULT_HOST, DEFAULT_PORTS, SERVICE_NAMES, type ServiceName } from '@leadstream/platform-service';

/** What `npm start` runs, read from the environment (every value has a default). */
export interface StackConfig {
  /** Root of everything the embedded default keeps: Postgres data, broker log segments, logs, api key. */
  readonly dataDir: string;
  /** External PostgreSQL; when absent the embedded one is started. */
  readonly databaseUrl?: string;
  readonly postgresPort: number;
  /** External Kafka brokers; when absent the development broker is started. */
  readonly kafkaBrokers?: string[];
  readonly brokerPort: number;
  readonly partitions: number;
  readonly ports: Record<ServiceName, number>;
  /** The interface the services listen on (HOST, default DEFAULT_HOST: this machine only); each service checks the value. */
  readonly host: string;
  readonly services: readonly ServiceName[];
  readonly readyTimeoutMs: number;
  /** Node/V8 flags every service process starts with (LEADSTREAM_NODE_FLAGS, default DEFAULT_SERVICE_NODE_FLAGS). */
  readonly serviceNodeFlags: readonly string[];
  /**
   * The nice value the consumer services (every service but ingestion) run at (LEADSTREAM_CONSUMER_NICE,
   * default DEFAULT_CONSUMER_NICE; 0 for none). Ingestion, the broker and PostgreSQL keep the launcher's.
   */
  readonly consumerNice: number;
}

/**
 * V8's young generation grows to tens of MB per semi-space on a large machine, and garbage there is only
 * freed when it fills, so a small one keeps an idle service tens of MB smaller. Old space is collected
 * once it has grown 60 % over the live size instead of 2-4x. Why, and what it costs in GC:
 * docs/adr/0005-service-memory.md; the figures: docs/benchmarks.md#service-memory.
 * --expose-gc lets a loop that moves bytes without making objects (an upload spooled to disk) free the
 * read buffers it is done with (collectYoungGarbage, docs/adr/0009-memory-peaks.md).
 */
export const DEFAULT_SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--heap-growing-percent=60', '--expose-gc'];

/**
 * glibc malloc settings for the service processes, unless the environment sets them: two arenas instead
 * of eight per core, and a fixed 32 KiB mmap threshold so that socket and file read buffers (64 KiB), the
 * buffers of a Kafka request and V8's compiler zones go back to the system when freed instead of
 * staying in the heap, scattered between live allocations (glibc raises the threshold on its own).
 * docs/adr/0005-service-memory.md, docs/adr/0009-memory-peaks.md.
 */
export const DEFAULT_SERVICE_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '32768',
};

/**
 * On one shared box the edge comes first: ingestion answers callers who wait, and what it accepts is safe
 * in Kafka, while the consumers work off a log that only grows when they fall behind. With equal
 * priority, seven busy processes split two cores evenly and a CSV import gets a seventh of them.
 * Why 12 (first 10) and what it costs live leads during an import: docs/adr/0006-edge-priority.md,
 * docs/adr/0009-memory-peaks.md.
 */
export const DEFAULT_CONSUMER_NICE = 12;

type Env = Readonly<Record<string, string | undefined>>;

export function readStackConfig(env: Env = process.env, cwd = process.cwd()): StackConfig {
  const ports = {} as Record<ServiceName, number>;
  for (const name of SERVICE_NAMES) {
    ports[name] = readPort(env, `${name.toUpperCase()}_PORT`, DEFAULT_PORTS[name]);
  }
  const only = env['LEADSTREAM_SERVICES']?.trim();
  const services = only ? only.split(',').map((name) => name.trim()) : [...SERVICE_NAMES];
  for (const name of services) {
    if (!SERVICE_NAMES.includes(name as ServiceName)) {
      throw new Error(`LEADSTREAM_SERVICES names an unknown service '${name}'; expected some of ${SERVICE_NAMES.join(', ')}`);
    }
  }
  return {
    dataDir: path.resolve(cwd, env['LEADSTREAM_DATA_DIR'] ?? '.data'),
    databaseUrl: env['DATABASE_URL']?.trim() || undefined,
    postgresPort: readPort(env, 'POSTGRES_PORT', 5433),
    kafkaBrokers: env['KAFKA_BROKERS']?.trim() ? env['KAFKA_BROKERS'].split(',').map((broker) => broker.trim()) : undefined,
    brokerPort: readPort(env, 'BROKER_PORT', 9092),
    partitions: readInteger(env, 'KAFKA_PARTITIONS', 12, 1, 1000),
    ports,
    host: env['HOST']?.trim() || DEFAULT_HOST,
    services: services as ServiceName[],
    readyTimeoutMs: readInteger(env, 'LEADSTREAM_READY_TIMEOUT_S', 180, 1, 3600) * 1000,
    serviceNodeFlags: readNodeFlags(env, 'LEADSTREAM_NODE_FLAGS', DEFAULT_SERVICE_NODE_FLAGS),
    consumerNice: readInteger(env, 'LEADSTREAM_CONSUMER_NICE', DEFAULT_CONSUMER_NICE, 0, 19),
  };
}

/** Where `service` answers from this machine: a service listening on every interface is reached on the loopback. */
export function serviceUrl(config: Pick<StackConfig, 'host' | 'ports'>, service: ServiceName): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.ports[service]}`;
}

function readNodeFlags(env: Env, variable: string, fallback: readonly string[]): readonly string[] {
  const raw = env[variable];
  if (raw === undefined) return fallback;
  const flags = raw.split(/\s+/).filter((flag) => flag !== '');
  const bad = flags.find((flag) => !/^--[a-z0-9][a-z0-9-]*(=\S+)?$/i.test(flag));
  if (bad !== undefined) {
    throw new Error(`${variable} must be Node flags separated by spaces, such as '--max-semi-space-size=4 --max-old-space-size=256'; '${bad}' is not one`);
  }
  return flags;
}

function readPort(env: Env, variable: string, fallback: number): number {
  return readInteger(env, variable, fallback, 1, 65535);
}

function readInteger(env: Env, variable: string, fallback: number, min: number, max: number): number {
  const raw = env[variable]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new Error(`${variable} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}
