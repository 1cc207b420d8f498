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
    // One JSON document for the batch: the features nest as they are, rather than each as an escaped json[] element.
    await transaction.query(
      `INSERT INTO dedupe.resolution (input_event_id, lead_id, master_lead_id, outcome, matched_on, rule_version, score, features)
       SELECT * FROM json_to_recordset($1::json)
         AS r(input_event_id uuid, lead_id uuid, master_lead_id uuid, outcome text, matched_on text, rule_version text, score real, features json)`,
      [
        JSON.stringify(
          rows.map((r) => ({
            input_event_id: r.inputEventId,
            lead_id: r.leadId,
            master_lead_id: r.masterLeadId,
            outcome: r.outcome,
            matched_on: r.matchedOn ?? null,
            rule_version: r.ruleVersion,
            score: r.score ?? null,
            features: r.features ?? null,
          })),
        ),
      ],
    );
  },
};
