import { isLogLevel, type LogLevel } from '@leadstream/platform-observability';

export const DEFAULT_PORTS = {
  ingestion: 3101,
  enrichment: 3102,
  dedupe: 3103,
  scoring: 3104,
  routing: 3105,
  nurture: 3106,
  analytics: 3107,
} as const;

export type ServiceName = keyof typeof DEFAULT_PORTS;
export const SERVICE_NAMES = Object.keys(DEFAULT_PORTS) as readonly ServiceName[];

export const DEFAULT_DATABASE_URL = 'postgres://leadstream:leadstream@127.0.0.1:5433/leadstream';
/** Where a service listens unless HOST says otherwise: reachable from this machine only. */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_KAFKA_BROKERS: readonly string[] = ['127.0.0.1:9092'];

export interface ServiceConfig {
  readonly name: ServiceName;
  readonly port: number;
  /**
   * The interface HTTP listens on: HOST, default DEFAULT_HOST (the image and the manifests set 0.0.0.0).
   * Optional so that a configuration written in a test may leave it out (bootstrapService's default).
   */
  readonly host?: string;
  readonly databaseUrl: string;
  /** The Postgres schema this service owns (docs/architecture.md, rule 5): its own name. */
  readonly databaseSchema: string;
  readonly kafkaBrokers: string[];
  /** Most bytes one fetch of a consumer's bulk lane brings; undefined: platform-kafka's default (ADR 0008). */
  readonly kafkaBulkFetchMaxBytes?: number;
  readonly logLevel: LogLevel;
}

/** A configuration value that cannot be used; the message names the variable and the value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The service's configuration from the environment:
 * - port: `<SERVICE>_PORT` (e.g. INGESTION_PORT), else `PORT`, else DEFAULT_PORTS[name]
 * - HOST: the interface to listen on, default DEFAULT_HOST (this machine only); 0.0.0.0 for all
 * - DATABASE_URL (postgres:// or postgresql://), default DEFAULT_DATABASE_URL
 * - KAFKA_BROKERS: comma-separated host:port list, default 127.0.0.1:9092
 * - KAFKA_BULK_FETCH_MAX_BYTES: most bytes one fetch of the bulk lane brings (1 KiB-256 MiB), default
 *   platform-kafka's (1 MiB): smaller favours live leads during an import, larger the import (ADR 0008)
 * - LOG_LEVEL: debug | info | warn | error, default info
 * Throws ConfigError naming the variable when a value is invalid.
 */
export function readServiceConfig(name: ServiceName, env: Env = process.env): ServiceConfig {
  if (!(name in DEFAULT_PORTS)) {
    throw new ConfigError('service', `unknown service '${String(name)}'; expected one of ${SERVICE_NAMES.join(', ')}`);
  }
  const specific = `${name.toUpperCase()}_PORT`;
  const portSetting = setting(env, specific) ?? setting(env, 'PORT');
  const databaseUrl = setting(env, 'DATABASE_URL');
  const brokers = setting(env, 'KAFKA_BROKERS');
  const bulkFetch = setting(env, 'KAFKA_BULK_FETCH_MAX_BYTES');
  return {
    name,
    port: portSetting ? parsePort(portSetting.variable, portSetting.value) : DEFAULT_PORTS[name],
    host: parseHost(setting(env, 'HOST')?.value),
    databaseUrl: parseDatabaseUrl(databaseUrl ? databaseUrl.value.trim() : DEFAULT_DATABASE_URL),
    databaseSchema: name,
    kafkaBrokers: brokers ? parseBrokers(brokers.value) : [...DEFAULT_KAFKA_BROKERS],
    ...(bulkFetch ? { kafkaBulkFetchMaxBytes: parseFetchBytes(bulkFetch.variable, bulkFetch.value) } : {}),
    logLevel: parseLogLevel(setting(env, 'LOG_LEVEL')?.value),
  };
}

/** A variable counts as set only when it holds something other than blanks. */
function setting(env: Env, variable: string): { variable: string; value: string } | undefined {
  const value = env[variable];
  return value !== undefined && value.trim() !== '' ? { variable, value } : undefined;
}

function parseHost(raw: string | undefined): string {
  if (raw === undefined) return DEFAULT_HOST;
  const host = raw.trim();
  // An address or a name, as Node's listen() takes it; a URL or a host:port is a common slip.
  if (!/^(\[?[0-9a-fA-F:.]+\]?|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/.test(host) || /^\d+\.\d+\.\d+\.\d+:\d+$/.test(host)) {
    throw new ConfigError('HOST', `HOST must be an interface address or host name to listen on, such as 127.0.0.1 or 0.0.0.0, got '${raw}'`);
  }
  return host.replace(/^\[(.*)\]$/, '$1');
}

function parsePort(variable: string, raw: string): number {
  const text = raw.trim();
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(variable, `${variable} must be a TCP port (an integer from 1 to 65535), got '${raw}'`);
  }
  return port;
}

const MIN_FETCH_BYTES = 1024;
const MAX_FETCH_BYTES = 256 * 1024 * 1024;

function parseFetchBytes(variable: string, raw: string): number {
  const text = raw.trim();
  const bytes = Number(text);
  if (!/^\d+$/.test(text) || bytes < MIN_FETCH_BYTES || bytes > MAX_FETCH_BYTES) {
    throw new ConfigError(variable, `${variable} must be a number of bytes from ${MIN_FETCH_BYTES} to ${MAX_FETCH_BYTES} (e.g. 1048576 for 1 MiB), got '${raw}'`);
  }
  return bytes;
}

function parseDatabaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', `DATABASE_URL must be a URL such as ${DEFAULT_DATABASE_URL}, got '${redact(raw)}'`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `DATABASE_URL must start with postgres:// or postgresql://, got '${redact(raw)}'`);
  }
  if (!url.hostname) throw new ConfigError('DATABASE_URL', `DATABASE_URL has no host: '${redact(raw)}'`);
  return raw;
}

function parseBrokers(raw: string): string[] {
  const brokers = raw
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
  if (brokers.length === 0) throw new ConfigError('KAFKA_BROKERS', `KAFKA_BROKERS must list at least one host:port, got '${raw}'`);
  for (const broker of brokers) {
    const match = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d+)$/.exec(broker);
    const port = match ? Number(match[2]) : NaN;
    if (!match || port < 1 || port > 65535) {
      throw new ConfigError('KAFKA_BROKERS', `KAFKA_BROKERS entries must be host:port (e.g. 127.0.0.1:9092), got '${broker}'`);
    }
  }
  return brokers;
}

function parseLogLevel(raw: string | undefined): LogLevel {
  if (raw === undefined) return 'info';
  const level = raw.trim().toLowerCase();
  if (!isLogLevel(level)) throw new ConfigError('LOG_LEVEL', `LOG_LEVEL must be one of debug, info, warn, error, got '${raw}'`);
  return level;
}

/** Hides the password of a connection URL in error messages. */
export function redact(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]+:)[^@]*@/i, '$1***@');
}
