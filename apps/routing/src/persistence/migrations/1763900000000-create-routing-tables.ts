import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRoutingTables1763900000000 implements MigrationInterface {
  name = 'CreateRoutingTables1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One owner per lead, ever: the primary key is what guarantees no lead is assigned twice.
    await queryRunner.query(`
      CREATE TABLE routing.assignment (
        lead_id        uuid PRIMARY KEY,
        assignee_kind  text NOT NULL CHECK (assignee_kind IN ('rep', 'queue')),
        assignee_id    text NOT NULL,
        rule           text NOT NULL,
        score          integer NOT NULL,
        grade          text NOT NULL,
        cause_event_id uuid NOT NULL,
        assigned_at    timestamptz NOT NULL DEFAULT now()
      )`);
    // Round-robin cursor per pool; locked FOR UPDATE while a batch is routed so instances take turns.
    await queryRunner.query(`
      CREATE TABLE routing.round_robin (
        pool       text PRIMARY KEY,
        next_index integer NOT NULL DEFAULT 0
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE routing.round_robin`);
    await queryRunner.query(`DROP TABLE routing.assignment`);
  }
}
