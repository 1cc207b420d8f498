import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDedupeTables1763900000000 implements MigrationInterface {
  name = 'CreateDedupeTables1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per match key: the first lead seen with it is the master every later duplicate merges into.
    await queryRunner.query(`
      CREATE TABLE dedupe.lead_identity (
        match_key      text PRIMARY KEY,
        master_lead_id uuid NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    // The decision taken for each consumed lead.enriched event, so a redelivery re-emits the same lead.resolved.
    await queryRunner.query(`
      CREATE TABLE dedupe.resolution (
        input_event_id uuid PRIMARY KEY,
        lead_id        uuid NOT NULL,
        master_lead_id uuid NOT NULL,
        outcome        text NOT NULL CHECK (outcome IN ('new', 'merged')),
        matched_on     text,
        resolved_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX resolution_master_idx ON dedupe.resolution (master_lead_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE dedupe.resolution`);
    await queryRunner.query(`DROP TABLE dedupe.lead_identity`);
  }
}
