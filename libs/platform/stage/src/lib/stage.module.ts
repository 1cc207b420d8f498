import { type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { KafkaConsumers } from '@leadstream/platform-kafka';
import type { Logger } from '@leadstream/platform-observability';
import { DataSource } from 'typeorm';
import { InboxPruner, type InboxRetention } from './inbox-pruner';
import { StageRunner } from './stage-runner';
import { StageTransport } from './stage.transport';

export interface StageModuleOptions {
  /** The service's consumer group, `leadstream-<service>`. */
  readonly groupId: string;
  /** The service's own schema (stage_inbox lives there). */
  readonly schema: string;
  readonly retention: InboxRetention;
  readonly logger: Logger;
  readonly clock?: () => Date;
  /** StageRunnerOptions.afterCommit (fault injection in tests). */
  readonly afterCommit?: () => void | Promise<void>;
}

@Injectable()
class InboxPruning implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(InboxPruner) private readonly pruner: InboxPruner) {}
  onApplicationBootstrap(): void {
    this.pruner.start();
  }
  onApplicationShutdown(): Promise<void> {
    return this.pruner.stop();
  }
}

/**
 * The stage runtime of a service: the StageRunner on its DataSource, the StageTransport (connected by
 * connectStageTransport) and the inbox pruning schedule. Needs DataSource and KafkaConsumers (global
 * in a service built on ServiceRuntimeModule).
 */
@Module({})
export class StageModule {
  static forRoot(options: StageModuleOptions): DynamicModule {
    return {
      module: StageModule,
      providers: [
        {
          provide: StageRunner,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new StageRunner({ dataSource, schema: options.schema, groupId: options.groupId, clock: options.clock, afterCommit: options.afterCommit }),
        },
        {
          provide: StageTransport,
          inject: [KafkaConsumers, StageRunner],
          useFactory: (kafka: KafkaConsumers, runner: StageRunner) => new StageTransport({ groupId: options.groupId }, kafka, runner),
        },
        {
          provide: InboxPruner,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new InboxPruner(dataSource, options.schema, options.retention, options.logger, options.clock),
        },
        InboxPruning,
      ],
      exports: [StageRunner, StageTransport, InboxPruner],
    };
  }
}
