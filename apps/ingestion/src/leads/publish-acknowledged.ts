import { ServiceUnavailableException } from '@nestjs/common';

/** Seconds a client should wait before retrying when Kafka did not acknowledge. */
export const RETRY_AFTER_SECONDS = 5;

export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/**
 * Runs `publish` (one publish call of the request's events) and returns once Kafka acknowledged all of
 * them (acks -1). When it cannot, or `publish` throws, sets Retry-After and throws 503: the caller
 * answers nothing as accepted that Kafka did not take.
 */
export async function publishAcknowledged(publish: () => Promise<void>, response: HeaderSink, what: string): Promise<void> {
  try {
    await publish();
  } catch (error) {
    response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    throw new ServiceUnavailableException(
      `${what} not accepted: Kafka did not acknowledge it (${error instanceof Error ? error.message : String(error)}); nothing was recorded, retry the whole request later`,
    );
  }
}
