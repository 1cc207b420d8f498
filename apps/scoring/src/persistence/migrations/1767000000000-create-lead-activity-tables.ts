import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What scoring keeps to score with activities: the leads it has heard of and the cluster each belongs
 * to (its surviving lead), the surviving record of each survivor, every activity (attributed to a lead,
 * or pending until a lead with its email arrives), and the reasons of each lead's last score.
 */
export class CreateLeadActivityTables1767000000000 implements MigrationInterface {
  name = 'CreateLeadActivityTables1767000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // cluster_id: the surviving lead (= lead_id for a survivor). email: the lead's own address, lower-cased,
    // to attribute activities that name a lead by email. record: the surviving record, survivors only.
    await queryRunner.query(`
      CREATE TABLE scoring.lead (
        lead_id    uuid PRIMARY KEY,
        cluster_id uuid NOT NULL,
        email      text,
        record     jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX lead_email_idx ON scoring.lead (email) WHERE email IS NOT NULL`);
    // A lead is scored with the activities of every lead of its cluster: found through cluster_id.
    await queryRunner.query(`CREATE INDEX lead_cluster_idx ON scoring.lead (cluster_id)`);
    // activity_id: the activity.recorded event id, so a second copy of an event is one row.
    // lead_id: the lead it is attributed to (null while pending); email: set when it named its lead by email.
    await queryRunner.query(`
      CREATE TABLE scoring.activity (
        activity_id uuid PRIMARY KEY,
        lead_id     uuid,
        email       text,
        kind        text NOT NULL,
        at          timestamptz NOT NULL,
        url         text,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX activity_lead_idx ON scoring.activity (lead_id) WHERE lead_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX activity_pending_email_idx ON scoring.activity (email) WHERE lead_id IS NULL`);
    // The breakdown of the last score (ScoreReason[]), for GET /v1/leads/:id/score; null on rows scored before.
    await queryRunner.query(`ALTER TABLE scoring.lead_score ADD COLUMN reasons jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE scoring.lead_score DROP COLUMN reasons`);
    await queryRunner.query(`DROP TABLE scoring.activity`);
    await queryRunner.query(`DROP TABLE scoring.lead`);
  }
}
