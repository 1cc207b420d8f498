import type { EnrichedLead } from '@leadstream/contracts';
import type { EntityManager } from 'typeorm';

/** A surviving lead as scoring stores it, with its current score (null when none is stored). */
export interface SurvivorRow {
  readonly leadId: string;
  readonly record: EnrichedLead;
  readonly current: { readonly score: number; readonly grade: string } | null;
}

/** Below every uuid: the keyset start, so every page is the same index range scan. */
const FIRST_LEAD_ID = '00000000-0000-0000-0000-000000000000';

/** Read-only walks over the surviving leads of scoring.lead (lead_id = cluster_id, with a record). */
export const survivorRepository = {
  /** Up to `size` survivors with a lead id above `after` (undefined: from the start), in lead-id order. */
  async page(manager: EntityManager, after: string | undefined, size: number): Promise<SurvivorRow[]> {
    const rows: { lead_id: string; record: EnrichedLead; score: number | null; grade: string | null }[] = await manager.query(
      `SELECT l.lead_id, l.record, s.score, s.grade
       FROM scoring.lead l LEFT JOIN scoring.lead_score s ON s.lead_id = l.lead_id
       WHERE l.lead_id > $1::uuid AND l.lead_id = l.cluster_id AND l.record IS NOT NULL
       ORDER BY l.lead_id LIMIT $2`,
      [after ?? FIRST_LEAD_ID, size],
    );
    return rows.map((row) => ({
      leadId: row.lead_id,
      record: row.record,
      current: row.score === null || row.grade === null ? null : { score: row.score, grade: row.grade },
    }));
  },
};
