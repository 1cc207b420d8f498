import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ALL_TOPICS, type LeadstreamEvent } from '@leadstream/contracts';
import { evolveLeadState, type LeadState } from '@leadstream/domain-analytics';
import type { ConsumedEvent } from '@leadstream/platform-kafka';

/**
 * Every topic -> analytics.event_log (one multi-row INSERT per batch, ON CONFLICT DO NOTHING on the
 * event id) and the lead_state projection of the leads the batch touched, refolded from their full
 * history so that events consumed from different topics in any interleaving give the same state.
 */
@Injectable()
export class EveryTopicConsumer {
  static readonly groupId = 'leadstream-analytics';
  static readonly topics = ALL_TOPICS;

  constructor(private readonly dataSource: DataSource) {}

  async handle(batch: readonly ConsumedEvent[]): Promise<never[]> {
    if (batch.length === 0) return [];
    await this.dataSource.transaction(async (manager) => {
      const inserted = await appendToEventLog(manager, batch);
      if (inserted.length > 0) await refreshLeadStates(manager, [...new Set(inserted)]);
    });
    return [];
  }
}

/** Appends the batch to the event log; returns the lead ids of the events that were new. */
async function appendToEventLog(manager: EntityManager, batch: readonly ConsumedEvent[]): Promise<string[]> {
  const unique = new Map<string, ConsumedEvent>();
  for (const consumed of batch) unique.set(consumed.event.metadata.eventId, consumed);
  const rows = [...unique.values()];
  const inserted: { lead_id: string }[] = await manager.query(
    `INSERT INTO analytics.event_log
       (event_id, lead_id, type, version, occurred_at, correlation_id, causation_id, trace_id, topic, kafka_partition, kafka_offset, data)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::timestamptz[], $6::uuid[], $7::uuid[], $8::text[],
                          $9::text[], $10::int[], $11::bigint[], $12::jsonb[])
     ON CONFLICT (event_id) DO NOTHING
     RETURNING lead_id`,
    [
      rows.map(({ event }) => event.metadata.eventId),
      rows.map(({ event }) => event.metadata.leadId),
      rows.map(({ event }) => event.type),
      rows.map(({ event }) => event.version),
      rows.map(({ event }) => event.metadata.occurredAt),
      rows.map(({ event }) => event.metadata.correlationId),
      rows.map(({ event }) => event.metadata.causationId),
      rows.map(({ headers }) => traceIdOf(headers['traceparent'])),
      rows.map(({ topic }) => topic),
      rows.map(({ partition }) => partition),
      rows.map(({ offset }) => offset),
      rows.map(({ event }) => JSON.stringify(event.data)),
    ],
  );
  return inserted.map((row) => row.lead_id);
}

interface LoggedEvent {
  event_id: string;
  lead_id: string;
  type: LeadstreamEvent['type'];
  version: number;
  occurred_at: Date;
  correlation_id: string;
  causation_id: string | null;
  data: unknown;
}

async function refreshLeadStates(manager: EntityManager, leadIds: readonly string[]): Promise<void> {
  const history: LoggedEvent[] = await manager.query(
    `SELECT event_id, lead_id, type, version, occurred_at, correlation_id, causation_id, data
       FROM analytics.event_log WHERE lead_id = ANY($1::uuid[]) ORDER BY lead_id, occurred_at, seq`,
    [leadIds],
  );
  const states = new Map<string, LeadState>();
  for (const row of history) {
    const event = {
      type: row.type,
      version: row.version,
      data: row.data,
      metadata: {
        eventId: row.event_id,
        leadId: row.lead_id,
        occurredAt: row.occurred_at.toISOString(),
        correlationId: row.correlation_id,
        causationId: row.causation_id,
      },
    } as LeadstreamEvent;
    states.set(row.lead_id, evolveLeadState(states.get(row.lead_id), event));
  }
  const all = [...states.values()];
  if (all.length === 0) return;
  await manager.query(
    `INSERT INTO analytics.lead_state
       (lead_id, status, email, score, grade, owner_kind, owner_id, merged_into, source, campaign, last_event_at, state)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::uuid[],
                          $9::text[], $10::text[], $11::timestamptz[], $12::jsonb[])
     ON CONFLICT (lead_id) DO UPDATE SET status = EXCLUDED.status, email = EXCLUDED.email, score = EXCLUDED.score,
       grade = EXCLUDED.grade, owner_kind = EXCLUDED.owner_kind, owner_id = EXCLUDED.owner_id, merged_into = EXCLUDED.merged_into,
       source = EXCLUDED.source, campaign = EXCLUDED.campaign, last_event_at = EXCLUDED.last_event_at, state = EXCLUDED.state,
       updated_at = now()`,
    [
      all.map((state) => state.leadId),
      all.map((state) => state.status),
      all.map((state) => state.email ?? null),
      all.map((state) => state.score ?? null),
      all.map((state) => state.grade ?? null),
      all.map((state) => state.owner?.kind ?? null),
      all.map((state) => (state.owner ? (state.owner.kind === 'rep' ? state.owner.repId : state.owner.queueId) : null)),
      all.map((state) => state.mergedInto ?? null),
      all.map((state) => state.source ?? null),
      all.map((state) => state.campaign ?? null),
      all.map((state) => state.lastEventAt),
      all.map((state) => JSON.stringify(state)),
    ],
  );
}

/** The trace id of a W3C `traceparent` header (`00-<trace-id>-<span-id>-<flags>`), or null. */
export function traceIdOf(traceparent: string | undefined): string | null {
  if (!traceparent) return null;
  const match = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent.trim());
  return match?.[1] ?? null;
}
