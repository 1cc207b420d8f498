import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNurtureTables1763900000000 implements MigrationInterface {
  name = 'CreateNurtureTables1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A lead is enrolled in a sequence once; the causing lead.assigned event lets a redelivery re-emit it.
    await queryRunner.query(`
      CREATE TABLE nurture.enrolment (
        lead_id        uuid NOT NULL,
        sequence_id    text NOT NULL,
        queue_id       text NOT NULL,
        cause_event_id uuid NOT NULL,
        enrolled_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (lead_id, sequence_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE nurture.enrolment`);
  }
}
