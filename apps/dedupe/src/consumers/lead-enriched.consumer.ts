import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { reactTo, TOPICS, type LeadEnriched, type LeadResolved } from '@leadstream/contracts';
import { matchKey, resolveLead } from '@leadstream/domain-matching';
import type { ConsumedEvent } from '@leadstream/platform-kafka';

interface StoredResolution {
  input_event_id: string;
  master_lead_id: string;
  outcome: 'new' | 'merged';
  matched_on: string | null;
}

/**
 * lead.enriched -> lead.resolved (new | merged). One transaction per batch:
 * 1. decisions already taken for these events (a redelivery) are re-emitted unchanged;
 * 2. each match key not yet known is claimed by the first lead of the batch carrying it, with an
 *    upsert that returns the existing master when another consumer claimed it first;
 * 3. the domain decides new or merged against that master, and the decision is stored.
 */
@Injectable()
export class LeadEnrichedConsumer {
  static readonly groupId = 'leadstream-dedupe';
  static readonly topics = [TOPICS.leadEnriched] as const;

  constructor(private readonly dataSource: DataSource) {}

  async handle(batch: readonly ConsumedEvent[]): Promise<LeadResolved[]> {
    const enriched = batch.map(({ event }) => event).filter((event): event is LeadEnriched => event.type === 'lead.enriched');
    if (enriched.length === 0) return [];
    const occurredAt = new Date().toISOString();
    return this.dataSource.transaction(async (manager) => {
      const prior = await this.loadPriorDecisions(manager, enriched);
      const fresh = enriched.filter((event) => !prior.has(event.metadata.eventId));
      const masters = await this.claimMatchKeys(manager, fresh);

      const decided: StoredResolution[] = [];
      for (const event of fresh) {
        const decision = resolveLead(
          { lead: event.data.lead, leadId: event.metadata.leadId },
          { masterLeadIdForEmail: masters.get(matchKey(event.data.lead)) },
        );
        const row: StoredResolution = {
          input_event_id: event.metadata.eventId,
          master_lead_id: decision.masterLeadId,
          outcome: decision.outcome,
          matched_on: decision.matchedOn ?? null,
        };
        decided.push(row);
        prior.set(row.input_event_id, row);
      }
      await this.storeDecisions(manager, fresh, decided);

      return enriched.map((event) => {
        const decision = prior.get(event.metadata.eventId);
        if (!decision) throw new Error(`dedupe lost the decision for event ${event.metadata.eventId}`); // unreachable: every event was decided above
        return reactTo<LeadResolved>(event, 'dedupe', {
          type: 'lead.resolved',
          data: {
            outcome: decision.outcome,
            masterLeadId: decision.master_lead_id,
            ...(decision.matched_on ? { matchedOn: decision.matched_on } : {}),
            lead: event.data.lead,
          },
          occurredAt,
        });
      });
    });
  }

  private async loadPriorDecisions(manager: EntityManager, events: readonly LeadEnriched[]): Promise<Map<string, StoredResolution>> {
    const rows: StoredResolution[] = await manager.query(
      `SELECT input_event_id, master_lead_id, outcome, matched_on FROM dedupe.resolution WHERE input_event_id = ANY($1::uuid[])`,
      [events.map((event) => event.metadata.eventId)],
    );
    return new Map(rows.map((row) => [row.input_event_id, row]));
  }

  /** Returns the master lead id of every match key in `events`, claiming the unknown ones. */
  private async claimMatchKeys(manager: EntityManager, events: readonly LeadEnriched[]): Promise<Map<string, string>> {
    const claims = new Map<string, string>();
    for (const event of events) {
      const key = matchKey(event.data.lead);
      if (!claims.has(key)) claims.set(key, event.metadata.leadId);
    }
    if (claims.size === 0) return claims;
    // ON CONFLICT DO UPDATE (a no-op update) makes RETURNING yield the existing row, so the winner of a
    // race between two dedupe instances is what both see.
    const rows: { match_key: string; master_lead_id: string }[] = await manager.query(
      `INSERT INTO dedupe.lead_identity (match_key, master_lead_id)
       SELECT * FROM unnest($1::text[], $2::uuid[])
       ON CONFLICT (match_key) DO UPDATE SET match_key = EXCLUDED.match_key
       RETURNING match_key, master_lead_id`,
      [[...claims.keys()], [...claims.values()]],
    );
    return new Map(rows.map((row) => [row.match_key, row.master_lead_id]));
  }

  private async storeDecisions(manager: EntityManager, events: readonly LeadEnriched[], decided: readonly StoredResolution[]): Promise<void> {
    if (decided.length === 0) return;
    await manager.query(
      `INSERT INTO dedupe.resolution (input_event_id, lead_id, master_lead_id, outcome, matched_on)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[])
       ON CONFLICT (input_event_id) DO NOTHING`,
      [
        decided.map((row) => row.input_event_id),
        events.map((event) => event.metadata.leadId),
        decided.map((row) => row.master_lead_id),
        decided.map((row) => row.outcome),
        decided.map((row) => row.matched_on),
      ],
    );
  }
}
