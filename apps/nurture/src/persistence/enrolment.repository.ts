import type { EntityManager } from 'typeorm';

export interface Enrolment {
  readonly leadId: string;
  readonly sequenceId: string;
  readonly queueId: string;
  /** The lead.assigned that caused it (provenance). */
  readonly causeEventId: string;
}

/** nurture.enrolment, in the stage transaction. */
export const enrolmentRepository = {
  async enrolledLeads(transaction: EntityManager, leadIds: readonly string[], sequenceId: string): Promise<Set<string>> {
    const rows: { lead_id: string }[] = await transaction.query(`SELECT lead_id FROM nurture.enrolment WHERE lead_id = ANY($1::uuid[]) AND sequence_id = $2`, [leadIds, sequenceId]);
    return new Set(rows.map((row) => row.lead_id));
  },

  async store(transaction: EntityManager, rows: readonly Enrolment[]): Promise<void> {
    if (rows.length === 0) return;
    await transaction.query(
      `INSERT INTO nurture.enrolment (lead_id, sequence_id, queue_id, cause_event_id)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[])`,
      [rows.map((r) => r.leadId), rows.map((r) => r.sequenceId), rows.map((r) => r.queueId), rows.map((r) => r.causeEventId)],
    );
  },
};
