import { ServiceUnavailableException } from '@nestjs/common';
import type { EventEnvelope } from '@leadstream/contracts';
import type { EventPublisher } from '@leadstream/platform-kafka';

/** Seconds a client should wait before retrying when Kafka did not acknowledge. */
export const RETRY_AFTER_SECONDS = 5;

export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/**
 * Publishes `events` in one call and returns once Kafka acknowledged all of them (acks -1). When it
 * cannot, sets Retry-After and throws 503: the caller answers nothing as accepted that Kafka did not take.
 */
export async function publishAcknowledged(publisher: EventPublisher, events: readonly EventEnvelope[], response: HeaderSink, what: string): Promise<void> {
  try {
    await publisher.publish(events);
  } catch (error) {
    response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    throw new ServiceUnavailableException(
      `${what} not accepted: Kafka did not acknowledge it (${error instanceof Error ? error.message : String(error)}); nothing was recorded, retry the whole request later`,
    );
  }
}
