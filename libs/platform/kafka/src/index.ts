export { TransientError, PermanentError, classifyError, describeError, type ErrorKind } from './lib/errors';
export { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy } from './lib/backoff';
export type { KafkaSettings } from './lib/kafka-client';
export { EVENT_HEADERS, DEAD_LETTER_HEADERS, serializeEvent, type OutgoingRecord } from './lib/message-headers';
export { EventPublisher, type EventPublisherOptions, type TraceCarrierFor } from './lib/event-publisher';
export { EventConsumer, type BatchHandler, type ConsumedEvent, type EventConsumerOptions } from './lib/event-consumer';
export { ensureTopics, DEFAULT_PARTITIONS } from './lib/ensure-topics';
export {
  KafkaModule,
  KafkaConsumers,
  KAFKA_OPTIONS,
  bulkGroupIdOf,
  type ConsumerRegistration,
  type LaneConsumers,
  type KafkaModuleOptions,
} from './lib/kafka.module';
