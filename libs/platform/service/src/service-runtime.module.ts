import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KafkaConsumers, KafkaModule } from '@leadstream/platform-kafka';
import { createServiceDataSource, probeDatabase, type DataSourceContent } from '@leadstream/platform-persistence';
import { createLogger, type JsonLogger } from '@leadstream/platform-observability';
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

/** Registers the readiness checks every service has: its database and its Kafka clients. */
@Injectable()
class StandardReadinessChecks implements OnModuleInit {
  constructor(
    private readonly registry: ReadinessRegistry,
    private readonly dataSource: DataSource,
    @Inject(KafkaConsumers) private readonly kafka: KafkaConsumers,
  ) {}

  onModuleInit(): void {
    this.registry.register('database', () => probeDatabase(this.dataSource));
    this.registry.register('kafka', () => this.kafka.assertReady());
  }
}

/** Closes the pool last, after the Kafka consumers finished their batches (beforeApplicationShutdown). */
@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * What every Leadstream service runs on: health endpoints, the Kafka seam (publisher + batch
 * consumers, client id `leadstream-<service>`), and a TypeORM DataSource on the service's own
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
      imports: [HealthModule.forRoot(), KafkaModule.forRoot({ brokers: config.kafkaBrokers, clientId: `leadstream-${config.name}`, logger })],
      providers: [
        {
          provide: DataSource,
          useFactory: () =>
            createServiceDataSource(
              { url: config.databaseUrl, schema: config.databaseSchema, applicationName: `leadstream-${config.name}`, logger },
              { migrations: options.migrations ?? [], entities: options.entities },
            ),
        },
        StandardReadinessChecks,
        DataSourceCloser,
      ],
      exports: [DataSource],
    };
  }
}
