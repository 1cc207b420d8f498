import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KafkaConsumers, KafkaModule } from '@leadstream/platform-kafka';
import { openServiceDataSource, probeDatabase, type DataSourceContent } from '@leadstream/platform-persistence';
import { createLogger, type JsonLogger } from '@leadstream/platform-observability';
import { readInboxRetention, stageMigrations, StageModule } from '@leadstream/platform-stage';
import type { ServiceConfig } from './config';
import { HealthModule } from './health.module';
import { ReadinessRegistry } from './readiness';

export interface ServiceRuntimeOptions {
  readonly config: ServiceConfig;
  /** The service's own migrations, run at start-up on its own schema. */
  readonly migrations?: DataSourceContent['migrations'];
  readonly entities?: DataSourceContent['entities'];
  /** Where the runtime's own lines (Kafka, database) go; default a JSON logger at the configured level. */
  readonly logger?: JsonLogger;
}

/**
 * The service's database connection, opened in the background: the service listens on HTTP (live,
 * and not ready) while PostgreSQL is unreachable, and is ready once connected and migrated. A setup
 * that can never succeed (a broken migration, a wrong password) stops the service with the reason.
 */
@Injectable()
class ServiceDatabase implements OnApplicationShutdown {
  readonly dataSource: DataSource;
  private readonly abort = new AbortController();
  private failure: string | undefined;

  constructor(options: ServiceRuntimeOptions, logger: JsonLogger) {
    const { config } = options;
    const { dataSource, ready } = openServiceDataSource(
      { url: config.databaseUrl, schema: config.databaseSchema, applicationName: `leadstream-${config.name}`, logger, signal: this.abort.signal },
      { migrations: [...stageMigrations(config.databaseSchema), ...Object.values(options.migrations ?? [])], entities: options.entities },
    );
    this.dataSource = dataSource;
    ready.catch((error: unknown) => {
      if (this.abort.signal.aborted) return;
      this.failure = error instanceof Error ? error.message : String(error);
      logger.error(`database setup failed, stopping: ${this.failure}`);
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    });
  }

  async probe(): Promise<void> {
    if (this.failure) throw new Error(this.failure);
    if (!this.dataSource.isInitialized) throw new Error('connecting to PostgreSQL and applying migrations');
    await probeDatabase(this.dataSource);
  }

  /** Runs last, after the Kafka consumers finished their batches (beforeApplicationShutdown). */
  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Registers the readiness checks every service has: its database and its Kafka clients. */
@Injectable()
class StandardReadinessChecks implements OnModuleInit {
  constructor(
    private readonly registry: ReadinessRegistry,
    private readonly database: ServiceDatabase,
    @Inject(KafkaConsumers) private readonly kafka: KafkaConsumers,
  ) {}

  onModuleInit(): void {
    this.registry.register('database', () => this.database.probe());
    this.registry.register('kafka', () => this.kafka.assertReady());
  }
}

/**
 * What every Leadstream service runs on: health endpoints, the Kafka seam (publisher + batch
 * consumers, client id `leadstream-<service>`), the stage runtime (its controllers' @EventPattern
 * handlers run as stages of group `leadstream-<service>`, inbox in its schema), and a TypeORM DataSource on the service's own
 * schema with its migrations applied, all wired into /health/ready. A service module imports this
 * and adds its controllers and consumers.
 */
@Module({})
export class ServiceRuntimeModule {
  static forRoot(options: ServiceRuntimeOptions): DynamicModule {
    const { config } = options;
    const logger = options.logger ?? createLogger(config.name, { level: config.logLevel });
    return {
      module: ServiceRuntimeModule,
      global: true,
      imports: [
        HealthModule.forRoot(),
        KafkaModule.forRoot({ brokers: config.kafkaBrokers, clientId: `leadstream-${config.name}`, bulkFetchMaxBytes: config.kafkaBulkFetchMaxBytes, logger }),
        StageModule.forRoot({ groupId: `leadstream-${config.name}`, schema: config.databaseSchema, retention: readInboxRetention(), logger }),
      ],
      providers: [
        { provide: ServiceDatabase, useFactory: () => new ServiceDatabase(options, logger) },
        { provide: DataSource, inject: [ServiceDatabase], useFactory: (database: ServiceDatabase) => database.dataSource },
        StandardReadinessChecks,
      ],
      exports: [DataSource],
    };
  }
}
