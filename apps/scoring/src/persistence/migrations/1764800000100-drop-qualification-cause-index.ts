import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The index served the consumer's own redelivery lookup, which the stage inbox replaced. */
export class DropQualificationCauseIndex1764800000100 implements MigrationInterface {
  name = 'DropQualificationCauseIndex1764800000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS scoring.qualification_cause_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX qualification_cause_idx ON scoring.qualification (cause_event_id)`);
  }
}
