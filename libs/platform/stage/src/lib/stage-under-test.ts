import { randomBytes } from 'node:crypto';
import { bulkTopicOf, topicFor, type EventEnvelope, type Lane, type LeadstreamEvent } from '@leadstream/contracts';
import { createDatabaseIfMissing, createServiceDataSource } from '@leadstream/platform-persistence';
import type { DataSource, MigrationInterface } from 'typeorm';
import { stageMigrations } from './stage-inbox.migration';
import { StageRunner, type StageDefinition, type StageEvent } from './stage-runner';

/**
 * For integration tests of a service's stage. A service's stage as one replica of it runs it, on a database of its own (a fresh database of the
 * integration run's PostgreSQL, with the service's migrations and the stage inbox). Deliver batches to
 * it as Kafka would; open a `replica()` to get a second instance of the service on the same database.
 */
export class StageUnderTest<E extends LeadstreamEvent> {
  private constructor(
    readonly dataSource: DataSource,
    private readonly runner: StageRunner,
    private readonly settings: StageUnderTestSettings<E>,
    private readonly url: string,
    private readonly replicas: StageUnderTest<E>[],
  ) {}

  static async open<E extends LeadstreamEvent>(settings: StageUnderTestSettings<E>): Promise<StageUnderTest<E>> {
    const base = process.env['LEADSTREAM_TEST_DATABASE_URL'];
    if (!base) throw new Error('LEADSTREAM_TEST_DATABASE_URL is not set: run stage tests through `jest --selectProjects integration`');
    const url = new URL(base);
    url.pathname = `/${settings.schema}_${randomBytes(4).toString('hex')}`;
    await createDatabaseIfMissing(url.toString());
    return StageUnderTest.connect(settings, url.toString(), []);
  }

  private static async connect<E extends LeadstreamEvent>(settings: StageUnderTestSettings<E>, url: string, replicas: StageUnderTest<E>[]): Promise<StageUnderTest<E>> {
    const dataSource = await createServiceDataSource(
      { url, schema: settings.schema, applicationName: `${settings.schema}-stage-test` },
      { migrations: [...stageMigrations(settings.schema), ...settings.migrations] },
    );
    const runner = new StageRunner({
      dataSource,
      schema: settings.schema,
      groupId: `leadstream-${settings.schema}`,
      clock: settings.clock,
      afterCommit: settings.afterCommit,
    });
    const opened = new StageUnderTest(dataSource, runner, settings, url, replicas);
    replicas.push(opened);
    return opened;
  }

  /** Another instance of the service (its own pool and runner) on the same database and consumer group. */
  replica(overrides: Partial<Pick<StageUnderTestSettings<E>, 'clock' | 'afterCommit'>> = {}): Promise<StageUnderTest<E>> {
    return StageUnderTest.connect({ ...this.settings, ...overrides }, this.url, this.replicas);
  }

  /**
   * Another stage of the same service (another @EventPattern of it) on the same database and consumer
   * group: for a service with several stages that change the same state (dedupe's leads and its merge
   * requests).
   */
  otherStage<F extends LeadstreamEvent>(stage: StageDefinition<F>): Promise<StageUnderTest<F>> {
    return StageUnderTest.connect<F>({ ...this.settings, stage } as unknown as StageUnderTestSettings<F>, this.url, this.replicas as unknown as StageUnderTest<F>[]);
  }

  /**
   * A replica that dies right after its stage transaction commits, before it can publish: its
   * deliver() rejects with KILLED_BEFORE_PUBLISHING, as a process killed there loses the events in hand.
   */
  crashingReplica(clock?: () => Date): Promise<StageUnderTest<E>> {
    return this.replica({
      clock,
      afterCommit: () => {
        throw new Error(KILLED_BEFORE_PUBLISHING);
      },
    });
  }

  /** Delivers `events` as one batch of `lane`; resolves to what the stage hands over for publishing. */
  deliver(events: readonly E[], lane: Lane = 'live'): Promise<EventEnvelope[]> {
    return this.deliverConsumed(consumedAs(events, lane));
  }

  /** Delivers events with the topic, partition, offset and headers given. */
  deliverConsumed(consumed: readonly StageEvent<E>[]): Promise<EventEnvelope[]> {
    return this.runner.run(this.settings.stage, consumed);
  }

  query<T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.dataSource.query(sql, parameters);
  }

  /** Closes this instance and every replica opened from it. */
  async close(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => (replica.dataSource.isInitialized ? replica.dataSource.destroy() : undefined)));
  }
}

export interface StageUnderTestSettings<E extends LeadstreamEvent> {
  /** The service's schema; its consumer group is `leadstream-<schema>`. */
  readonly schema: string;
  readonly migrations: readonly (new () => MigrationInterface)[];
  /** The stage as the consumer declares it: `declaredStage(new LeadScoredConsumer(...), 'handle')`. */
  readonly stage: StageDefinition<E>;
  readonly clock?: () => Date;
  readonly afterCommit?: () => void | Promise<void>;
}

export const KILLED_BEFORE_PUBLISHING = 'killed between commit and publish';

let offset = 0;

/** The events as Kafka hands them to a consumer of `lane` (topic of their type, or its bulk twin). */
export function consumedAs<E extends LeadstreamEvent>(events: readonly E[], lane: Lane = 'live'): StageEvent<E>[] {
  return events.map((event) => {
    offset += 1;
    const topic = topicFor(event.type);
    return { event, topic: lane === 'bulk' ? bulkTopicOf(topic) : topic, partition: 0, offset: String(offset), headers: {} };
  });
}

/** A clock that reads `iso` until moved. */
export function fixedClock(iso: string): { (): Date; set(next: string): void } {
  let now = new Date(iso);
  const clock = (): Date => new Date(now);
  clock.set = (next: string): void => {
    now = new Date(next);
  };
  return clock;
}
