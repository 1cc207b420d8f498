import type { QualificationStage, ScoreReason } from '@leadstream/contracts';
import type { EntityManager } from 'typeorm';

export interface LeadScoreRow {
  readonly leadId: string;
  readonly score: number;
  readonly grade: string;
  readonly ruleSetVersion: string;
  /** The event that produced it (lead.resolved, lead.merged or lead.unmerged: provenance for "why this score"). One event may score two leads (an unmerge), never one lead twice: lead_id stays the key. */
  readonly causeEventId: string;
  /** The breakdown: each rule, its points, and the fields or activity ids that earned them. */
  readonly reasons: readonly ScoreReason[];
}

export interface QualificationRow {
  readonly leadId: string;
  readonly stage: QualificationStage;
  readonly score: number;
  readonly ruleSetVersion: string;
  readonly causeEventId: string;
}

/** scoring.lead_score and scoring.qualification, read and written inside the stage transaction. */
export const leadScoreRepository = {
  /** The highest stage each lead has reached (SQL above MQL); leads without one are absent. */
  async loadStages(transaction: EntityManager, leadIds: readonly string[]): Promise<Map<string, QualificationStage>> {
    const rows: { lead_id: string; stage: QualificationStage }[] = await transaction.query(
      `SELECT lead_id, max(stage) AS stage FROM scoring.qualification WHERE lead_id = ANY($1::uuid[]) GROUP BY lead_id`,
      [leadIds],
    );
    // 'SQL' > 'MQL' as text, so max() is the highest stage.
    return new Map(rows.map((row) => [row.lead_id, row.stage]));
  },

  /** Upserts the latest score of each lead (the last row of a lead wins). */
  async storeScores(transaction: EntityManager, scores: readonly LeadScoreRow[]): Promise<void> {
    const rows = [...new Map(scores.map((row) => [row.leadId, row])).values()];
    if (rows.length === 0) return;
    await transaction.query(
      `INSERT INTO scoring.lead_score (lead_id, score, grade, rule_set_version, cause_event_id, reasons)
       SELECT * FROM unnest($1::uuid[], $2::float8[], $3::text[], $4::text[], $5::uuid[], $6::jsonb[])
       ON CONFLICT (lead_id) DO UPDATE SET score = EXCLUDED.score, grade = EXCLUDED.grade,
         rule_set_version = EXCLUDED.rule_set_version, cause_event_id = EXCLUDED.cause_event_id, reasons = EXCLUDED.reasons, updated_at = now()`,
      [
        rows.map((r) => r.leadId),
        rows.map((r) => r.score),
        rows.map((r) => r.grade),
        rows.map((r) => r.ruleSetVersion),
        rows.map((r) => r.causeEventId),
        rows.map((r) => JSON.stringify(r.reasons)),
      ],
    );
  },

  /** Records stages reached; the lead lock of the stage makes each (lead, stage) arrive here once. */
  async storeQualifications(transaction: EntityManager, rows: readonly QualificationRow[]): Promise<void> {
    if (rows.length === 0) return;
    await transaction.query(
      `INSERT INTO scoring.qualification (lead_id, stage, score, rule_set_version, cause_event_id)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::text[], $5::uuid[])`,
      [rows.map((r) => r.leadId), rows.map((r) => r.stage), rows.map((r) => r.score), rows.map((r) => r.ruleSetVersion), rows.map((r) => r.causeEventId)],
    );
  },
};
