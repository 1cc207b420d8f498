/**
 * Anything that runs parameterised SQL: a TypeORM DataSource, EntityManager or QueryRunner (which
 * resolve to the rows), or a pg Pool / Client / PoolClient (which resolve to `{ rows }`).
 */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export interface BulkInsertOptions {
  /** Append `ON CONFLICT DO NOTHING` (optionally `ON CONFLICT (conflictTarget...) DO NOTHING`). */
  readonly onConflictDoNothing?: boolean;
  readonly conflictTarget?: readonly string[];
  /** A RETURNING list, e.g. `'event_id'` or `'*'`. Written into the SQL as given: never user input. */
  readonly returning?: string;
  /** Rows per statement at most; default DEFAULT_ROWS_PER_STATEMENT, always capped by the parameter limit. */
  readonly maxRowsPerStatement?: number;
}

/** PostgreSQL's wire protocol counts bind parameters in an Int16: at most 65,535 per statement. */
export const MAX_BIND_PARAMETERS = 65_535;

/**
 * Faster than filling statements up to the parameter limit: very long VALUES lists cost more to build
 * and plan than the round trips they save, and much shorter ones pay a round trip per few rows
 * (measured: docs/benchmarks.md#small-measurements-behind-code-choices).
 */
export const DEFAULT_ROWS_PER_STATEMENT = 1_000;

/**
 * Inserts `rows` with multi-row `INSERT ... VALUES (...), (...)` statements of up to
 * `maxRowsPerStatement` rows (default 1,000), never more than the 65,535-parameter limit allows. Returns the RETURNING rows of all statements in order (empty
 * without `returning`). With ON CONFLICT DO NOTHING, skipped rows return nothing, so the result
 * tells which rows were new.
 *
 * Statements are sent one after the other on `runner`; run it on a transaction's QueryRunner or
 * EntityManager when all chunks must land together.
 *
 * Values go through the driver's usual conversion: Date -> timestamptz, object -> JSON. A JS array
 * becomes a Postgres array, so JSON.stringify arrays meant for a jsonb column.
 */
export async function bulkInsert(
  runner: Queryable,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: BulkInsertOptions = {},
): Promise<unknown[]> {
  if (columns.length === 0) throw new Error('bulkInsert needs at least one column');
  if (columns.length > MAX_BIND_PARAMETERS) throw new Error(`bulkInsert: ${columns.length} columns exceed the parameter limit`);
  rows.forEach((row, index) => {
    if (row.length !== columns.length) {
      throw new Error(`bulkInsert into ${table}: row ${index} has ${row.length} values for ${columns.length} columns`);
    }
  });
  if (rows.length === 0) return [];

  const head = `INSERT INTO ${quoteQualified(table)} (${columns.map(quoteIdentifier).join(', ')}) VALUES `;
  let tail = '';
  if (options.onConflictDoNothing) {
    tail += options.conflictTarget?.length ? ` ON CONFLICT (${options.conflictTarget.map(quoteIdentifier).join(', ')}) DO NOTHING` : ' ON CONFLICT DO NOTHING';
  }
  if (options.returning) tail += ` RETURNING ${options.returning}`;

  const byParameters = Math.floor(MAX_BIND_PARAMETERS / columns.length);
  const chunkSize = Math.max(1, Math.min(byParameters, options.maxRowsPerStatement ?? DEFAULT_ROWS_PER_STATEMENT));
  const returned: unknown[] = [];
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const parameters: unknown[] = new Array(chunk.length * columns.length);
    const tuples: string[] = new Array(chunk.length);
    let p = 0;
    for (let r = 0; r < chunk.length; r++) {
      const row = chunk[r] as readonly unknown[];
      const placeholders: string[] = new Array(columns.length);
      for (let c = 0; c < columns.length; c++) {
        parameters[p] = row[c];
        placeholders[c] = `$${++p}`;
      }
      tuples[r] = `(${placeholders.join(', ')})`;
    }
    const result = await runner.query(head + tuples.join(', ') + tail, parameters);
    if (options.returning) returned.push(...rowsOf(result));
  }
  return returned;
}

function rowsOf(result: unknown): unknown[] {
  if (Array.isArray(result)) return result;
  if (result !== null && typeof result === 'object' && Array.isArray((result as { rows?: unknown }).rows)) {
    return (result as { rows: unknown[] }).rows;
  }
  return [];
}

/** Double-quotes an identifier, doubling embedded quotes, so any name is safe in SQL. */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) throw new Error('empty SQL identifier');
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table` or `table`, each part quoted. */
function quoteQualified(name: string): string {
  return name.split('.').map(quoteIdentifier).join('.');
}
