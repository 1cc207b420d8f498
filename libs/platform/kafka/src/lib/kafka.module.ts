import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  type FactoryProvider,
  Inject,
  Injectable,
  type InjectionToken,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createLogger, type Logger } from '@leadstream/platform-observability';
import { bulkTopicOf } from '@leadstream/contracts';
import { backoffDelay, DEFAULT_RETRY_POLICY } from './backoff';
import { describeError } from './errors';
import { EventConsumer, type EventConsumerOptions } from './event-consumer';
import { EventPublisher } from './event-publisher';
import type { KafkaSettings } from './kafka-client';

export interface KafkaModuleOptions extends KafkaSettings {
  readonly logger?: Logger;
  /** Default `bulkMaxBytes` of the registered consumers (1 MiB when unset). */
  readonly bulkFetchMaxBytes?: number;
}

/** Injection token of the module's KafkaModuleOptions. */
export const KAFKA_OPTIONS: InjectionToken = 'LEADSTREAM_KAFKA_OPTIONS';

/** What a registered consumer needs: the EventConsumer options minus what the module supplies (publisher, lanes). */
export type ConsumerRegistration = Omit<EventConsumerOptions, 'publisher' | 'logger' | 'lane'> & {
  readonly logger?: Logger;
  /**
   * Also consume the bulk twins of the topics (default true), as group `${groupId}.bulk`, publishing what
   * they cause in the bulk lane. The two consumers call the handler independently, as two replicas of the
   * service would: a live event never waits for the bulk backlog, nor for the bulk batch in hand.
   */
  readonly bulkLane?: boolean;
  /**
   * Most bytes one fetch of the bulk lane brings (default: the module's `bulkFetchMaxBytes`, else 1 MiB;
   * see docs/adr/0008-bulk-lane.md for the measured choice).
   */
  readonly bulkMaxBytes?: number;
};

/** The consumers of one registration: its live lane and, unless registered without, its bulk lane. */
export interface LaneConsumers {
  readonly live: EventConsumer;
  readonly bulk?: EventConsumer;
}

const DEFAULT_BULK_FETCH_MAX_BYTES = 1024 * 1024;

/** The consumer group of a registration's bulk lane. */
export function bulkGroupIdOf(groupId: string): string {
  return `${groupId}.bulk`;
}

/**
 * Owns the Kafka lifecycle of a Nest application: connects the EventPublisher and starts every
 * registered EventConsumer once the application has bootstrapped (all modules initialised, migrations
 * run), in the background and retrying with backoff, so a service whose broker is down still boots
 * and reports not-ready instead of crash-looping. On shutdown it stops the consumers first (each
 * finishes and commits its batch in hand and leaves its group: beforeApplicationShutdown, while the
 * database is still open) and disconnects the publisher last (onApplicationShutdown).
 * Needs app.enableShutdownHooks() (bootstrapService does it).
 */
@Injectable()
export class KafkaConsumers implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly consumers: EventConsumer[] = [];
  private readonly logger: Logger;
  private bootstrapped = false;
  private shuttingDown = false;
  private publisherConnected: Promise<boolean> | undefined;
  private readonly starting = new Set<Promise<unknown>>();
  private readonly wakeSleepers = new Set<() => void>();

  constructor(
    @Inject(KAFKA_OPTIONS) private readonly options: KafkaModuleOptions,
    @Inject(EventPublisher) readonly publisher: EventPublisher,
  ) {
    this.logger = options.logger ?? createLogger('platform-kafka');
  }

  /**
   * Creates the consumers of `registration` (its live lane, and its bulk lane unless `bulkLane: false`),
   * publishing through the module's EventPublisher. Started after application bootstrap (at once in the
   * background when registered later); stopped on shutdown.
   */
  register(registration: ConsumerRegistration): LaneConsumers {
    const { bulkLane = true, bulkMaxBytes = this.options.bulkFetchMaxBytes ?? DEFAULT_BULK_FETCH_MAX_BYTES, ...options } = registration;
    const groupIds = bulkLane ? [options.groupId, bulkGroupIdOf(options.groupId)] : [options.groupId];
    const taken = groupIds.find((groupId) => this.consumers.some((c) => c.groupId === groupId));
    if (taken !== undefined) throw new Error(`a consumer for group ${taken} is already registered`);
    const settings = { brokers: this.options.brokers, clientId: this.options.clientId };
    const shared = { ...options, logger: options.logger ?? this.logger, publisher: this.publisher };
    const live = new EventConsumer(settings, { ...shared, lane: 'live' });
    const bulk = bulkLane
      ? new EventConsumer(settings, {
          ...shared,
          groupId: bulkGroupIdOf(options.groupId),
          topics: options.topics.map(bulkTopicOf),
          maxBytes: bulkMaxBytes,
          lane: 'bulk',
        })
      : undefined;
    for (const consumer of bulk ? [live, bulk] : [live]) {
      this.consumers.push(consumer);
      if (this.bootstrapped && !this.shuttingDown) this.track(this.startConsumer(consumer));
    }
    return { live, bulk };
  }

  /** The publisher and every registered consumer are ready. */
  isReady(): boolean {
    return this.publisher.isReady() && this.consumers.every((c) => c.isReady());
  }

  /** For a readiness registry: throws an error naming what is not ready. */
  assertReady(): void {
    const down = [
      ...(this.publisher.isReady() ? [] : ['publisher']),
      ...this.consumers.filter((c) => !c.isReady()).map((c) => `consumer ${c.groupId}`),
    ];
    if (down.length > 0) throw new Error(`Kafka not ready: ${down.join(', ')}`);
  }

  onApplicationBootstrap(): void {
    this.bootstrapped = true;
    for (const consumer of this.consumers) this.track(this.startConsumer(consumer));
    if (this.consumers.length === 0) this.track(this.connectPublisher());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    [...this.wakeSleepers].forEach((wake) => wake());
    await Promise.allSettled([...this.starting]);
    await Promise.allSettled(
      this.consumers.map((c) =>
        c.stop().catch((err: unknown) => this.logger.error('consumer did not stop cleanly', { groupId: c.groupId, error: describeError(err) })),
      ),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.shuttingDown) await this.beforeApplicationShutdown();
    await this.publisher.disconnect().catch((err: unknown) => this.logger.error('publisher did not disconnect cleanly', { error: describeError(err) }));
  }

  private track(work: Promise<unknown>): void {
    this.starting.add(work);
    void work.finally(() => this.starting.delete(work));
  }

  private connectPublisher(): Promise<boolean> {
    this.publisherConnected ??= this.untilDone('connect the event publisher', () => this.publisher.connect());
    return this.publisherConnected;
  }

  private async startConsumer(consumer: EventConsumer): Promise<void> {
    if (!(await this.connectPublisher())) return;
    await this.untilDone(`start consumer ${consumer.groupId}`, () => consumer.start());
  }

  // Runs `attempt` until it succeeds or the application shuts down; false when it gave up for shutdown.
  private async untilDone(what: string, attempt: () => Promise<void>): Promise<boolean> {
    for (let n = 1; !this.shuttingDown; n += 1) {
      try {
        await attempt();
        return true;
      } catch (err) {
        const delay = backoffDelay(n, { initialMs: 500, maxMs: DEFAULT_RETRY_POLICY.maxMs });
        this.logger.warn(`cannot ${what} yet; retrying`, { attempt: n, retryInMs: delay, error: describeError(err) });
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            clearTimeout(timer);
            this.wakeSleepers.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, delay);
          this.wakeSleepers.add(wake);
        });
      }
    }
    return false;
  }
}

/**
 * The Kafka seam of a Nest application: a global module providing EventPublisher (connected after
 * bootstrap) and KafkaConsumers (register batch consumers; readiness). Services declare their consumers
 * as @EventPattern handlers; platform-stage's transport registers them here (docs/adr/0010-consumer-stages.md).
 */
@Module({})
export class KafkaModule {
  static forRoot(options: KafkaModuleOptions): DynamicModule {
    return KafkaModule.build([{ provide: KAFKA_OPTIONS, useValue: options }], []);
  }

  static forRootAsync(options: {
    imports?: DynamicModule['imports'];
    inject?: FactoryProvider['inject'];
    useFactory: (...args: never[]) => KafkaModuleOptions | Promise<KafkaModuleOptions>;
  }): DynamicModule {
    return KafkaModule.build([{ provide: KAFKA_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory }], options.imports ?? []);
  }

  private static build(optionsProviders: DynamicModule['providers'] & object, imports: DynamicModule['imports'] & object): DynamicModule {
    const publisherProvider: FactoryProvider<EventPublisher> = {
      provide: EventPublisher,
      inject: [KAFKA_OPTIONS],
      useFactory: (options: KafkaModuleOptions) =>
        new EventPublisher({ brokers: options.brokers, clientId: options.clientId }, { logger: options.logger }),
    };
    return {
      module: KafkaModule,
      global: true,
      imports,
      providers: [...optionsProviders, publisherProvider, KafkaConsumers],
      exports: [KAFKA_OPTIONS, EventPublisher, KafkaConsumers],
    };
  }
}

