import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12 (dedupe merges and accounts):
 * - lead_state.account_id: the company's account, from the lead record dedupe resolves (`lead.accountId`);
 *   indexed over the surviving leads for GET /v1/accounts/:accountId/leads.
 * - lead_state.merged_into indexed: the walk from a surviving lead to the leads merged into it (its history).
 * - event_lead: the events that change the state of leads other than their own lead_id (lead.merged: the
 *   absorbed leads; lead.unmerged: the former survivor), one row per such lead, written in the transaction
 *   that logs the event. A refold of a lead reads its history as its own events plus these, and
 *   GET /v1/leads/:id/history shows them. A link table rather than a GIN index over the ids in `data`:
 *   the lookup is one b-tree probe per lead in both places, and the event log stays free of
 *   event-type-specific indexes.
 */
export class LeadMergesAndAccounts1765100000200 implements MigrationInterface {
  name = 'LeadMergesAndAccounts1765100000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE analytics.lead_state ADD COLUMN account_id uuid`);
    await queryRunner.query(`CREATE INDEX lead_state_account_idx ON analytics.lead_state (account_id, lead_id) WHERE merged_into IS NULL`);
    await queryRunner.query(`CREATE INDEX lead_state_merged_into_idx ON analytics.lead_state (merged_into) WHERE merged_into IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE analytics.event_lead (
        lead_id  uuid NOT NULL,
        event_id uuid NOT NULL REFERENCES analytics.event_log (event_id),
        PRIMARY KEY (lead_id, event_id)
      )`);
    // Backfill from events logged before this table existed (an upgrade: lead.merged and lead.unmerged are new, so usually none).
    await queryRunner.query(`
      INSERT INTO analytics.event_lead (lead_id, event_id)
      SELECT DISTINCT other.lead_id, log.event_id
        FROM analytics.event_log log
        CROSS JOIN LATERAL (
          SELECT jsonb_array_elements_text(log.data->'mergedLeadIds')::uuid WHERE log.type = 'lead.merged'
          UNION ALL SELECT (log.data->>'survivorLeadId')::uuid WHERE log.type = 'lead.merged'
          UNION ALL SELECT (log.data->>'formerSurvivorLeadId')::uuid WHERE log.type = 'lead.unmerged'
        ) AS other(lead_id)
       WHERE log.type IN ('lead.merged', 'lead.unmerged') AND other.lead_id <> log.lead_id
      ON CONFLICT DO NOTHING`);
    await queryRunner.query(`UPDATE analytics.lead_state SET account_id = (state->>'accountId')::uuid WHERE state ? 'accountId'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE analytics.event_lead`);
    await queryRunner.query(`DROP INDEX analytics.lead_state_merged_into_idx`);
    await queryRunner.query(`DROP INDEX analytics.lead_state_account_idx`);
    await queryRunner.query(`ALTER TABLE analytics.lead_state DROP COLUMN account_id`);
  }
}
