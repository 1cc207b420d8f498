import { partitionKeyOf, type EventEnvelope, type LeadstreamEvent } from '@leadstream/contracts';
import { PermanentError, TransientError, serializeEvent, type ConsumedEvent } from '@leadstream/platform-kafka';
import { quoteIdentifier } from '@leadstream/platform-persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { constants, deflateSync, inflateSync } from 'node:zlib';
import { advisoryLockIds, chunkByKeys } from './lead-locks';

/** One consumed event handed to a stage, typed by what its topic carries. */
export type StageEvent<E extends LeadstreamEvent = LeadstreamEvent> = ConsumedEvent & { readonly event: E };

/** What a stage handler gets: the new events of one transaction, the transaction, and the clock reading. */
export interface StageBatch<E extends LeadstreamEvent = LeadstreamEvent> {
  /** The events this consumer group has not processed before, in delivery order. Never empty. */
  readonly events: readonly StageEvent<E>[];
  /**
   * The stage transaction: load the decider's state and store the new state through it. It commits
   * together with the inbox rows and the outgoing events, and holds the locks of the batch's leads.
   */
  readonly transaction: EntityManager;
  /** The batch's clock reading: the occurredAt of every event it produces. */
  readonly now: Date;
  /**
   * Locks more keys in the stage's lock namespace, for a handler that learns from a read which leads it
   * must serialise on (a surviving lead found by an address). These come after the batch's own locks, out
   * of their ascending order, so two stages could wait for each other: a wait longer than
   * LATE_LOCK_TIMEOUT fails the batch as transient (it is retried), rather than wait for PostgreSQL's
   * deadlock detection. The locks count towards maxLocksPerTransaction's purpose: keep them few.
   */
  lockMore(keys: readonly string[]): Promise<void>;
}

/** How long lockMore waits for a key another transaction holds before the batch is given back to be retried. */
export const LATE_LOCK_TIMEOUT = '250ms';
const LOCK_NOT_AVAILABLE = '55P03';
const DEADLOCK_DETECTED = '40P01';

/**
 * Loads state, decides, stores state; returns the events to publish, each with metadata.causationId =
 * the eventId of the batch event that caused it (reactTo does that).
 */
export type StageHandler<E extends LeadstreamEvent = LeadstreamEvent> = (batch: StageBatch<E>) => Promise<readonly EventEnvelope[]>;

export interface StageDefinition<E extends LeadstreamEvent = LeadstreamEvent> {
  /** For logs and errors: the handler's class and method. */
  readonly name: string;
  readonly handler: StageHandler<E>;
  /**
   * What the stage serialises on; default the event's partition key (the surviving lead). No keys
   * (`() => []`) for a stage that makes concurrent work safe in its own store (analytics' versioned
   * lead_state): it takes no locks, and a batch runs as one transaction however many leads it names.
   */
  readonly lockKeys?: (event: E) => readonly string[];
  /**
   * Default true. false only for a sink: a stage that produces no events and whose own store is keyed
   * by event id, so that it is its inbox (analytics' event log). It still runs under the leads' locks in
   * one transaction, but gets every event of the batch, redelivered ones included, and may return none.
   */
  readonly inbox?: boolean;
}

export interface StageRunnerOptions {
  readonly dataSource: DataSource;
  /** The service's own schema, where the stage inbox and outbox live (stageMigrations). */
  readonly schema: string;
  /** The consumer group: the inbox key and the lock namespace, shared by the live and bulk lanes. */
  readonly groupId: string;
  /** Default: the system clock. Tests pass their own. */
  readonly clock?: () => Date;
  /** Most distinct lock keys one transaction takes; a larger batch runs as several transactions. Default 256. */
  readonly maxLocksPerTransaction?: number;
  /**
   * Runs after a transaction committed and before its events are handed back for publishing. For
   * tests that kill the process there, and for metrics; an error thrown here is a transient failure.
   */
  readonly afterCommit?: (committed: { readonly processed: number; readonly replayed: number }) => void | Promise<void>;
}

export const DEFAULT_MAX_LOCKS_PER_TRANSACTION = 256;

/**
 * Runs stages exactly once per event and consumer group (docs/adr/0010-consumer-stages.md). For each
 * run of a batch, in one transaction of the service's schema:
 * 1. lock the batch's leads (advisory transaction locks, ascending), so one lead's work is serialised
 *    across the two lanes and every replica of the service;
 * 2. look the events up in the inbox: one seen before yields the events stored the first time, as
 *    they were (ids, payloads, occurredAt), and does not reach the handler;
 * 3. hand the new events to the handler, which loads its state, decides and stores the new state;
 * 4. store each new event in the inbox with what it produced; commit.
 * The caller then publishes the returned events and only then commits offsets, so a crash anywhere
 * before the offset commit ends in a redelivery that republishes what was stored.
 */
export class StageRunner {
  private readonly inbox: string;
  private readonly outbox: string;
  private readonly begin: string;
  private readonly clock: () => Date;
  private readonly maxLocks: number;

  constructor(private readonly options: StageRunnerOptions) {
    this.inbox = `${quoteIdentifier(options.schema)}.stage_inbox`;
    this.outbox = `${quoteIdentifier(options.schema)}.stage_outbox`;
    this.begin = `${quoteIdentifier(options.schema)}.stage_begin`;
    this.clock = options.clock ?? (() => new Date());
    this.maxLocks = options.maxLocksPerTransaction ?? DEFAULT_MAX_LOCKS_PER_TRANSACTION;
    if (!Number.isInteger(this.maxLocks) || this.maxLocks < 1) throw new Error(`maxLocksPerTransaction must be a positive integer, got ${this.maxLocks}`);
  }

  get groupId(): string {
    return this.options.groupId;
  }

  /** The events to publish for `consumed`, grouped by the event that caused them, in delivery order. */
  async run<E extends LeadstreamEvent>(stage: StageDefinition<E>, consumed: readonly StageEvent<E>[]): Promise<EventEnvelope[]> {
    if (consumed.length === 0) return [];
    const lockKeys = stage.lockKeys ?? ((event: E) => [partitionKeyOf(event)]);
    const keyed = consumed.map((item) => ({ item, keys: lockKeys(item.event) }));
    const outgoing: EventEnvelope[] = [];
    for (const chunk of chunkByKeys(keyed, (entry) => entry.keys, this.maxLocks)) {
      const items = chunk.map((entry) => entry.item);
      const keys = chunk.flatMap((entry) => entry.keys);
      outgoing.push(...(stage.inbox === false ? await this.runSink(stage, items, keys) : await this.runOnce(stage, items, keys)));
    }
    return outgoing;
  }

  private async lock(transaction: EntityManager, keys: readonly string[]): Promise<void> {
    const lockIds = advisoryLockIds(this.options.groupId, keys);
    if (lockIds.length > 0) await transaction.query(`SELECT count(pg_advisory_xact_lock(id)) FROM unnest($1::bigint[]) AS id`, [lockIds]);
  }

  /** StageBatch.lockMore for `transaction`. */
  private async lockMore(transaction: EntityManager, stage: string, keys: readonly string[]): Promise<void> {
    const lockIds = advisoryLockIds(this.options.groupId, keys);
    if (lockIds.length === 0) return;
    await transaction.query(`SET LOCAL lock_timeout = '${LATE_LOCK_TIMEOUT}'`);
    try {
      await transaction.query(`SELECT count(pg_advisory_xact_lock(id)) FROM unnest($1::bigint[]) AS id`, [lockIds]);
    } catch (error) {
      const code = errorCodeOf(error);
      if (code === LOCK_NOT_AVAILABLE || code === DEADLOCK_DETECTED) {
        throw new TransientError(`stage ${stage}: ${keys.length} more key(s) are held by another transaction of ${this.options.groupId}; retrying`, { cause: error });
      }
      throw error;
    }
    await transaction.query(`SET LOCAL lock_timeout TO DEFAULT`);
  }

  private async runSink<E extends LeadstreamEvent>(stage: StageDefinition<E>, consumed: readonly StageEvent<E>[], keys: readonly string[]): Promise<EventEnvelope[]> {
    await this.options.dataSource.transaction(async (transaction) => {
      await this.lock(transaction, keys);
      const produced = await stage.handler({ events: uniqueFresh(consumed, new Map()), transaction, now: this.clock(), lockMore: (more) => this.lockMore(transaction, stage.name, more) });
      if (produced.length > 0) {
        throw new PermanentError(`stage ${stage.name} runs without an inbox and produced ${produced.length} event(s): only a sink may go without one`);
      }
    });
    await this.options.afterCommit?.({ processed: consumed.length, replayed: 0 });
    return [];
  }

  private async runOnce<E extends LeadstreamEvent>(stage: StageDefinition<E>, consumed: readonly StageEvent<E>[], keys: readonly string[]): Promise<EventEnvelope[]> {
    const { groupId } = this.options;
    let replayed = 0;
    const byCause = await this.options.dataSource.transaction(async (transaction) => {
      const eventIds = [...new Set(consumed.map((item) => item.event.metadata.eventId))];
      const seen: SeenRow[] = await transaction.query(`SELECT event_id, outbox_id, events FROM ${this.begin}($1, $2::bigint[], $3::uuid[])`, [
        groupId,
        advisoryLockIds(groupId, keys),
        eventIds,
      ]);
      const result = storedEventsBySeenEvent(seen);
      replayed = result.size;

      const fresh = uniqueFresh(consumed, result);
      if (fresh.length === 0) return result;
      const produced = await stage.handler({ events: fresh, transaction, now: this.clock(), lockMore: (more) => this.lockMore(transaction, stage.name, more) });
      const freshIds = new Set(fresh.map((item) => item.event.metadata.eventId));
      const causedBy = new Map<string, EventEnvelope[]>([...freshIds].map((id) => [id, []]));
      for (const event of produced) {
        const cause = event.metadata.causationId;
        const list = cause === null ? undefined : causedBy.get(cause);
        if (!list) {
          throw new PermanentError(
            `stage ${stage.name} produced ${event.type} ${event.metadata.eventId} with causationId ${String(cause)}, which is not an event of its batch`,
          );
        }
        list.push(event);
      }
      // One outbox row holds what the whole transaction produced; each new event's inbox row points at
      // it, or holds null when the event produced nothing. A plain INSERT: stage_begin read the inbox
      // under the leads' locks, so a row already there is only possible for an event whose lock keys
      // differ between two deliveries, and the other one won. The unique violation then aborts this
      // transaction (the cheaper path: ON CONFLICT would insert every row speculatively), and the
      // batch is retried, to find the event processed.
      try {
        await transaction.query(
          `WITH box AS (INSERT INTO ${this.outbox} (events) SELECT $4::bytea WHERE $4::bytea IS NOT NULL RETURNING id)
           INSERT INTO ${this.inbox} (consumer_group, event_id, outbox_id)
           SELECT $1, t.id, CASE WHEN t.produced THEN (SELECT id FROM box) END FROM unnest($2::uuid[], $3::boolean[]) AS t(id, produced)`,
          [groupId, [...causedBy.keys()], [...causedBy.values()].map((list) => list.length > 0), storedOutgoing(produced)],
        );
      } catch (error) {
        if (errorCodeOf(error) !== UNIQUE_VIOLATION) throw error;
        throw new TransientError(`stage ${stage.name}: an event of the batch was processed concurrently by another member of ${groupId}; retrying`);
      }
      for (const [id, list] of causedBy) result.set(id, list);
      return result;
    });
    await this.options.afterCommit?.({ processed: consumed.length - replayed, replayed });
    const outgoing: EventEnvelope[] = [];
    const emitted = new Set<string>();
    for (const item of consumed) {
      const id = item.event.metadata.eventId;
      if (emitted.has(id)) continue; // the same event twice in one batch produces its events once
      emitted.add(id);
      outgoing.push(...(byCause.get(id) ?? []));
    }
    return outgoing;
  }
}

const UNIQUE_VIOLATION = '23505';

/** The SQLSTATE of a failed query, whether pg's error or TypeORM's QueryFailedError around it. */
function errorCodeOf(error: unknown): unknown {
  const { code, driverError } = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown } };
  return code ?? driverError?.code;
}

interface SeenRow {
  readonly event_id: string | null;
  readonly outbox_id: string | null;
  readonly events: Buffer | null;
}

/**
 * What one transaction stores for the events it produced: null for none, else their JSON array,
 * zlib-compressed, put together from each event's own serialisation (serializeEvent), which the
 * publish then reuses. So no event is stringified twice, and what is stored is byte for byte what is
 * published.
 */
function storedOutgoing(events: readonly EventEnvelope[]): Buffer | null {
  if (events.length === 0) return null;
  return deflateSync(`[${events.map(serializeEvent).join(',')}]`, { level: constants.Z_BEST_SPEED });
}

/** The JSON array an outbox row holds: compressed, or (rows of the first inbox layout) plain UTF-8, which starts with '['. */
function storedJson(events: Buffer): string {
  return (events[0] === 0x5b ? events : inflateSync(events)).toString('utf8');
}

/** For each event seen before: the events its first processing produced, in their order (stage_begin's rows). */
function storedEventsBySeenEvent(rows: readonly SeenRow[]): Map<string, EventEnvelope[]> {
  const outboxes = new Map<string, EventEnvelope[]>();
  for (const row of rows) {
    if (row.event_id === null && row.outbox_id !== null && row.events !== null) {
      outboxes.set(String(row.outbox_id), JSON.parse(storedJson(row.events)) as EventEnvelope[]);
    }
  }
  const result = new Map<string, EventEnvelope[]>();
  for (const row of rows) {
    if (row.event_id === null) continue;
    const produced = row.outbox_id === null ? undefined : outboxes.get(String(row.outbox_id));
    if (row.outbox_id !== null && produced === undefined) throw new Error(`stage inbox: event ${row.event_id} points at outbox row ${row.outbox_id}, which is gone`);
    result.set(row.event_id, produced?.filter((event) => event.metadata.causationId === row.event_id) ?? []);
  }
  return result;
}

function uniqueFresh<E extends LeadstreamEvent>(consumed: readonly StageEvent<E>[], seen: ReadonlyMap<string, unknown>): StageEvent<E>[] {
  const taken = new Set<string>();
  const fresh: StageEvent<E>[] = [];
  for (const item of consumed) {
    const id = item.event.metadata.eventId;
    if (seen.has(id) || taken.has(id)) continue;
    taken.add(id);
    fresh.push(item);
  }
  return fresh;
}
