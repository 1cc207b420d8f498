import type { EntityManager } from 'typeorm';

/** What became of a merge or unmerge request: done (with what changed) or refused (with the reason). */
export interface RequestOutcome {
  readonly requestEventId: string;
  readonly status: 'done' | 'refused';
  readonly detail: Readonly<Record<string, unknown>>;
  readonly decidedAt: string;
}

/** dedupe.request_outcome, written by the request stage and read by the HTTP call that published the request. */
export const requestOutcomeRepository = {
  async store(transaction: EntityManager, rows: readonly RequestOutcome[]): Promise<void> {
    if (rows.length === 0) return;
    await transaction.query(
      `INSERT INTO dedupe.request_outcome (request_event_id, status, detail, decided_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::timestamptz[])`,
      [rows.map((r) => r.requestEventId), rows.map((r) => r.status), rows.map((r) => JSON.stringify(r.detail)), rows.map((r) => r.decidedAt)],
    );
  },

  async get(manager: EntityManager, requestEventId: string): Promise<RequestOutcome | undefined> {
    const rows: { status: 'done' | 'refused'; detail: Record<string, unknown>; decided_at: Date }[] = await manager.query(
      `SELECT status, detail, decided_at FROM dedupe.request_outcome WHERE request_event_id = $1`,
      [requestEventId],
    );
    const row = rows[0];
    return row && { requestEventId, status: row.status, detail: row.detail, decidedAt: row.decided_at.toISOString() };
  },
};
