export {
  checkDatabase,
  createDatabaseIfMissing,
  createServiceDataSource,
  openServiceDataSource,
  probeDatabase,
  type DatabaseSettings,
  type DataSourceContent,
  type RetryPolicy,
} from './data-source';
export { bulkInsert, DEFAULT_ROWS_PER_STATEMENT, MAX_BIND_PARAMETERS, quoteIdentifier, type BulkInsertOptions, type Queryable } from './bulk-insert';
export { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded-postgres';
export { isConnectionError, redactUrl } from './connection-errors';
