import type { MatchFeature } from '@leadstream/contracts';
import type { EntityManager } from 'typeorm';

/** What one lead.enriched was resolved as, and why. */
export interface Resolution {
  readonly inputEventId: string;
  readonly leadId: string;
  readonly masterLeadId: string;
  readonly outcome: 'new' | 'merged';
  readonly matchedOn?: string;
  readonly ruleVersion: string;
  readonly score?: number;
  readonly features?: readonly MatchFeature[];
}

/** dedupe.resolution: one row per lead.enriched resolved. */
export const resolutionRepository = {
  async store(transaction: EntityManager, rows: readonly Resolution[]): Promise<void> {
    if (rows.length === 0) return;
    await transaction.query(
      `INSERT INTO dedupe.resolution (input_event_id, lead_id, master_lead_id, outcome, matched_on, rule_version, score, features)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::real[], $8::json[])`,
      [
        rows.map((r) => r.inputEventId),
        rows.map((r) => r.leadId),
        rows.map((r) => r.masterLeadId),
        rows.map((r) => r.outcome),
        rows.map((r) => r.matchedOn ?? null),
        rows.map((r) => r.ruleVersion),
        rows.map((r) => r.score ?? null),
        rows.map((r) => (r.features ? JSON.stringify(r.features) : null)),
      ],
    );
  },
};
