import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * lead_state.version: how many times the row was written. A fold writes a lead's state only over the
 * version it read, so two transactions that fold one lead at once cannot both win (see EveryTopicConsumer).
 */
export class LeadStateVersion1764900000100 implements MigrationInterface {
  name = 'LeadStateVersion1764900000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE analytics.lead_state ADD COLUMN version bigint NOT NULL DEFAULT 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE analytics.lead_state DROP COLUMN version`);
  }
}
