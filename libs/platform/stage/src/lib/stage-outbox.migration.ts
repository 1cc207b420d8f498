import type { MigrationInterface, QueryRunner } from 'typeorm';
import { quoteIdentifier } from '@leadstream/platform-persistence';

/**
 * The stage outbox (docs/adr/0010-consumer-stages.md): the events one stage transaction produced are
 * stored once, together, in one stage_outbox row (a zlib-compressed JSON array, exactly as published),
 * and each consumed event's inbox row points at it. An inbox row is then a key and a pointer, and the
 * events' bytes reach PostgreSQL as one compressed parameter per transaction instead of one JSON text
 * per consumed event.
 *
 * Rows of the first inbox layout keep their events: each becomes an outbox row holding its JSON array
 * uncompressed (the reader tells the two apart by the first byte: '[' never starts a zlib stream).
 */
export function stageOutboxMigration(schema: string): new () => MigrationInterface {
  const inbox = `${quoteIdentifier(schema)}.stage_inbox`;
  const outbox = `${quoteIdentifier(schema)}.stage_outbox`;
  const begin = `${quoteIdentifier(schema)}.stage_begin`;
  return class CreateStageOutbox1764900000000 implements MigrationInterface {
    name = 'CreateStageOutbox1764900000000';

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`
        CREATE TABLE ${outbox} (
          id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          created_at timestamptz NOT NULL DEFAULT now(),
          events     bytea NOT NULL
        )`);
      // Pruned by age together with the inbox rows that point at it (see pruneInbox).
      await queryRunner.query(`CREATE INDEX stage_outbox_created_at_idx ON ${outbox} USING brin (created_at)`);
      await queryRunner.query(`ALTER TABLE ${inbox} ADD COLUMN outbox_id bigint`);
      await queryRunner.query(`ALTER TABLE ${outbox} ADD COLUMN legacy_group text, ADD COLUMN legacy_event uuid`);
      await queryRunner.query(`
        INSERT INTO ${outbox} (created_at, events, legacy_group, legacy_event)
        SELECT processed_at, convert_to(outgoing, 'UTF8'), consumer_group, event_id FROM ${inbox} WHERE outgoing IS NOT NULL`);
      await queryRunner.query(`
        UPDATE ${inbox} i SET outbox_id = o.id FROM ${outbox} o
        WHERE o.legacy_group = i.consumer_group AND o.legacy_event = i.event_id`);
      await queryRunner.query(`ALTER TABLE ${outbox} DROP COLUMN legacy_group, DROP COLUMN legacy_event`);
      await queryRunner.query(`DROP FUNCTION ${begin}(text, bigint[], uuid[])`);
      await queryRunner.query(`ALTER TABLE ${inbox} DROP COLUMN outgoing`);
      // As before, the start of every stage transaction in one round trip: take the leads' locks (in the
      // array's order), then read the inbox, after the locks are held. A seen event comes back as
      // (event_id, outbox_id or null); each outbox row they point at comes back once as (null, id, events).
      await queryRunner.query(`
        CREATE FUNCTION ${begin}(consumer text, lock_ids bigint[], event_ids uuid[])
        RETURNS TABLE (event_id uuid, outbox_id bigint, events bytea) LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
          PERFORM pg_advisory_xact_lock(id) FROM unnest(lock_ids) AS id;
          RETURN QUERY
            WITH seen AS (
              SELECT i.event_id, i.outbox_id FROM ${inbox} i WHERE i.consumer_group = consumer AND i.event_id = ANY(event_ids)
            )
            SELECT s.event_id, s.outbox_id, NULL::bytea FROM seen s
            UNION ALL
            SELECT NULL::uuid, o.id, o.events FROM ${outbox} o WHERE o.id IN (SELECT s.outbox_id FROM seen s);
        END
        $$`);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      // Rows of the first layout go back as they were. The first layout cannot hold compressed events: an
      // inbox row pointing at them is deleted, so its event, if redelivered, is decided again.
      await queryRunner.query(`DROP FUNCTION ${begin}(text, bigint[], uuid[])`);
      await queryRunner.query(`DELETE FROM ${inbox} i USING ${outbox} o WHERE o.id = i.outbox_id AND get_byte(o.events, 0) <> 91`);
      await queryRunner.query(`ALTER TABLE ${inbox} ADD COLUMN outgoing text`);
      await queryRunner.query(`
        UPDATE ${inbox} i SET outgoing = convert_from(o.events, 'UTF8') FROM ${outbox} o
        WHERE o.id = i.outbox_id AND get_byte(o.events, 0) = 91`);
      await queryRunner.query(`ALTER TABLE ${inbox} DROP COLUMN outbox_id`);
      await queryRunner.query(`DROP TABLE ${outbox}`);
      await queryRunner.query(`
        CREATE FUNCTION ${begin}(consumer text, lock_ids bigint[], event_ids uuid[])
        RETURNS TABLE (event_id uuid, outgoing text) LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
          PERFORM pg_advisory_xact_lock(id) FROM unnest(lock_ids) AS id;
          RETURN QUERY SELECT i.event_id, i.outgoing FROM ${inbox} i WHERE i.consumer_group = consumer AND i.event_id = ANY(event_ids);
        END
        $$`);
    }
  };
}
