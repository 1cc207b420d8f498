import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CompanyReference1765900000000 implements MigrationInterface {
  name = 'CompanyReference1765900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The local reference dataset of firmographics, keyed by company domain; name_key is companyKey()
    // of the name, for leads that name a company but write from a free mailbox.
    await queryRunner.query(`
      CREATE TABLE enrichment.company_reference (
        domain          text PRIMARY KEY,
        name_key        text,
        company_name    text,
        industry        text,
        employee_count  integer CHECK (employee_count >= 0),
        annual_revenue  bigint CHECK (annual_revenue >= 0),
        country         text CHECK (country ~ '^[A-Z]{2}$'),
        parent_domain   text,
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX company_reference_name_key_idx ON enrichment.company_reference (name_key)`);
    // One row per loaded file name: its checksum tells a start-up that the same file is already in.
    await queryRunner.query(`
      CREATE TABLE enrichment.reference_dataset_load (
        source      text PRIMARY KEY,
        sha256      text NOT NULL,
        row_count   integer NOT NULL,
        rejected    integer NOT NULL,
        loaded_at   timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE enrichment.reference_dataset_load');
    await queryRunner.query('DROP TABLE enrichment.company_reference');
  }
}
