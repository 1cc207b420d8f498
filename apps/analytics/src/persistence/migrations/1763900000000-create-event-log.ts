import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEventLog1763900000000 implements MigrationInterface {
  name = 'CreateEventLog1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The append-only event log analysts query with SQL and the system replays. `seq` is the order
    // events were recorded in (the replay order); event_id makes a redelivered event a no-op.
    await queryRunner.query(`
      CREATE TABLE analytics.event_log (
        seq             bigserial UNIQUE,
        event_id        uuid PRIMARY KEY,
        lead_id         uuid NOT NULL,
        type            text NOT NULL,
        version         integer NOT NULL,
        occurred_at     timestamptz NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        correlation_id  uuid NOT NULL,
        causation_id    uuid,
        trace_id        text,
        topic           text NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset    bigint NOT NULL,
        data            jsonb NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX event_log_lead_idx ON analytics.event_log (lead_id, occurred_at, seq)`);
    await queryRunner.query(`CREATE INDEX event_log_type_time_idx ON analytics.event_log (type, occurred_at)`);
    // History is never rewritten: updates and deletes are refused at the database.
    await queryRunner.query(`
      CREATE FUNCTION analytics.refuse_event_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'analytics.event_log is append-only: % refused', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER event_log_append_only BEFORE UPDATE OR DELETE ON analytics.event_log
      FOR EACH STATEMENT EXECUTE FUNCTION analytics.refuse_event_log_change()`);

    // Current state of each lead, folded from its events (a projection: rebuildable from the log).
    await queryRunner.query(`
      CREATE TABLE analytics.lead_state (
        lead_id       uuid PRIMARY KEY,
        status        text NOT NULL,
        email         text,
        score         integer,
        grade         text,
        owner_kind    text,
        owner_id      text,
        merged_into   uuid,
        source        text,
        campaign      text,
        last_event_at timestamptz NOT NULL,
        state         jsonb NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE analytics.lead_state`);
    await queryRunner.query(`DROP TABLE analytics.event_log`);
    await queryRunner.query(`DROP FUNCTION analytics.refuse_event_log_change()`);
  }
}
