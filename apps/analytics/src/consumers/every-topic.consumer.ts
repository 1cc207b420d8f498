import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ALL_TOPICS, type LeadstreamEvent } from '@leadstream/contracts';
import { evolveLeadState, leadsChangedBy, type LeadState } from '@leadstream/domain-analytics';
import { TransientError, type ConsumedEvent } from '@leadstream/platform-kafka';
import { stage, type StageBatch } from '@leadstream/platform-stage';
import type { EntityManager } from 'typeorm';

/**
 * Every topic -> analytics.event_log (one multi-row INSERT per batch, ON CONFLICT DO NOTHING on the
 * event id) and the lead_state projection of the leads the batch touched. The projection must equal the
 * fold of each lead's whole history in (occurred_at, seq) order, whatever order the events of one lead
 * arrive in from different topics. So a lead's new events are folded onto its stored state (or, for a
 * new lead, onto nothing) when none of them is older than what the state already holds (its
 * lastEventAt); a lead with an event that arrived late is refolded from its full history.
 *
 * One stage over every topic, without lead locks: a batch (events of a few thousand leads) is one
 * transaction, however many leads it names. The two lanes and every replica may fold one lead at once;
 * each fold writes a lead's state only over the version it read (lead_state.version), its first fold
 * included (an INSERT that finds a row already there writes nothing). A lead whose write lost is read
 * again, now with what the winner committed, and folded again in the same transaction (see
 * updateLeadStates). A sink: it produces nothing and the event log, keyed by event id, is its inbox (a
 * redelivered event inserts nothing, so nothing is folded again).
 *
 * Some events change the state of leads other than their own lead_id (lead.merged: the leads it absorbs;
 * lead.unmerged: the former survivor; see leadsChangedBy). Such an event is folded into every lead it
 * changes, in the transaction that logs it, and linked to each of those other leads in
 * analytics.event_lead in that same transaction, so a lead's history (for a refold, and for
 * GET /v1/leads/:id/history) is its own events plus the events linked to it. The invariant above holds
 * per lead: every event that changes a lead is folded into it in the transaction that logs it.
 */
@Controller()
export class EveryTopicConsumer {
  @EventPattern([...ALL_TOPICS], stage({ lockKeys: () => [], inbox: false }))
  async handle(@Payload() batch: StageBatch): Promise<never[]> {
    const inserted = await appendToEventLog(batch.transaction, batch.events);
    if (inserted.length > 0) await updateLeadStates(batch.transaction, inserted);
    return [];
  }
}

interface NewEvent {
  readonly event: LeadstreamEvent;
  readonly seq: bigint;
}

/** Appends the batch to the event log; returns the events that were new, with their seq. */
async function appendToEventLog(manager: EntityManager, batch: readonly ConsumedEvent[]): Promise<NewEvent[]> {
  const unique = new Map<string, ConsumedEvent>();
  for (const consumed of batch) unique.set(consumed.event.metadata.eventId, consumed);
  const rows = [...unique.values()];
  // The rows travel as ONE JSON document (an array of arrays) expanded by Postgres: faster than twelve
  // parallel arrays with a jsonb[] of strings, and less client CPU (docs/benchmarks.md has the figures).
  const document = rows.map(({ event, headers, topic, partition, offset }) => [
    event.metadata.eventId,
    event.metadata.leadId,
    event.type,
    event.version,
    event.metadata.occurredAt,
    event.metadata.correlationId,
    event.metadata.causationId,
    traceIdOf(headers['traceparent']),
    topic,
    partition,
    offset,
    event.data,
  ]);
  const inserted: { event_id: string; seq: string }[] = await manager.query(
    `INSERT INTO analytics.event_log
       (event_id, lead_id, type, version, occurred_at, correlation_id, causation_id, trace_id, topic, kafka_partition, kafka_offset, data)
     SELECT (r->>0)::uuid, (r->>1)::uuid, r->>2, (r->>3)::int, (r->>4)::timestamptz, (r->>5)::uuid, (r->>6)::uuid, r->>7,
            r->>8, (r->>9)::int, (r->>10)::bigint, r->11
       FROM jsonb_array_elements($1::jsonb) AS r
     ON CONFLICT (event_id) DO NOTHING
     RETURNING event_id, seq`,
    [JSON.stringify(document)],
  );
  const logged = inserted.flatMap((row) => {
    const consumed = unique.get(row.event_id);
    return consumed ? [{ event: asLogged(consumed.event), seq: BigInt(row.seq) }] : [];
  });
  await linkToOtherLeads(manager, logged);
  return logged;
}

/**
 * Links each newly logged event to the leads it changes besides its own (analytics.event_lead), in one
 * multi-row INSERT; a batch without merges or unmerges costs no statement.
 */
async function linkToOtherLeads(manager: EntityManager, logged: readonly NewEvent[]): Promise<void> {
  const leadIds: string[] = [];
  const eventIds: string[] = [];
  for (const { event } of logged) {
    for (const leadId of leadsChangedBy(event)) {
      if (leadId === event.metadata.leadId) continue;
      leadIds.push(leadId);
      eventIds.push(event.metadata.eventId);
    }
  }
  if (leadIds.length === 0) return;
  await manager.query(
    `INSERT INTO analytics.event_lead (lead_id, event_id) SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING`,
    [leadIds, eventIds],
  );
}

/** The event as a refold reads it back from the log (occurredAt at the log's millisecond precision). */
function asLogged(event: LeadstreamEvent): LeadstreamEvent {
  const occurredAt = new Date(event.metadata.occurredAt).toISOString();
  return occurredAt === event.metadata.occurredAt ? event : ({ ...event, metadata: { ...event.metadata, occurredAt } } as LeadstreamEvent);
}

/** Log order: occurred_at, then seq. */
function byLogOrder(a: NewEvent, b: NewEvent): number {
  const byTime = Date.parse(a.event.metadata.occurredAt) - Date.parse(b.event.metadata.occurredAt);
  if (byTime !== 0) return byTime;
  return a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0;
}

/** How often one transaction folds a lead again after another transaction wrote it first, before it gives up (transient). */
const MAX_FOLD_ROUNDS = 10;

async function updateLeadStates(manager: EntityManager, inserted: readonly NewEvent[]): Promise<void> {
  const newByLead = new Map<string, NewEvent[]>();
  for (const item of inserted) {
    for (const leadId of leadsChangedBy(item.event)) {
      const events = newByLead.get(leadId) ?? [];
      events.push(item);
      newByLead.set(leadId, events);
    }
  }
  for (const events of newByLead.values()) events.sort(byLogOrder);
  let pending = [...newByLead.keys()];
  for (let round = 1; pending.length > 0; round += 1) {
    if (round > MAX_FOLD_ROUNDS) {
      throw new TransientError(`analytics: the state of ${pending.length} lead(s) was written by other transactions ${MAX_FOLD_ROUNDS} times in a row while this one folded them`);
    }
    // Read committed: each round reads what the transactions that won the previous one committed.
    const folded = await foldLeads(manager, pending, newByLead);
    const written = await storeLeadStates(manager, folded);
    pending = folded.filter(({ state }) => !written.has(state.leadId)).map(({ state }) => state.leadId);
  }
}

interface FoldedLead {
  readonly state: LeadState;
  /** The version of the stored state it was folded onto, null for a lead without one. */
  readonly over: string | null;
}

/** The new state of each lead, from its stored state and its new events, or from its whole history. */
async function foldLeads(manager: EntityManager, leadIds: readonly string[], newByLead: ReadonlyMap<string, readonly NewEvent[]>): Promise<FoldedLead[]> {
  const stored: { lead_id: string; state: LeadState; version: string }[] = await manager.query(
    `SELECT lead_id, state, version FROM analytics.lead_state WHERE lead_id = ANY($1::uuid[])`,
    [leadIds],
  );
  const storedByLead = new Map(stored.map((row) => [row.lead_id, row]));
  const folded: FoldedLead[] = [];
  const refold: string[] = [];
  for (const leadId of leadIds) {
    const events = newByLead.get(leadId) ?? [];
    const current = storedByLead.get(leadId);
    const oldest = events[0]?.event.metadata.occurredAt ?? '';
    if (current !== undefined && !(Date.parse(oldest) >= Date.parse(current.state.lastEventAt))) {
      refold.push(leadId);
      continue;
    }
    // A lead without a stored state has no history before this batch: every event logged is folded into
    // its lead's state in the transaction that logs it. Otherwise every new event is at or after
    // everything already folded, and has a higher seq. Either way folding the new events in order onto
    // what is stored is the same as refolding the whole history, without reading it.
    let state = current?.state;
    for (const { event } of events) state = evolveLeadState(state, event, leadId);
    if (state) folded.push({ state, over: current?.version ?? null });
  }
  if (refold.length > 0) {
    for (const state of await foldHistories(manager, refold)) folded.push({ state, over: storedByLead.get(state.leadId)?.version ?? null });
  }
  // Written in ascending lead id order: two transactions writing the same leads wait for each other in one order.
  return folded.sort((a, b) => (a.state.leadId < b.state.leadId ? -1 : a.state.leadId > b.state.leadId ? 1 : 0));
}

interface LoggedEvent {
  /** The lead whose history the row is part of: lead_id, or a lead the event is linked to in event_lead. */
  for_lead: string;
  event_id: string;
  lead_id: string;
  type: LeadstreamEvent['type'];
  version: number;
  occurred_at: Date;
  correlation_id: string;
  causation_id: string | null;
  data: unknown;
}

/** The state of each lead folded from its whole history in the log (its own events and the events linked to it). */
async function foldHistories(manager: EntityManager, leadIds: readonly string[]): Promise<LeadState[]> {
  const history: LoggedEvent[] = await manager.query(
    `SELECT lead_id AS for_lead, event_id, lead_id, type, version, occurred_at, correlation_id, causation_id, data, seq
       FROM analytics.event_log WHERE lead_id = ANY($1::uuid[])
     UNION ALL
     SELECT link.lead_id, log.event_id, log.lead_id, log.type, log.version, log.occurred_at, log.correlation_id, log.causation_id, log.data, log.seq
       FROM analytics.event_lead link JOIN analytics.event_log log ON log.event_id = link.event_id
      WHERE link.lead_id = ANY($1::uuid[])
     ORDER BY for_lead, occurred_at, seq`,
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
    states.set(row.for_lead, evolveLeadState(states.get(row.for_lead), event, row.for_lead));
  }
  return [...states.values()];
}

/**
 * Writes each state over the version it was folded onto; returns the leads written. A lead left out was
 * written (or first inserted) by another transaction since it was read: its row is no longer at that
 * version. The upsert waits for such a transaction to end, so the next read sees what it committed.
 */
async function storeLeadStates(manager: EntityManager, folded: readonly FoldedLead[]): Promise<Set<string>> {
  if (folded.length === 0) return new Set();
  const all = folded.map(({ state }) => state);
  const written: { lead_id: string }[] = await manager.query(
    `INSERT INTO analytics.lead_state
       (lead_id, status, email, score, grade, owner_kind, owner_id, merged_into, source, campaign, last_event_at, state, version, account_id)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::uuid[],
                          $9::text[], $10::text[], $11::timestamptz[], $12::jsonb[], $13::bigint[], $14::uuid[])
     ON CONFLICT (lead_id) DO UPDATE SET status = EXCLUDED.status, email = EXCLUDED.email, score = EXCLUDED.score,
       grade = EXCLUDED.grade, owner_kind = EXCLUDED.owner_kind, owner_id = EXCLUDED.owner_id, merged_into = EXCLUDED.merged_into,
       source = EXCLUDED.source, campaign = EXCLUDED.campaign, last_event_at = EXCLUDED.last_event_at, state = EXCLUDED.state,
       version = EXCLUDED.version, account_id = EXCLUDED.account_id, updated_at = now()
     WHERE lead_state.version = EXCLUDED.version - 1
     RETURNING lead_id`,
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
      // versions start at 1, so a first insert (0 + 1) never overwrites a row another transaction inserted
      folded.map(({ over }) => String(BigInt(over ?? '0') + 1n)),
      all.map((state) => state.accountId ?? null),
    ],
  );
  return new Set(written.map((row) => row.lead_id));
}

/** The trace id of a W3C `traceparent` header (`00-<trace-id>-<span-id>-<flags>`), or null. */
export function traceIdOf(traceparent: string | undefined): string | null {
  if (!traceparent) return null;
  const match = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent.trim());
  return match?.[1] ?? null;
}
