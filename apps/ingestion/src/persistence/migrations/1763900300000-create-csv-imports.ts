import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCsvImports1763900300000 implements MigrationInterface {
  name = 'CreateCsvImports1763900300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per uploaded file. committed_line is the last CSV line whose events Kafka acknowledged and
    // whose counters are included here: a restarted ingestion resumes a running import after it.
    await queryRunner.query(`
      CREATE TABLE ingestion.csv_import (
        id             uuid PRIMARY KEY,
        status         text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        file_path      text NOT NULL,
        original_name  text,
        api_key_owner  text,
        created_at     timestamptz NOT NULL DEFAULT now(),
        finished_at    timestamptz,
        rows_read      bigint NOT NULL DEFAULT 0,
        accepted       bigint NOT NULL DEFAULT 0,
        rejected       bigint NOT NULL DEFAULT 0,
        bytes_total    bigint NOT NULL,
        bytes_done     bigint NOT NULL DEFAULT 0,
        committed_line bigint NOT NULL DEFAULT 0,
        note           text,
        error          text
      )`);
    await queryRunner.query(`CREATE INDEX csv_import_running_idx ON ingestion.csv_import (status) WHERE status = 'running'`);
    // The rows of an import that were refused, with the reason, for GET /v1/imports/:id/rejected.
    await queryRunner.query(`
      CREATE TABLE ingestion.csv_rejected_row (
        import_id uuid NOT NULL REFERENCES ingestion.csv_import (id) ON DELETE CASCADE,
        line      bigint NOT NULL,
        reason    text NOT NULL,
        raw       text,
        PRIMARY KEY (import_id, line)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ingestion.csv_rejected_row`);
    await queryRunner.query(`DROP TABLE ingestion.csv_import`);
  }
}
