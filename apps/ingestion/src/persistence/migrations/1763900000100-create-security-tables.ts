import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSecurityTables1763900000100 implements MigrationInterface {
  name = 'CreateSecurityTables1763900000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    // API keys: only the SHA-256 of each secret is kept (see security/api-key.ts for why not a slow KDF).
    await queryRunner.query(`
      CREATE TABLE ingestion.api_key (
        id          uuid PRIMARY KEY,
        name        text NOT NULL,
        key_hash    bytea NOT NULL UNIQUE,
        scopes      text[] NOT NULL CHECK (scopes <@ ARRAY['ingest', 'read', 'admin']::text[] AND cardinality(scopes) > 0),
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz
      )`);
    // The first answer to each (owner, Idempotency-Key). status_code NULL: that request is still in flight.
    await queryRunner.query(`
      CREATE TABLE ingestion.idempotency_record (
        owner            text NOT NULL,
        idempotency_key  text NOT NULL,
        request_hash     bytea NOT NULL,
        status_code      integer,
        response_body    jsonb,
        location         text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (owner, idempotency_key)
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_record_created_idx ON ingestion.idempotency_record (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ingestion.idempotency_record`);
    await queryRunner.query(`DROP TABLE ingestion.api_key`);
  }
}
