import 'reflect-metadata';
import { Column, DataSource, Entity, type MigrationInterface, PrimaryColumn, type QueryRunner } from 'typeorm';
import { createLogger } from '@leadstream/platform-observability';
import { checkDatabase, createDatabaseIfMissing, createServiceDataSource, probeDatabase } from './data-source';
import { testDatabaseUrl, uniqueName, urlForDatabase, withClient } from './test-support/test-database';

class CreateLeads1700000000001 implements MigrationInterface {
  name = 'CreateLeads1700000000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE lead (id text PRIMARY KEY, email text NOT NULL)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE lead');
  }
}
class AddScore1700000000002 implements MigrationInterface {
  name = 'AddScore1700000000002';
  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE lead ADD COLUMN score int NOT NULL DEFAULT 0');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE lead DROP COLUMN score');
  }
}
class Broken1700000000003 implements MigrationInterface {
  name = 'Broken1700000000003';
  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE lead ADD COLUMN grade text');
    await q.query('ALTER TABLE no_such_table ADD COLUMN x int');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE lead DROP COLUMN grade');
  }
}

@Entity({ name: 'lead' })
class LeadRow {
  @PrimaryColumn('text') id!: string;
  @Column('text') email!: string;
  @Column('int') score!: number;
}

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('persistence-test', { level: 'debug', write: (line) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('createServiceDataSource', () => {
  const opened: DataSource[] = [];
  const open = async (...args: Parameters<typeof createServiceDataSource>) => {
    const ds = await createServiceDataSource(...args);
    opened.push(ds);
    return ds;
  };
  afterAll(async () => {
    for (const ds of opened) if (ds.isInitialized) await ds.destroy();
  });

  it('creates the schema, runs the migrations inside it and points search_path at it', async () => {
    const schema = uniqueName('svc');
    const { logger, lines } = captureLogger();
    const ds = await open(
      { url: testDatabaseUrl(), schema, applicationName: 'leadstream-scoring', poolSize: 3, logger },
      { entities: [LeadRow], migrations: [CreateLeads1700000000001, AddScore1700000000002] },
    );

    const tables = await ds.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
    expect(tables).toEqual([{ table_name: 'lead' }, { table_name: 'migrations' }]);
    expect(await ds.query(`SELECT name FROM "${schema}".migrations ORDER BY id`)).toEqual([
      { name: 'CreateLeads1700000000001' },
      { name: 'AddScore1700000000002' },
    ]);
    expect(lines.some((l) => String(l['msg']).includes('applied 2 migration(s)'))).toBe(true);

    // Entities and raw SQL both land in the service's schema, never in public.
    await ds.getRepository(LeadRow).save({ id: 'l-1', email: 'ada@example.com', score: 7 });
    expect(await ds.query('SELECT id, score FROM lead')).toEqual([{ id: 'l-1', score: 7 }]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'lead'`)).toEqual([{ n: 0 }]);

    const [{ application_name }] = await ds.query('SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()');
    expect(application_name).toBe('leadstream-scoring');
  });

  it('on restart applies only the new migrations and keeps the data', async () => {
    const schema = uniqueName('svc');
    const settings = { url: testDatabaseUrl(), schema, applicationName: 'restart-test' };
    const first = await open(settings, { migrations: [CreateLeads1700000000001] });
    await first.query("INSERT INTO lead VALUES ('l-1', 'ada@example.com')");
    await first.destroy();

    const second = await open(settings, { migrations: [CreateLeads1700000000001, AddScore1700000000002] });
    expect(await second.query('SELECT id, email, score FROM lead')).toEqual([{ id: 'l-1', email: 'ada@example.com', score: 0 }]);
    expect(await second.query('SELECT count(*)::int AS n FROM migrations')).toEqual([{ n: 2 }]);
  });

  it('runs the migrations once when replicas start together', async () => {
    const schema = uniqueName('svc');
    const settings = { url: testDatabaseUrl(), schema, applicationName: 'replica' };
    const migrations = [CreateLeads1700000000001, AddScore1700000000002];
    const replicas = await Promise.all([1, 2, 3].map(() => open(settings, { migrations })));
    expect(await replicas[0]!.query('SELECT count(*)::int AS n FROM migrations')).toEqual([{ n: 2 }]);
  });

  it('fails start-up on a broken migration and rolls that migration back', async () => {
    const schema = uniqueName('svc');
    const settings = { url: testDatabaseUrl(), schema, applicationName: 'broken' };
    await expect(createServiceDataSource(settings, { migrations: [CreateLeads1700000000001, Broken1700000000003] })).rejects.toThrow(/no_such_table/);
    await withClient(testDatabaseUrl(), async (client) => {
      const columns = await client.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'lead' ORDER BY 1`, [schema]);
      expect(columns.rows).toEqual([{ column_name: 'email' }, { column_name: 'id' }]); // no half-applied 'grade'
    });
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(createServiceDataSource({ url: testDatabaseUrl(), schema: 'x"; DROP', applicationName: 't' }, { migrations: [] })).rejects.toThrow(
      /must be a lower-case SQL identifier/,
    );
  });

  it('retries with backoff while PostgreSQL is unreachable, logging each failure, and gives up when told', async () => {
    const { logger, lines } = captureLogger();
    const started = Date.now();
    await expect(
      createServiceDataSource(
        { url: 'postgres://leadstream:secret@127.0.0.1:1/leadstream', schema: 'unreachable', applicationName: 't', logger, retry: { initialMs: 20, maxMs: 40, maxAttempts: 3 } },
        { migrations: [] },
      ),
    ).rejects.toThrow(/unreachable after 3 attempts: .*ECONNREFUSED/);
    const warnings = lines.filter((l) => l['level'] === 'warn');
    expect(warnings.map((w) => w['msg'])).toEqual(['PostgreSQL unreachable, retrying in 20 ms', 'PostgreSQL unreachable, retrying in 40 ms']);
    expect(warnings[0]).toMatchObject({ attempt: 1, database: 'postgres://leadstream:***@127.0.0.1:1/leadstream', error: expect.stringContaining('ECONNREFUSED') });
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  });

  it('connects as soon as the database appears', async () => {
    const database = uniqueName('late');
    const { logger, lines } = captureLogger();
    const pending = open({ url: urlForDatabase(database), schema: 'late', applicationName: 't', logger, retry: { initialMs: 50, maxMs: 100 } }, { migrations: [CreateLeads1700000000001] });
    while (!lines.some((l) => l['level'] === 'warn')) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(lines[0]!['error']).toMatch(/does not exist/);
    await createDatabaseIfMissing(urlForDatabase(database));
    await createDatabaseIfMissing(urlForDatabase(database)); // a second call is harmless
    const ds = await pending;
    expect(await ds.query('SELECT count(*)::int AS n FROM lead')).toEqual([{ n: 0 }]);
  });

  it('fails at once on a wrong password rather than retrying forever', async () => {
    const url = new URL(testDatabaseUrl());
    url.password = 'definitely-wrong';
    const { logger, lines } = captureLogger();
    await expect(createServiceDataSource({ url: url.toString(), schema: 'x', applicationName: 't', logger }, { migrations: [] })).rejects.toMatchObject({ code: '28P01' });
    expect(lines.filter((l) => l['level'] === 'warn')).toEqual([]);
  });

  it('stops retrying when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = createServiceDataSource(
      { url: 'postgres://u:p@127.0.0.1:1/x', schema: 'x', applicationName: 't', retry: { initialMs: 10_000, maxMs: 10_000 }, signal: controller.signal },
      { migrations: [] },
    );
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    await expect(pending).rejects.toThrow('shutting down');
  });
});

describe('checkDatabase (readiness)', () => {
  it('is false while the database refuses connections and true again once it accepts them', async () => {
    const database = uniqueName('ready');
    await createDatabaseIfMissing(urlForDatabase(database));
    const ds = await createServiceDataSource({ url: urlForDatabase(database), schema: 'svc', applicationName: 'readiness-test', poolSize: 2 }, { migrations: [] });
    try {
      expect(await checkDatabase(ds)).toBe(true);

      // Take the database away the way an outage does: close every connection, accept no new one.
      await withClient(testDatabaseUrl(), async (admin) => {
        await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS false`);
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database]);
      });
      expect(await checkDatabase(ds)).toBe(false);
      await expect(probeDatabase(ds)).rejects.toThrow(/not currently accepting connections|terminat/);

      await withClient(testDatabaseUrl(), (admin) => admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS true`));
      expect(await checkDatabase(ds)).toBe(true);
    } finally {
      await ds.destroy();
    }
  });

  it('is false for a DataSource that is not connected', async () => {
    const ds = new DataSource({ type: 'postgres', url: testDatabaseUrl() });
    expect(await checkDatabase(ds)).toBe(false);
  });
});
