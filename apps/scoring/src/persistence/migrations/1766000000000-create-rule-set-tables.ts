import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Scoring rule sets as versioned data managed through the API, and which one the consumer scores with. */
export class CreateRuleSetTables1766000000000 implements MigrationInterface {
  name = 'CreateRuleSetTables1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A version is never changed once stored (a different body under the same version is refused), so
    // a consumer may cache the parsed set by its version. activated_at/_by: its latest activation.
    await queryRunner.query(`
      CREATE TABLE scoring.rule_set (
        version      text PRIMARY KEY,
        body         jsonb NOT NULL,
        description  text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        created_by   text,
        activated_at timestamptz,
        activated_by text
      )`);
    // At most one row, so there can never be two active versions; activating is an upsert of that row.
    await queryRunner.query(`
      CREATE TABLE scoring.active_rule_set (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        version   text NOT NULL REFERENCES scoring.rule_set (version)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE scoring.active_rule_set`);
    await queryRunner.query(`DROP TABLE scoring.rule_set`);
  }
}
