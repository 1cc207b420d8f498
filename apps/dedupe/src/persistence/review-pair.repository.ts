import type { MatchFeature } from '@leadstream/contracts';
import type { EntityManager } from 'typeorm';

export type ReviewStatus = 'pending' | 'merged' | 'dismissed';

export interface ReviewPair {
  readonly pairId: string;
  /** The two leads in ascending id order. */
  readonly leadA: string;
  readonly leadB: string;
  readonly score: number;
  readonly features: readonly MatchFeature[];
  readonly ruleVersion: string;
  readonly status: ReviewStatus;
  readonly createdAt: string;
  readonly decidedAt?: string;
  readonly decidedBy?: string;
}

interface PairRow {
  pair_id: string;
  lead_a: string;
  lead_b: string;
  score: number;
  features: MatchFeature[];
  rule_version: string;
  status: ReviewStatus;
  created_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
}

const PAIR_COLUMNS = 'pair_id, lead_a, lead_b, score, features, rule_version, status, created_at, decided_at, decided_by';

function toPair(row: PairRow): ReviewPair {
  return {
    pairId: row.pair_id,
    leadA: row.lead_a,
    leadB: row.lead_b,
    score: row.score,
    features: row.features,
    ruleVersion: row.rule_version,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    ...(row.decided_at ? { decidedAt: row.decided_at.toISOString() } : {}),
    ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
  };
}

/** dedupe.review_pair: pairs between the thresholds waiting for a person, and the pairs people decided. */
export const reviewPairRepository = {
  /** Pairs among `leadIds` that a person dismissed (or that an unmerge split). */
  async dismissedAmong(transaction: EntityManager, leadIds: readonly string[]): Promise<[string, string][]> {
    if (leadIds.length < 2) return [];
    const rows: { lead_a: string; lead_b: string }[] = await transaction.query(
      `SELECT lead_a, lead_b FROM dedupe.review_pair WHERE status = 'dismissed' AND lead_a = ANY($1::uuid[]) AND lead_b = ANY($1::uuid[])`,
      [leadIds],
    );
    return rows.map((row) => [row.lead_a, row.lead_b]);
  },

  /** Proposes pairs; a pair already known (pending, merged or dismissed) stays as it is. */
  async propose(transaction: EntityManager, pairs: readonly Omit<ReviewPair, 'status' | 'decidedAt' | 'decidedBy'>[]): Promise<void> {
    if (pairs.length === 0) return;
    await transaction.query(
      `INSERT INTO dedupe.review_pair (pair_id, lead_a, lead_b, score, features, rule_version, status, created_at)
       SELECT p.pair_id, p.lead_a, p.lead_b, p.score, p.features, p.rule_version, 'pending', p.created_at
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::real[], $5::json[], $6::text[], $7::timestamptz[])
           AS p(pair_id, lead_a, lead_b, score, features, rule_version, created_at)
       ON CONFLICT DO NOTHING`,
      [
        pairs.map((p) => p.pairId),
        pairs.map((p) => p.leadA),
        pairs.map((p) => p.leadB),
        pairs.map((p) => p.score),
        pairs.map((p) => JSON.stringify(p.features)),
        pairs.map((p) => p.ruleVersion),
        pairs.map((p) => p.createdAt),
      ],
    );
  },

  /** Records pairs as decided (dismissed or merged) whatever they were; inserts those never proposed. */
  async decide(
    transaction: EntityManager,
    pairs: readonly { pairId: string; leadA: string; leadB: string }[],
    decision: { status: 'merged' | 'dismissed'; ruleVersion: string; at: string; by: string },
  ): Promise<void> {
    if (pairs.length === 0) return;
    await transaction.query(
      `INSERT INTO dedupe.review_pair (pair_id, lead_a, lead_b, score, features, rule_version, status, created_at, decided_at, decided_by)
       SELECT p.pair_id, p.lead_a, p.lead_b, 0, '[]'::json, $4, $5, $6, $6, $7
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS p(pair_id, lead_a, lead_b)
       ON CONFLICT (lead_a, lead_b) DO UPDATE SET status = EXCLUDED.status, decided_at = EXCLUDED.decided_at, decided_by = EXCLUDED.decided_by`,
      [pairs.map((p) => p.pairId), pairs.map((p) => p.leadA), pairs.map((p) => p.leadB), decision.ruleVersion, decision.status, decision.at, decision.by],
    );
  },

  async get(transaction: EntityManager, pairId: string): Promise<ReviewPair | undefined> {
    const rows: PairRow[] = await transaction.query(`SELECT ${PAIR_COLUMNS} FROM dedupe.review_pair WHERE pair_id = $1`, [pairId]);
    return rows[0] ? toPair(rows[0]) : undefined;
  },

  /** Pending pairs, oldest first, after the pair `after` (paging). */
  async pending(manager: EntityManager, limit: number, after?: ReviewPair): Promise<ReviewPair[]> {
    const rows: PairRow[] = after
      ? await manager.query(
          `SELECT ${PAIR_COLUMNS} FROM dedupe.review_pair WHERE status = 'pending' AND (created_at, pair_id) > ($1, $2) ORDER BY created_at, pair_id LIMIT $3`,
          [after.createdAt, after.pairId, limit],
        )
      : await manager.query(`SELECT ${PAIR_COLUMNS} FROM dedupe.review_pair WHERE status = 'pending' ORDER BY created_at, pair_id LIMIT $1`, [limit]);
    return rows.map(toPair);
  },

  /** Pairs naming any of `leadIds`. */
  async ofLeads(manager: EntityManager, leadIds: readonly string[]): Promise<ReviewPair[]> {
    const rows: PairRow[] = await manager.query(
      `SELECT ${PAIR_COLUMNS} FROM dedupe.review_pair WHERE lead_a = ANY($1::uuid[]) OR lead_b = ANY($1::uuid[]) ORDER BY created_at, pair_id`,
      [leadIds],
    );
    return rows.map(toPair);
  },
};
