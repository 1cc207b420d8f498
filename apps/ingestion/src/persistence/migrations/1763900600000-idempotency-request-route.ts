import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The route (`POST /v1/leads`) each Idempotency-Key was first used for, so that reusing a key on
 * another route can say so instead of speaking of "a different body". Rows from before this
 * migration have none; they expire within the retention time.
 */
export class IdempotencyRequestRoute1763900600000 implements MigrationInterface {
  name = 'IdempotencyRequestRoute1763900600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ingestion.idempotency_record ADD COLUMN request_route text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ingestion.idempotency_record DROP COLUMN request_route`);
  }
}
