import type { Logger } from '@leadstream/platform-observability';
import { describeError } from '@leadstream/platform-kafka';
import { quoteIdentifier } from '@leadstream/platform-persistence';
import type { DataSource } from 'typeorm';

export interface InboxRetention {
  /** How long an event's inbox row (and the events it produced) is kept. */
  readonly retentionMs: number;
  /** How often the pruner runs. */
  readonly intervalMs: number;
}

/** Seven days: Kafka's default log retention, beyond which the broker no longer redelivers an event. */
export const DEFAULT_INBOX_RETENTION: InboxRetention = { retentionMs: 7 * 24 * 3_600_000, intervalMs: 3_600_000 };

const ROWS_PER_DELETE = 10_000;

/**
 * Deletes inbox rows older than the retention, then the outbox rows (the events they produced) of the
 * same age, in bounded statements so a long backlog never holds one huge transaction. An inbox row and
 * its outbox row are written by one transaction with one timestamp, so the inbox rows go first and no
 * row left points at a deleted outbox row. An event redelivered after its row was pruned is processed
 * again; with the default retention that needs an offset older than Kafka itself keeps.
 */
export async function pruneInbox(dataSource: DataSource, schema: string, olderThan: Date): Promise<number> {
  const deleted = await deleteOlder(dataSource, `${quoteIdentifier(schema)}.stage_inbox`, 'processed_at', olderThan);
  await deleteOlder(dataSource, `${quoteIdentifier(schema)}.stage_outbox`, 'created_at', olderThan);
  return deleted;
}

async function deleteOlder(dataSource: DataSource, table: string, column: string, olderThan: Date): Promise<number> {
  let deleted = 0;
  for (;;) {
    const [pass] = (await dataSource.query(
      `WITH gone AS (DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${column} < $1 LIMIT ${ROWS_PER_DELETE})) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [olderThan],
    )) as { n: number }[];
    const n = pass?.n ?? 0;
    deleted += n;
    if (n < ROWS_PER_DELETE) return deleted;
  }
}

/** Runs pruneInbox every `intervalMs` (first run one interval after start); failures are logged and retried next time. */
export class InboxPruner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly retention: InboxRetention,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.pruneNow(), this.retention.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; resolves when done (never rejects). */
  pruneNow(): Promise<void> {
    this.running ??= this.prune().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async prune(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    const olderThan = new Date(this.clock().getTime() - this.retention.retentionMs);
    try {
      const deleted = await pruneInbox(this.dataSource, this.schema, olderThan);
      if (deleted > 0) this.logger.info('stage inbox pruned', { deleted, olderThan: olderThan.toISOString() });
    } catch (error) {
      this.logger.warn('stage inbox prune failed; retrying at the next interval', { error: describeError(error) });
    }
  }
}

/**
 * The retention from the environment: STAGE_INBOX_RETENTION_HOURS (default 168) and
 * STAGE_INBOX_PRUNE_INTERVAL_MINUTES (default 60). A value that is not a positive number is refused
 * with the variable named.
 */
export function readInboxRetention(env: Readonly<Record<string, string | undefined>> = process.env): InboxRetention {
  const hours = positive(env, 'STAGE_INBOX_RETENTION_HOURS');
  const minutes = positive(env, 'STAGE_INBOX_PRUNE_INTERVAL_MINUTES');
  return {
    retentionMs: hours === undefined ? DEFAULT_INBOX_RETENTION.retentionMs : hours * 3_600_000,
    intervalMs: minutes === undefined ? DEFAULT_INBOX_RETENTION.intervalMs : minutes * 60_000,
  };
}

function positive(env: Readonly<Record<string, string | undefined>>, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got '${raw}'`);
  return value;
}
