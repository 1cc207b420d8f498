// The lead_state projection against PostgreSQL: whatever the order and the batching of a lead's events
// (they come from different topics), the stored state equals the fold of the lead's whole history in
// log order (occurred_at, seq), whether it was folded incrementally or refolded.
import { topicFor, type LeadstreamEvent } from '@leadstream/contracts';
import { projectLeadState, type LeadState } from '@leadstream/domain-analytics';
import type { ConsumedEvent } from '@leadstream/platform-kafka';
import { declaredStage, KILLED_BEFORE_PUBLISHING, StageUnderTest } from '@leadstream/platform-stage';
import {
  aLeadAssignedEvent,
  aLeadEnrichedEvent,
  aLeadQualifiedEvent,
  aLeadReceivedEvent,
  aLeadResolvedEvent,
  aLeadScoredEvent,
  aNurtureEnrolledEvent,
  anActivityRecordedEvent,
  nextLeadId,
} from '@leadstream/testing';
import type { DataSource } from 'typeorm';
import { ANALYTICS_MIGRATIONS } from '../persistence/migrations';
import { EveryTopicConsumer } from './every-topic.consumer';

jest.setTimeout(60_000);

let analytics: StageUnderTest<LeadstreamEvent>;
let dataSource: DataSource;
const consumer = {
  handle: (batch: readonly ConsumedEvent[]): Promise<unknown> => analytics.deliverConsumed(batch),
};

beforeAll(async () => {
  analytics = await StageUnderTest.open({
    schema: 'analytics',
    migrations: ANALYTICS_MIGRATIONS,
    stage: declaredStage(new EveryTopicConsumer(), 'handle'),
  });
  dataSource = analytics.dataSource;
});

afterAll(async () => {
  await analytics?.close();
});

let offset = 0;
function consumed(event: LeadstreamEvent): ConsumedEvent {
  offset += 1;
  return { event, topic: topicFor(event.type), partition: 0, offset: String(offset), headers: {} };
}

const at = (second: number): string => `2026-03-01T10:00:${String(second).padStart(2, '0')}.000Z`;

/** One lead's journey, each event a second after the previous one. */
function journey(leadId: string): LeadstreamEvent[] {
  return [
    aLeadReceivedEvent().forLead(leadId).at(at(1)).build(),
    aLeadEnrichedEvent().forLead(leadId).at(at(2)).build(),
    aLeadResolvedEvent().forLead(leadId).at(at(3)).build(),
    aLeadScoredEvent().forLead(leadId).at(at(4)).build(),
    aLeadQualifiedEvent().forLead(leadId).at(at(4)).build(), // same instant as the score, as scoring emits them
    aLeadAssignedEvent().forLead(leadId).at(at(5)).build(),
    aNurtureEnrolledEvent().forLead(leadId).at(at(6)).build(),
    anActivityRecordedEvent().forLead(leadId).at(at(7)).build(),
  ];
}

async function storedState(leadId: string): Promise<LeadState | undefined> {
  const rows: { state: LeadState }[] = await dataSource.query(`SELECT state FROM analytics.lead_state WHERE lead_id = $1`, [leadId]);
  return rows[0]?.state;
}

/** The fold of the lead's whole history as the log orders it, JSON-normalised like the stored state. */
async function refoldedFromLog(leadId: string): Promise<unknown> {
  const rows: { type: LeadstreamEvent['type']; version: number; data: unknown; event_id: string; occurred_at: Date; correlation_id: string; causation_id: string | null }[] =
    await dataSource.query(
      `SELECT type, version, data, event_id, occurred_at, correlation_id, causation_id FROM analytics.event_log WHERE lead_id = $1 ORDER BY occurred_at, seq`,
      [leadId],
    );
  const events = rows.map(
    (row) =>
      ({
        type: row.type,
        version: row.version,
        data: row.data,
        metadata: { eventId: row.event_id, leadId, occurredAt: row.occurred_at.toISOString(), correlationId: row.correlation_id, causationId: row.causation_id },
      }) as LeadstreamEvent,
  );
  return JSON.parse(JSON.stringify(projectLeadState(events)));
}

/** Until a backend waits on a lock in its upsert of analytics.lead_state. */
async function waitUntilBlockedOnLeadState(): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    const waiting: unknown[] = await dataSource.query(
      `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO analytics.lead_state%'`,
    );
    if (waiting.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('no transaction came to wait on the lead_state row');
}

describe('EveryTopicConsumer event_log', () => {
  it('records every column of the event, once however often it is delivered', async () => {
    const leadId = nextLeadId();
    const event = aLeadScoredEvent().forLead(leadId).at('2026-03-01T10:00:00.123Z').build();
    const traceId = 'aa'.repeat(16);
    const delivered: ConsumedEvent = {
      event,
      topic: topicFor(event.type),
      partition: 7,
      offset: '9007199254740993', // beyond 2^53: kept exact
      headers: { traceparent: `00-${traceId}-${'bb'.repeat(8)}-01` },
    };
    await consumer.handle([delivered, delivered]);
    await consumer.handle([delivered]);
    const rows = await dataSource.query(
      `SELECT event_id, lead_id, type, version, occurred_at, correlation_id, causation_id, trace_id, topic, kafka_partition, kafka_offset::text, data
         FROM analytics.event_log WHERE lead_id = $1`,
      [leadId],
    );
    expect(rows).toEqual([
      {
        event_id: event.metadata.eventId,
        lead_id: leadId,
        type: 'lead.scored',
        version: event.version,
        occurred_at: new Date('2026-03-01T10:00:00.123Z'),
        correlation_id: event.metadata.correlationId,
        causation_id: event.metadata.causationId,
        trace_id: traceId,
        topic: 'lead.scored.v1',
        kafka_partition: 7,
        kafka_offset: '9007199254740993',
        data: JSON.parse(JSON.stringify(event.data)),
      },
    ]);
  });
});

describe('EveryTopicConsumer lead_state', () => {
  it('in order, one event per batch: folded incrementally to the same state as a full refold', async () => {
    const leadId = nextLeadId();
    const events = journey(leadId);
    for (const event of events) await consumer.handle([consumed(event)]);
    expect(await storedState(leadId)).toEqual(await refoldedFromLog(leadId));
    expect((await storedState(leadId))?.status).toBe('nurturing');
  });

  it('out of order and across batches (late events, duplicates): the same state as a full refold', async () => {
    const orders: number[][] = [
      [7, 6, 5, 4, 3, 2, 1, 0],
      [0, 3, 1, 5, 2, 7, 4, 6],
      [5, 0, 1, 2, 3, 4, 6, 7],
      [4, 3, 0, 1, 2, 5, 7, 6],
    ];
    for (const order of orders) {
      for (const batchSize of [1, 2, 3]) {
        const leadId = nextLeadId();
        const events = journey(leadId);
        const sequence = order.map((i) => events[i]!);
        for (let i = 0; i < sequence.length; i += batchSize) {
          const batch = sequence.slice(i, i + batchSize);
          await consumer.handle(batch.map(consumed));
          // a redelivery of what came before changes nothing
          await consumer.handle(sequence.slice(0, i + 1).map(consumed));
          expect(await storedState(leadId)).toEqual(await refoldedFromLog(leadId));
        }
        expect((await storedState(leadId))?.status).toBe((await refoldedFromLog(leadId) as LeadState).status);
      }
    }
  });

  it('several leads in one batch, each interleaved with other leads: every state equals its refold', async () => {
    const leads = [nextLeadId(), nextLeadId(), nextLeadId()];
    const journeys = leads.map(journey);
    // first half of every journey, reversed, in one batch; then the rest, interleaved, in two batches
    await consumer.handle(journeys.flatMap((j) => j.slice(0, 4).reverse()).map(consumed));
    const rest = journeys.flatMap((j) => j.slice(4).map((event, i) => ({ event, i }))).sort((a, b) => a.i - b.i).map((x) => x.event);
    await consumer.handle(rest.slice(0, 5).map(consumed));
    await consumer.handle(rest.slice(5).map(consumed));
    for (const leadId of leads) expect(await storedState(leadId)).toEqual(await refoldedFromLog(leadId));
  });
});

describe('EveryTopicConsumer as a stage', () => {
  it('a new lead whose events reach two replicas at once ends in the fold of its whole history', async () => {
    const replica = await analytics.replica();
    for (let round = 0; round < 20; round += 1) {
      const leadId = nextLeadId();
      const events = journey(leadId);
      // the first fold of the lead happens in both at once: no lead_state row exists yet to lock
      await Promise.all([analytics.deliver(events.slice(0, 4)), replica.deliver(events.slice(4), 'bulk')]);
      expect(await storedState(leadId)).toEqual(await refoldedFromLog(leadId));
    }
  });

  it('a fold that finds the lead written by another transaction since it read it folds again onto what that one committed', async () => {
    const leadId = nextLeadId();
    const events = journey(leadId);
    // another replica's transaction has logged and folded the lead's first events, and has not committed
    const other = dataSource.createQueryRunner();
    await other.startTransaction();
    try {
      await new EveryTopicConsumer().handle({ events: events.slice(0, 4).map(consumed), transaction: other.manager, now: new Date(), lockMore: () => Promise.reject(new Error('analytics takes no locks')) });
      // this delivery reads no state for the lead, folds its events as a new lead's, and waits on the other's row
      const delivery = analytics.deliver(events.slice(4));
      await waitUntilBlockedOnLeadState();
      await other.commitTransaction();
      await delivery;
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
    expect(await storedState(leadId)).toEqual(await refoldedFromLog(leadId));
    expect((await storedState(leadId))?.lastEventAt).toBe(at(7));
    const [row] = (await dataSource.query(`SELECT version FROM analytics.lead_state WHERE lead_id = $1`, [leadId])) as { version: string }[];
    expect(row?.version).toBe('2');
  });

  it('a service killed after committing a batch logs it once when the batch comes again after its restart', async () => {
    const crashing = await analytics.crashingReplica();
    const leadId = nextLeadId();
    const events = journey(leadId);
    await expect(crashing.deliver(events)).rejects.toThrow(KILLED_BEFORE_PUBLISHING);
    const restarted = await analytics.replica();
    expect(await restarted.deliver(events)).toEqual([]);
    const logged: { n: number }[] = await dataSource.query(`SELECT count(*)::int AS n FROM analytics.event_log WHERE lead_id = $1`, [leadId]);
    expect(logged).toEqual([{ n: events.length }]);
    expect(await storedState(leadId)).toEqual(await refoldedFromLog(leadId));
  });
});
