import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CsvImportFormat1763900550000 implements MigrationInterface {
  name = 'CsvImportFormat1763900550000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // How the file was read: its encoding (named by the upload's charset, or detected from its bytes when
    // it was stored) and its delimiter (detected from the header once the import read it). Imports
    // recorded before this column existed were read as UTF-8 with commas.
    await queryRunner.query(`ALTER TABLE ingestion.csv_import ADD COLUMN encoding text NOT NULL DEFAULT 'utf-8'`);
    await queryRunner.query(`ALTER TABLE ingestion.csv_import ADD COLUMN encoding_source text NOT NULL DEFAULT 'detected' CHECK (encoding_source IN ('charset', 'detected'))`);
    await queryRunner.query(`ALTER TABLE ingestion.csv_import ADD COLUMN delimiter text`);
    await queryRunner.query(`UPDATE ingestion.csv_import SET delimiter = ',' WHERE status <> 'running'`);
    // GET /v1/imports lists imports newest first, paged by (created_at, id).
    await queryRunner.query(`CREATE INDEX csv_import_listing_idx ON ingestion.csv_import (created_at DESC, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ingestion.csv_import_listing_idx`);
    await queryRunner.query(`ALTER TABLE ingestion.csv_import DROP COLUMN delimiter, DROP COLUMN encoding_source, DROP COLUMN encoding`);
  }
}
