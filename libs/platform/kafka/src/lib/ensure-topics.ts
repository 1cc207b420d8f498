import { createLogger, type Logger } from '@leadstream/platform-observability';
import { classifyError, describeError, PermanentError, TransientError } from './errors';
import { createKafkaClient, type KafkaSettings } from './kafka-client';

export const DEFAULT_PARTITIONS = 12;

/**
 * Creates the topics that do not exist yet, with `partitions` partitions each, and waits for their
 * leaders. Idempotent: existing topics are left exactly as they are (never re-partitioned), and a topic
 * created concurrently by another service counts as success. Throws TransientError when Kafka cannot be
 * reached.
 */
export async function ensureTopics(
  settings: KafkaSettings,
  topics: readonly string[],
  partitions: number = DEFAULT_PARTITIONS,
  options: { logger?: Logger } = {},
): Promise<void> {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  const wanted = [...new Set(topics)];
  if (wanted.length === 0) return;
  const logger = options.logger ?? createLogger('platform-kafka');
  const admin = createKafkaClient(settings, logger).admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((topic) => !existing.has(topic));
    if (missing.length === 0) return;
    try {
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic, numPartitions: partitions })),
        waitForLeaders: true,
      });
    } catch (err) {
      // Another service may have created some of them between listTopics and createTopics.
      if (!isAlreadyExists(err)) throw err;
    }
    logger.info('created Kafka topics', { topics: missing, partitions });
  } catch (err) {
    const message = `cannot ensure Kafka topics ${wanted.join(', ')}: ${describeError(err)}`;
    if (classifyError(err) === 'permanent') throw new PermanentError(message, { cause: err });
    throw new TransientError(message, { cause: err });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function isAlreadyExists(err: unknown): boolean {
  const e = err as { type?: unknown; errors?: unknown };
  if (e?.type === 'TOPIC_ALREADY_EXISTS') return true;
  return Array.isArray(e?.errors) && e.errors.length > 0 && e.errors.every((inner) => (inner as { type?: unknown })?.type === 'TOPIC_ALREADY_EXISTS');
}
