// A minimal service built the way Leadstream services are (Kafka seam + stage runtime + one
// @EventPattern stage) for stage.transport.int.spec.ts, in-process or in a child process
// (crash-after-commit.ts).
import 'reflect-metadata';
import { Controller, type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { reactTo, TOPICS, type LeadEnriched, type LeadReceived } from '@leadstream/contracts';
import { KafkaModule, PermanentError } from '@leadstream/platform-kafka';
import type { Logger } from '@leadstream/platform-observability';
import { createServiceDataSource } from '@leadstream/platform-persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DataSource } from 'typeorm';
import { stageMigrations } from '../lib/stage-inbox.migration';
import type { StageBatch } from '../lib/stage-runner';
import { StageModule } from '../lib/stage.module';
import { connectStageTransport } from '../lib/stage.transport';

export const TEST_SCHEMA = 'stage_test';
export const TEST_GROUP = 'leadstream-stage-test';

class CreateEnrichmentCount1764800000001 implements MigrationInterface {
  name = 'CreateEnrichmentCount1764800000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE ${TEST_SCHEMA}.enrichment_count (lead_id uuid PRIMARY KEY, times integer NOT NULL)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${TEST_SCHEMA}.enrichment_count`);
  }
}

/** lead.received -> lead.enriched, counting per lead how often it decided; a lead whose email starts with "poison" is refused. */
@Controller()
class CountingEnrichment {
  @EventPattern(TOPICS.leadReceived)
  async handle(@Payload() batch: StageBatch<LeadReceived>): Promise<LeadEnriched[]> {
    const outgoing: LeadEnriched[] = [];
    for (const { event } of batch.events) {
      const email = event.data.lead.email;
      if (email?.startsWith('poison')) throw new PermanentError(`refusing ${email}`);
      await batch.transaction.query(
        `INSERT INTO ${TEST_SCHEMA}.enrichment_count (lead_id, times) VALUES ($1, 1) ON CONFLICT (lead_id) DO UPDATE SET times = enrichment_count.times + 1`,
        [event.metadata.leadId],
      );
      outgoing.push(
        reactTo<LeadEnriched>(event, 'stage-test', {
          type: 'lead.enriched',
          data: { lead: email === undefined ? event.data.lead : { ...event.data.lead, emailDomain: 'example.com', isFreeEmail: false } },
          occurredAt: batch.now.toISOString(),
        }),
      );
    }
    return outgoing;
  }
}

export interface StageAppOptions {
  readonly brokers: string[];
  readonly databaseUrl: string;
  readonly logger: Logger;
  readonly afterCommit?: () => void | Promise<void>;
}

function appModule(options: StageAppOptions, dataSource: DataSource): DynamicModule {
  @Module({})
  class DatabaseModule {}
  @Module({})
  class StageTestModule {}
  return {
    module: StageTestModule,
    imports: [
      { module: DatabaseModule, global: true, providers: [{ provide: DataSource, useValue: dataSource }], exports: [DataSource] },
      KafkaModule.forRoot({ brokers: options.brokers, clientId: 'stage-test', logger: options.logger }),
      StageModule.forRoot({
        groupId: TEST_GROUP,
        schema: TEST_SCHEMA,
        retention: { retentionMs: 3_600_000, intervalMs: 3_600_000 },
        logger: options.logger,
        afterCommit: options.afterCommit,
      }),
    ],
    controllers: [CountingEnrichment],
  };
}

/** Starts the service; close the returned app to stop it (its DataSource is closed with it). */
export async function startStageApp(options: StageAppOptions): Promise<INestApplication> {
  const dataSource = await createServiceDataSource(
    { url: options.databaseUrl, schema: TEST_SCHEMA, applicationName: 'stage-test' },
    { migrations: [...stageMigrations(TEST_SCHEMA), CreateEnrichmentCount1764800000001] },
  );
  const app = await NestFactory.create(appModule(options, dataSource), { logger: false });
  app.enableShutdownHooks();
  await connectStageTransport(app);
  await app.init();
  const close = app.close.bind(app);
  app.close = async () => {
    await close();
    await dataSource.destroy();
  };
  return app;
}
