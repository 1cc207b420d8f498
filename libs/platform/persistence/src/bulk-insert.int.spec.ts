import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { bulkInsert, DEFAULT_ROWS_PER_STATEMENT, MAX_BIND_PARAMETERS } from './bulk-insert';
import { createServiceDataSource } from './data-source';
import { testDatabaseUrl, uniqueName } from './test-support/test-database';

describe('bulkInsert against PostgreSQL', () => {
  let dataSource: DataSource;
  let pool: Pool;
  const schema = uniqueName('bulk');

  beforeAll(async () => {
    dataSource = await createServiceDataSource({ url: testDatabaseUrl(), schema, applicationName: 'bulk-insert-test' }, { migrations: [] });
    pool = new Pool({ connectionString: testDatabaseUrl(), options: `-c search_path=${schema}` });
  });
  afterAll(async () => {
    await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource.destroy();
    await pool.end();
  });

  beforeEach(async () => {
    await dataSource.query(`DROP TABLE IF EXISTS event_log`);
    await dataSource.query(`
      CREATE TABLE event_log (
        event_id uuid PRIMARY KEY, lead_id text NOT NULL, type text NOT NULL,
        occurred_at timestamptz NOT NULL, data jsonb NOT NULL)`);
  });

  const columns = ['event_id', 'lead_id', 'type', 'occurred_at', 'data'] as const;
  const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const row = (n: number) => [uuid(n), `lead-${n}`, 'lead.received', new Date(Date.UTC(2026, 0, 1, 0, 0, n % 60)), { n, tags: ['a', 'b'] }];
  const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => row(from + i));
  const count = async () => Number((await dataSource.query('SELECT count(*)::int AS n FROM event_log'))[0].n);

  it('inserts far more rows than one statement may carry (> 65,535 parameters)', async () => {
    const total = 30_000; // 150,000 parameters: three statements
    expect(total * columns.length).toBeGreaterThan(MAX_BIND_PARAMETERS);
    const returned = await bulkInsert(dataSource, 'event_log', columns, rows(1, total), { returning: 'event_id', maxRowsPerStatement: Infinity });
    expect(returned).toHaveLength(total);
    expect(await count()).toBe(total);
    const [last] = await dataSource.query('SELECT lead_id, occurred_at, data FROM event_log WHERE event_id = $1', [uuid(total)]);
    expect(last).toEqual({ lead_id: `lead-${total}`, occurred_at: new Date(Date.UTC(2026, 0, 1, 0, 0, total % 60)), data: { n: total, tags: ['a', 'b'] } });
  }, 60_000);

  it('asked for big statements, fills one up to exactly 65,535 parameters and no further', async () => {
    const perStatement = MAX_BIND_PARAMETERS / columns.length; // 13,107 rows, no remainder
    expect(Number.isInteger(perStatement)).toBe(true);
    const statements: number[] = [];
    const counting = { query: (sql: string, params?: unknown[]) => (statements.push(params?.length ?? 0), dataSource.query(sql, params)) };
    await bulkInsert(counting, 'event_log', columns, rows(1, perStatement + 1), { maxRowsPerStatement: 50_000 });
    expect(statements).toEqual([MAX_BIND_PARAMETERS, columns.length]);
    expect(await count()).toBe(perStatement + 1);
  }, 60_000);

  it('by default sends statements of 1,000 rows', async () => {
    const statements: number[] = [];
    const counting = { query: (sql: string, params?: unknown[]) => (statements.push((params?.length ?? 0) / columns.length), dataSource.query(sql, params)) };
    await bulkInsert(counting, 'event_log', columns, rows(1, DEFAULT_ROWS_PER_STATEMENT * 2 + 1));
    expect(statements).toEqual([DEFAULT_ROWS_PER_STATEMENT, DEFAULT_ROWS_PER_STATEMENT, 1]);
    expect(await count()).toBe(DEFAULT_ROWS_PER_STATEMENT * 2 + 1);
  });

  it('with onConflictDoNothing, a replayed batch inserts nothing twice and returns only the new rows', async () => {
    await bulkInsert(dataSource, 'event_log', columns, rows(1, 1_000), { onConflictDoNothing: true });
    const replay = await bulkInsert(dataSource, 'event_log', columns, rows(501, 1_000), {
      onConflictDoNothing: true,
      conflictTarget: ['event_id'],
      returning: 'event_id',
    });
    expect(replay).toHaveLength(500);
    expect((replay as { event_id: string }[])[0]!.event_id).toBe(uuid(1_001));
    expect(await count()).toBe(1_500);
  });

  it('without it, a duplicate fails the statement', async () => {
    await bulkInsert(dataSource, 'event_log', columns, rows(1, 10));
    await expect(bulkInsert(dataSource, 'event_log', columns, rows(5, 10))).rejects.toMatchObject({ code: '23505' });
    expect(await count()).toBe(10);
  });

  it('works on a pg Pool and on a transaction, where a failing chunk rolls back the earlier ones', async () => {
    const fromPool = await bulkInsert(pool, 'event_log', columns, rows(1, 3), { returning: 'lead_id' });
    expect(fromPool).toEqual([{ lead_id: 'lead-1' }, { lead_id: 'lead-2' }, { lead_id: 'lead-3' }]);

    const doomed = [...rows(100, 20_000), row(1)]; // the last chunk collides with lead-1
    await expect(dataSource.transaction((manager) => bulkInsert(manager, 'event_log', columns, doomed))).rejects.toMatchObject({ code: '23505' });
    expect(await count()).toBe(3);
  }, 60_000);

  it('quotes identifiers and accepts a schema-qualified table', async () => {
    await dataSource.query(`CREATE TABLE "odd ""name""" ("select" int, "Mixed Case" text)`);
    await bulkInsert(dataSource, `${schema}.odd "name"`, ['select', 'Mixed Case'], [[1, 'x'], [2, null]]);
    expect(await dataSource.query(`SELECT * FROM "odd ""name""" ORDER BY 1`)).toEqual([
      { select: 1, 'Mixed Case': 'x' },
      { select: 2, 'Mixed Case': null },
    ]);
  });

  it('rejects a row of the wrong width before sending anything', async () => {
    await expect(bulkInsert(dataSource, 'event_log', columns, [row(1), ['too', 'short']])).rejects.toThrow('row 1 has 2 values for 5 columns');
    expect(await count()).toBe(0);
  });

  it('does nothing for no rows', async () => {
    expect(await bulkInsert(dataSource, 'event_log', columns, [])).toEqual([]);
  });
});
