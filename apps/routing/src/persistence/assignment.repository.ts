import type { Assignee, Grade } from '@leadstream/contracts';
import type { EntityManager } from 'typeorm';

export interface Assignment {
  readonly leadId: string;
  readonly assignee: Assignee;
  readonly rule: string;
  readonly score: number;
  readonly grade: Grade;
  /** The lead.scored that caused it (provenance). */
  readonly causeEventId: string;
}

/** routing.assignment (one owner per lead) and routing.round_robin (the pool's cursor), in the stage transaction. */
export const assignmentRepository = {
  /** Locks the pool's cursor for the transaction and reads it: replicas take turns one after the other. */
  async lockCursor(transaction: EntityManager, pool: string): Promise<number> {
    await transaction.query(`INSERT INTO routing.round_robin (pool, next_index) VALUES ($1, 0) ON CONFLICT (pool) DO NOTHING`, [pool]);
    const rows: { next_index: number }[] = await transaction.query(`SELECT next_index FROM routing.round_robin WHERE pool = $1 FOR UPDATE`, [pool]);
    return rows[0]?.next_index ?? 0;
  },

  async storeCursor(transaction: EntityManager, pool: string, nextIndex: number): Promise<void> {
    await transaction.query(`UPDATE routing.round_robin SET next_index = $2 WHERE pool = $1`, [pool, nextIndex]);
  },

  /** The leads among `leadIds` that already have an owner. */
  async assignedLeads(transaction: EntityManager, leadIds: readonly string[]): Promise<Set<string>> {
    const rows: { lead_id: string }[] = await transaction.query(`SELECT lead_id FROM routing.assignment WHERE lead_id = ANY($1::uuid[])`, [leadIds]);
    return new Set(rows.map((row) => row.lead_id));
  },

  async store(transaction: EntityManager, rows: readonly Assignment[]): Promise<void> {
    if (rows.length === 0) return;
    await transaction.query(
      `INSERT INTO routing.assignment (lead_id, assignee_kind, assignee_id, rule, score, grade, cause_event_id)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::uuid[])`,
      [
        rows.map((r) => r.leadId),
        rows.map((r) => r.assignee.kind),
        rows.map((r) => (r.assignee.kind === 'rep' ? r.assignee.repId : r.assignee.queueId)),
        rows.map((r) => r.rule),
        rows.map((r) => r.score),
        rows.map((r) => r.grade),
        rows.map((r) => r.causeEventId),
      ],
    );
  },
};
