import { Client } from 'pg';
import { DataSource, type Logger as TypeOrmLogger, type MixedList, type EntitySchema } from 'typeorm';
import type { Logger } from '@leadstream/platform-observability';
import { describeError, isConnectionError, redactUrl } from './connection-errors';

export interface DatabaseSettings {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  /** The service's own schema (docs/architecture.md, rule 5); created if missing. Lower-case identifier. */
  readonly schema: string;
  /** Shown in pg_stat_activity, so a DBA can tell the services' connections apart. */
  readonly applicationName: string;
  /** Connections in the pool; default 10. */
  readonly poolSize?: number;
  /** Log lines for retries, migrations, pool errors and failed queries. */
  readonly logger?: Logger;
  /** Backoff while Postgres is unreachable. Default: 250 ms doubling to 10 s, retrying forever. */
  readonly retry?: RetryPolicy;
  /** Aborting stops the retries (for a shutdown that arrives while Postgres is still down). */
  readonly signal?: AbortSignal;
}

export interface RetryPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Give up after this many failed attempts (default: never). */
  readonly maxAttempts?: number;
}

export interface DataSourceContent {
  // TypeORM's own types for these lists use Function; mirrored here.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities?: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: MixedList<Function | string>;
}

const DEFAULT_RETRY: RetryPolicy = { initialMs: 250, maxMs: 10_000 };
const MIGRATIONS_TABLE = 'migrations';

/**
 * An initialized TypeORM DataSource for one service, on its own schema:
 *
 * 1. waits for Postgres, retrying with exponential backoff while it is unreachable and logging each
 *    failure (the caller decides how long with `retry` and `signal`; a wrong password or a broken
 *    migration fails at once instead);
 * 2. creates the schema if missing;
 * 3. sets `search_path` to `<schema>, public` on every pooled connection, so raw SQL (bulkInsert)
 *    names tables without a schema prefix, and entities default to that schema;
 * 4. runs the pending migrations, each in its own transaction, holding a Postgres advisory lock so
 *    that replicas starting together run them once. Their bookkeeping table is `<schema>.migrations`.
 */
export async function createServiceDataSource(settings: DatabaseSettings, content: DataSourceContent): Promise<DataSource> {
  const { dataSource, ready } = openServiceDataSource(settings, content);
  await ready;
  return dataSource;
}

/**
 * Like createServiceDataSource, but returns at once: `dataSource` is the service's DataSource, not yet
 * initialized, and `ready` settles when it is connected and migrated (the same retries, logs and
 * failures). A service uses it to listen on HTTP, and answer its liveness probe and report
 * `database: down` on readiness, while PostgreSQL is still unreachable instead of not starting at all.
 */
export function openServiceDataSource(settings: DatabaseSettings, content: DataSourceContent): { dataSource: DataSource; ready: Promise<void> } {
  assertIdentifier(settings.schema);
  const dataSource = buildDataSource(settings, content);
  const ready = (async () => {
    const retry = settings.retry ?? DEFAULT_RETRY;
    const logger = settings.logger;
    for (let attempt = 1; ; attempt++) {
      settings.signal?.throwIfAborted();
      try {
        await connectAndMigrate(settings, dataSource);
        return;
      } catch (err) {
        if (!isConnectionError(err)) throw err;
        if (retry.maxAttempts !== undefined && attempt >= retry.maxAttempts) {
          throw new Error(
            `PostgreSQL at ${redactUrl(settings.url)} unreachable after ${attempt} attempts: ${describeError(err)}`,
            { cause: err },
          );
        }
        const delayMs = Math.min(retry.maxMs, retry.initialMs * 2 ** (attempt - 1));
        logger?.warn(`PostgreSQL unreachable, retrying in ${delayMs} ms`, {
          attempt,
          database: redactUrl(settings.url),
          schema: settings.schema,
          error: describeError(err),
        });
        await sleep(delayMs, settings.signal);
      }
    }
  })();
  return { dataSource, ready };
}

function buildDataSource(settings: DatabaseSettings, content: DataSourceContent): DataSource {
  const { schema } = settings;
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    schema,
    applicationName: settings.applicationName,
    poolSize: settings.poolSize ?? 10,
    connectTimeoutMS: 10_000,
    entities: content.entities ?? [],
    migrations: content.migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    migrationsRun: false, // run by connectAndMigrate, under the advisory lock
    synchronize: false,
    logger: settings.logger ? new JsonTypeOrmLogger(settings.logger) : undefined,
    logging: settings.logger ? ['error', 'warn', 'migration'] : false,
    extra: { options: `-c search_path=${schema},public` },
    poolErrorHandler: (err: unknown) =>
      settings.logger?.warn('PostgreSQL pool connection error (the pool replaces the connection)', { error: describeError(err) }),
  });
}

async function connectAndMigrate(settings: DatabaseSettings, dataSource: DataSource): Promise<void> {
  const { schema } = settings;
  const admin = new Client({ connectionString: settings.url, application_name: `${settings.applicationName}:migrations`, connectionTimeoutMillis: 10_000 });
  admin.on('error', () => undefined); // a dropped socket surfaces on the next query instead
  await admin.connect();
  try {
    await createSchema(admin, schema);
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [`leadstream:migrations:${schema}`]);
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) {
      settings.logger?.info(`applied ${applied.length} migration(s) to schema ${schema}`, { migrations: applied.map((m) => m.name) });
    }
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw err;
  } finally {
    // Ending the session releases the advisory lock too.
    await admin.end().catch(() => undefined);
  }
}

async function createSchema(client: Client, schema: string): Promise<void> {
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (err) {
    // Two replicas creating it at the same moment: one of them sees a unique violation.
    const code = (err as { code?: unknown }).code;
    if (code !== '23505' && code !== '42P06') throw err;
  }
}

function assertIdentifier(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`schema name '${schema}' must be a lower-case SQL identifier (letters, digits, underscores)`);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** TypeORM's log calls routed to the service's JSON logger. */
class JsonTypeOrmLogger implements TypeOrmLogger {
  constructor(private readonly logger: Logger) {}
  logQuery(): void {
    // Queries are traced by the pg instrumentation; logging each would swamp the hot path.
  }
  logQueryError(error: string | Error, query: string): void {
    this.logger.warn('query failed', { error: describeError(error), query: query.slice(0, 500) });
  }
  logQuerySlow(time: number, query: string): void {
    this.logger.warn('slow query', { ms: time, query: query.slice(0, 500) });
  }
  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }
  logMigration(message: string): void {
    this.logger.info(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}

/**
 * True when the DataSource can run a query now (readiness). Never throws; gives up after `timeoutMs`.
 */
export async function checkDatabase(dataSource: DataSource, timeoutMs = 2_000): Promise<boolean> {
  try {
    await probeDatabase(dataSource, timeoutMs);
    return true;
  } catch {
    return false;
  }
}

/**
 * Like checkDatabase, but throws with the reason (ECONNREFUSED, timeout...), which is what a
 * ReadinessRegistry check wants: `registry.register('database', () => probeDatabase(ds))`.
 */
export async function probeDatabase(dataSource: DataSource, timeoutMs = 2_000): Promise<void> {
  if (!dataSource.isInitialized) throw new Error('not connected');
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      dataSource.query('SELECT 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    throw new Error(describeError(err), { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Creates the database named in `url` when it does not exist, connecting to the server's `postgres`
 * maintenance database with the same credentials. Used by the embedded stack and test setup.
 */
export async function createDatabaseIfMissing(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`database URL ${redactUrl(url)} names no database`);
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } catch (err) {
        // Created meanwhile by someone else: that is what we wanted.
        const code = (err as { code?: unknown }).code;
        if (code !== '42P04' && code !== '23505') throw err;
      }
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
