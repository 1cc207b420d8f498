import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateFormDefinitions1763900200000 implements MigrationInterface {
  name = 'CreateFormDefinitions1763900200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Web-to-lead forms defined through the admin API. Every PUT adds a revision (nothing is
    // overwritten), so a lead's form can be traced to the definition that was live when it came in.
    await queryRunner.query(`
      CREATE TABLE ingestion.form_definition (
        form_id    text NOT NULL,
        revision   integer NOT NULL CHECK (revision >= 1),
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (form_id, revision)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ingestion.form_definition`);
  }
}
