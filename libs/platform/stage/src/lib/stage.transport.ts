import { Catch, type INestApplication, type RpcExceptionFilter } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { BaseRpcContext, type CustomTransportStrategy, type MessageHandler, type MicroserviceOptions, type NestMicroservice, Server } from '@nestjs/microservices';
import { bulkTopicOf, laneOfTopic, type EventEnvelope, type Lane, type LeadstreamEvent } from '@leadstream/contracts';
import { KafkaConsumers, PermanentError, type ConsumedEvent, type LaneConsumers } from '@leadstream/platform-kafka';
import { PATTERN_EXTRAS_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { lastValueFrom, type Observable, throwError } from 'rxjs';
import { StageRunner, type StageBatch, type StageDefinition } from './stage-runner';

/** Key of the stage options in an @EventPattern's extras. */
export const STAGE_EXTRAS = 'leadstream.stage';

/** How a stage runs, when the defaults do not fit (see StageDefinition). */
export interface StageOptions<E extends LeadstreamEvent = LeadstreamEvent> {
  /** What the stage serialises on; default the event's partition key (the surviving lead). */
  readonly lockKeys?: (event: E) => readonly string[];
  /** false only for a sink whose own store is keyed by event id (StageDefinition.inbox). */
  readonly inbox?: boolean;
}

type StageExtras = StageOptions<LeadstreamEvent>;

/**
 * Extras for `@EventPattern(topics, stage({ ... }))`. One decorator with several topics is one stage:
 * their events share a transaction.
 */
export function stage<E extends LeadstreamEvent>(options: StageOptions<E>): Record<string, unknown> {
  return { [STAGE_EXTRAS]: options };
}

/**
 * Extras for `@EventPattern(topics, lockOn(...))`: what the stage serialises on, when it is not the
 * event's partition key (dedupe locks the match key).
 */
export function lockOn<E extends LeadstreamEvent>(lockKeys: (event: E) => readonly string[]): Record<string, unknown> {
  return stage({ lockKeys });
}

/**
 * The stage a consumer class declares on `method` with @EventPattern (its lock keys included), called
 * directly, without Nest: for integration tests of a service's stage.
 */
export function declaredStage<E extends LeadstreamEvent>(instance: object, method: string): StageDefinition<E> {
  const handler = (instance as Record<string, unknown>)[method];
  if (typeof handler !== 'function') throw new Error(`${instance.constructor.name}.${method} is not a method`);
  const patterns: unknown = Reflect.getMetadata(PATTERN_METADATA, handler);
  if (!Array.isArray(patterns)) throw new Error(`${instance.constructor.name}.${method} has no @EventPattern`);
  const extras = (Reflect.getMetadata(PATTERN_EXTRAS_METADATA, handler) ?? {}) as Record<string, unknown>;
  const stageExtras = (extras[STAGE_EXTRAS] ?? {}) as StageOptions<E>;
  return {
    name: `${instance.constructor.name}.${method} ${patterns.join(',')}`,
    handler: (batch) => (handler as (batch: StageBatch<E>) => Promise<readonly EventEnvelope[]>).call(instance, batch),
    lockKeys: stageExtras.lockKeys,
    inbox: stageExtras.inbox,
  };
}

/** The context a stage handler may take as its second argument: topic and lane of the first event. */
export class StageContext extends BaseRpcContext<[string, Lane]> {
  get topic(): string {
    return this.args[0];
  }
  get lane(): Lane {
    return this.args[1];
  }
}

/** Nest's default RPC filter turns every error into `{ status: 'error' }`; the consumer needs the error itself to classify it. */
@Catch()
export class PassStageErrorsThrough implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

export interface StageTransportOptions {
  /** The service's consumer group (`leadstream-<service>`); its bulk lane is `<group>.bulk`. */
  readonly groupId: string;
}

interface RegisteredStage {
  readonly definition: StageDefinition;
  readonly topics: string[];
}

/**
 * A Nest microservice transport that runs every `@EventPattern(topic)` handler of the service as a
 * stage: batches from the service's consumer group (both lanes, through platform-kafka's
 * KafkaConsumers: dead letters, retries, trace propagation, commit after effects), each topic's events
 * handed to its handler inside the StageRunner's transaction. The handler receives a StageBatch and
 * returns the events to publish.
 */
export class StageTransport extends Server implements CustomTransportStrategy {
  private consumers: LaneConsumers | undefined;

  constructor(
    private readonly options: StageTransportOptions,
    private readonly kafka: KafkaConsumers,
    private readonly runner: StageRunner,
  ) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    try {
      const { stages, byTopic } = this.collectStages();
      if (stages.length > 0) {
        const stageOf = withBulkTwins(byTopic);
        this.consumers = this.kafka.register({
          groupId: this.options.groupId,
          topics: [...byTopic.keys()],
          handler: (batch) => this.dispatch(batch, stageOf),
        });
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** The lanes' consumers, once listening (undefined for a service without handlers). */
  laneConsumers(): LaneConsumers | undefined {
    return this.consumers;
  }

  /** KafkaConsumers stops the consumers before the database closes (beforeApplicationShutdown). */
  close(): void {
    this.consumers = undefined;
  }

  on(): never {
    throw new Error('StageTransport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.kafka as T;
  }

  private collectStages(): { stages: RegisteredStage[]; byTopic: Map<string, RegisteredStage> } {
    const stagesByExtras = new Map<object, RegisteredStage>();
    const byTopic = new Map<string, RegisteredStage>();
    for (const [topic, handler] of this.getHandlers()) {
      if (!handler.isEventHandler) throw new Error(`@MessagePattern(${topic}) has no meaning on Kafka stages; use @EventPattern`);
      if (handler.next) throw new Error(`two @EventPattern handlers for ${topic} in one service: a topic belongs to one stage`);
      const extras = (handler.extras ?? {}) as Record<string, unknown>;
      const stageExtras = (extras[STAGE_EXTRAS] ?? extras) as StageExtras & object;
      let stage = stagesByExtras.get(stageExtras);
      if (!stage) {
        stage = { definition: this.definitionOf(topic, handler, stageExtras), topics: [] };
        stagesByExtras.set(stageExtras, stage);
      }
      stage.topics.push(topic);
      byTopic.set(topic, stage);
    }
    return { stages: [...stagesByExtras.values()], byTopic };
  }

  private definitionOf(topic: string, handler: MessageHandler, extras: StageExtras): StageDefinition {
    return {
      name: `${this.options.groupId} ${topic}`,
      lockKeys: extras.lockKeys,
      inbox: extras.inbox,
      handler: async (batch: StageBatch) => {
        const first = batch.events[0];
        const context = new StageContext([first?.topic ?? topic, laneOfTopic(first?.topic ?? topic)]);
        const result: unknown = await handler(batch, context);
        const produced: unknown = await lastValueFrom(this.transformToObservable(result), { defaultValue: [] });
        return (produced ?? []) as readonly EventEnvelope[];
      },
    };
  }

  /** `stageOf`: the stage of every subscribed topic, live and bulk twin alike. */
  private async dispatch(batch: readonly ConsumedEvent[], stageOf: ReadonlyMap<string, RegisteredStage>): Promise<EventEnvelope[]> {
    const perStage = new Map<RegisteredStage, ConsumedEvent[]>();
    for (const consumed of batch) {
      const stage = stageOf.get(consumed.topic);
      if (!stage) throw new PermanentError(`no stage of ${this.options.groupId} handles ${consumed.topic}`); // unreachable: the group subscribes to these topics only
      const events = perStage.get(stage) ?? [];
      events.push(consumed);
      perStage.set(stage, events);
    }
    const outgoing: EventEnvelope[] = [];
    for (const [stage, events] of perStage) outgoing.push(...(await this.runner.run(stage.definition, events)));
    return outgoing;
  }
}

/** The stage of each topic and of its bulk twin, built once when the transport starts listening. */
function withBulkTwins(byTopic: ReadonlyMap<string, RegisteredStage>): Map<string, RegisteredStage> {
  const stageOf = new Map(byTopic);
  for (const [topic, stage] of byTopic) stageOf.set(bulkTopicOf(topic), stage);
  return stageOf;
}

/**
 * Connects the application's StageTransport as a Nest microservice (`connectMicroservice`) and starts
 * it, when the application has one. Its consumers start with the application (KafkaConsumers).
 */
export async function connectStageTransport(app: INestApplication): Promise<void> {
  // Looked up through ModuleRef: a failed app.get() aborts the process in an application made with
  // NestFactory's default abortOnError, and an application without the stage runtime is legitimate.
  let strategy: StageTransport;
  try {
    strategy = app.get(ModuleRef).get(StageTransport, { strict: false });
  } catch {
    return;
  }
  // Deferred so that the filter is in place before the handlers are wrapped; then what
  // connectMicroservice does when not deferred (the application's init hooks have run already).
  const microservice = app.connectMicroservice<MicroserviceOptions>({ strategy }, { deferInitialization: true }) as unknown as NestMicroservice;
  microservice.useGlobalFilters(new PassStageErrorsThrough());
  microservice.registerListeners();
  microservice.setIsInitialized(true);
  microservice.setIsInitHookCalled(true);
  await app.startAllMicroservices();
}
