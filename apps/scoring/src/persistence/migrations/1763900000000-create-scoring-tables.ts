import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateScoringTables1763900000000 implements MigrationInterface {
  name = 'CreateScoringTables1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The current score of every (master) lead under the rule set that produced it.
    await queryRunner.query(`
      CREATE TABLE scoring.lead_score (
        lead_id          uuid PRIMARY KEY,
        score            integer NOT NULL,
        grade            text NOT NULL,
        rule_set_version text NOT NULL,
        cause_event_id   uuid NOT NULL,
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    // Stages reached (MQL, SQL): each once per lead, with the event that caused it, so a redelivery of
    // that event re-emits the same lead.qualified instead of losing it or emitting a second one.
    await queryRunner.query(`
      CREATE TABLE scoring.qualification (
        lead_id          uuid NOT NULL,
        stage            text NOT NULL CHECK (stage IN ('MQL', 'SQL')),
        score            integer NOT NULL,
        rule_set_version text NOT NULL,
        cause_event_id   uuid NOT NULL,
        qualified_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (lead_id, stage)
      )`);
    await queryRunner.query(`CREATE INDEX qualification_cause_idx ON scoring.qualification (cause_event_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE scoring.qualification`);
    await queryRunner.query(`DROP TABLE scoring.lead_score`);
  }
}
