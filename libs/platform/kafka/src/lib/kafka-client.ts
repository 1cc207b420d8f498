import type { Logger } from '@leadstream/platform-observability';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';

/** Where the brokers are and who we are. `brokers` are `host:port` strings. */
export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
}

export function validateSettings(settings: KafkaSettings): void {
  if (!Array.isArray(settings.brokers) || settings.brokers.length === 0) {
    throw new TypeError('KafkaSettings.brokers must list at least one host:port');
  }
  for (const broker of settings.brokers) {
    if (typeof broker !== 'string' || !/^[^\s:]+:\d{1,5}$/.test(broker)) {
      throw new TypeError(`KafkaSettings.brokers: ${JSON.stringify(broker)} is not host:port`);
    }
  }
  if (typeof settings.clientId !== 'string' || settings.clientId.trim() === '') {
    throw new TypeError('KafkaSettings.clientId must be a non-empty string');
  }
}

/**
 * One kafkajs client. kafkajs' own log lines go to our logger (warnings and errors only: its info
 * level narrates every join and connection). Its request retries are kept short, a few seconds in all,
 * because the callers retry on their own terms: the consumer retries the batch forever with its backoff,
 * and an HTTP edge prefers a quick 503 to a request hanging for half a minute.
 * The kafkajs it builds on is the installed package with patches/kafkajs+2.2.4.patch applied at install
 * (docs/adr/0012-kafkajs-patches.md); nothing is changed at run time.
 */
export function createKafkaClient(settings: KafkaSettings, logger: Logger): Kafka {
  validateSettings(settings);
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 5 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...fields } = entry.log;
      const text = `kafkajs ${entry.namespace}: ${message}`;
      const extra = { ...fields, clientId: settings.clientId };
      if (entry.level === logLevel.ERROR) logger.error(text, extra);
      else if (entry.level === logLevel.WARN) logger.warn(text, extra);
      else if (entry.level === logLevel.INFO) logger.info(text, extra);
      else logger.debug(text, extra);
    },
  });
}
