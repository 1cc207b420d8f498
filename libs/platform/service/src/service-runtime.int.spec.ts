// ServiceRuntimeModule against the real development broker and the test PostgreSQL: a service
// answers its probes while PostgreSQL is unreachable (live, not ready, naming the database), and is
// ready with its schema migrated when it is reachable.
import { Controller, Get, type INestApplication, Module, type DynamicModule } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { startBroker, silentLogger, type RunningBroker } from '@leadstream/broker';
import { createLogger } from '@leadstream/platform-observability';
import { bootstrapService } from './bootstrap';
import type { ServiceConfig } from './config';
import { ServiceRuntimeModule } from './service-runtime.module';

class CreateProbeTable1700000000000 implements MigrationInterface {
  name = 'CreateProbeTable1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE runtime_probe (id integer PRIMARY KEY)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE runtime_probe`);
  }
}

@Controller('probe')
class ProbeController {
  constructor(private readonly dataSource: DataSource) {}
  @Get()
  async probe(): Promise<{ tables: number }> {
    const rows: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM runtime_probe`);
    return { tables: rows[0]?.n ?? -1 };
  }
}

@Module({})
class ProbeServiceModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    const logger = createLogger('runtime-probe', { write: () => undefined });
    return {
      module: ProbeServiceModule,
      imports: [ServiceRuntimeModule.forRoot({ config, migrations: [CreateProbeTable1700000000000], logger })],
      controllers: [ProbeController],
    };
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function readiness(url: string): Promise<{ status: number; checks: Record<string, string> }> {
  const response = await fetch(`${url}/health/ready`);
  const body = (await response.json()) as { checks?: Record<string, string>; message?: { checks: Record<string, string> } };
  return { status: response.status, checks: body.checks ?? body.message?.checks ?? {} };
}

let dataDir: string;
let broker: RunningBroker;
const apps: INestApplication[] = [];

async function boot(databaseUrl: string, schema: string): Promise<string> {
  const config: ServiceConfig = {
    name: 'scoring',
    port: 0,
    databaseUrl,
    databaseSchema: schema,
    kafkaBrokers: [`127.0.0.1:${broker.port}`],
    logLevel: 'error',
  };
  const app = await bootstrapService({
    name: 'runtime-probe',
    module: ProbeServiceModule.forRoot(config),
    port: 0,
    host: '127.0.0.1',
    logger: createLogger('runtime-probe', { write: () => undefined }),
  });
  apps.push(app);
  return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtime-int-'));
  broker = await startBroker({ port: 0, dataDir, logger: silentLogger });
}, 30_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  await broker.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('ServiceRuntimeModule', () => {
  it('listens and reports the database not ready, naming it, while PostgreSQL is unreachable', async () => {
    const url = await boot(`postgres://leadstream:leadstream@127.0.0.1:${await freePort()}/nowhere`, 'runtime_down');
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    const ready = await readiness(url);
    expect(ready.status).toBe(503);
    expect(ready.checks['database']).toMatch(/^down: connecting to PostgreSQL/);
  }, 30_000);

  it('is ready with its migrations applied on its own schema when PostgreSQL is reachable', async () => {
    const databaseUrl = process.env['LEADSTREAM_TEST_DATABASE_URL'];
    if (!databaseUrl) throw new Error('LEADSTREAM_TEST_DATABASE_URL is not set: run through the integration Jest project');
    const url = await boot(databaseUrl, `runtime_up_${Date.now()}`);
    let ready = await readiness(url);
    for (let i = 0; i < 100 && ready.status !== 200; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      ready = await readiness(url);
    }
    expect(ready).toEqual({ status: 200, checks: { database: 'up', kafka: 'up' } });
    const probe = await fetch(`${url}/probe`);
    expect(await probe.json()).toEqual({ tables: 0 });
  }, 60_000);
});
