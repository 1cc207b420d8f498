import type { EntityManager } from 'typeorm';

export interface Resolution {
  readonly inputEventId: string;
  readonly leadId: string;
  readonly masterLeadId: string;
  readonly outcome: 'new' | 'merged';
  readonly matchedOn?: string;
}

/** dedupe.lead_identity (match key -> master lead) and dedupe.resolution (every decision), in the stage transaction. */
export const identityRepository = {
  /**
   * The master lead of every match key of `claims`, claiming each unknown key for the first lead of the
   * batch carrying it.
   */
  async claimMasters(transaction: EntityManager, claims: readonly { matchKey: string; leadId: string }[]): Promise<Map<string, string>> {
    const first = new Map<string, string>();
    for (const claim of claims) if (!first.has(claim.matchKey)) first.set(claim.matchKey, claim.leadId);
    if (first.size === 0) return first;
    // The no-op update makes RETURNING yield the row that already holds the key.
    const rows: { match_key: string; master_lead_id: string }[] = await transaction.query(
      `INSERT INTO dedupe.lead_identity (match_key, master_lead_id)
       SELECT * FROM unnest($1::text[], $2::uuid[])
       ON CONFLICT (match_key) DO UPDATE SET match_key = EXCLUDED.match_key
       RETURNING match_key, master_lead_id`,
      [[...first.keys()], [...first.values()]],
    );
    return new Map(rows.map((row) => [row.match_key, row.master_lead_id]));
  },

  async storeResolutions(transaction: EntityManager, rows: readonly Resolution[]): Promise<void> {
    if (rows.length === 0) return;
    await transaction.query(
      `INSERT INTO dedupe.resolution (input_event_id, lead_id, master_lead_id, outcome, matched_on)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[])`,
      [rows.map((r) => r.inputEventId), rows.map((r) => r.leadId), rows.map((r) => r.masterLeadId), rows.map((r) => r.outcome), rows.map((r) => r.matchedOn ?? null)],
    );
  },
};
