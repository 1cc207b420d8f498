import type { MigrationInterface, QueryRunner } from 'typeorm';
import { quoteIdentifier } from '@leadstream/platform-persistence';
import { stageOutboxMigration } from './stage-outbox.migration';

/** The stage tables of a service's schema, in order: the inbox, then the outbox it points at. */
export function stageMigrations(schema: string): (new () => MigrationInterface)[] {
  return [stageInboxMigration(schema), stageOutboxMigration(schema)];
}

/**
 * The stage inbox in a service's own schema: one row per consumed event and consumer group, holding (first
 * layout) the events its processing produced, so a redelivery republishes them instead of deciding
 * again; stageOutboxMigration moves those events into the outbox. Pruned by processed_at (see InboxPruner).
 */
export function stageInboxMigration(schema: string): new () => MigrationInterface {
  const table = `${quoteIdentifier(schema)}.stage_inbox`;
  const begin = `${quoteIdentifier(schema)}.stage_begin`;
  return class CreateStageInbox1764800000000 implements MigrationInterface {
    name = 'CreateStageInbox1764800000000';

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`
        CREATE TABLE ${table} (
          consumer_group text NOT NULL,
          event_id       uuid NOT NULL,
          processed_at   timestamptz NOT NULL DEFAULT now(),
          outgoing       text,
          PRIMARY KEY (consumer_group, event_id)
        )`);
      // Rows arrive in processed_at order, so a BRIN index finds the old ones for pruning at almost no
      // cost per insert (a btree would add a second index write to every consumed event).
      await queryRunner.query(`CREATE INDEX stage_inbox_processed_at_idx ON ${table} USING brin (processed_at)`);
      // The start of every stage transaction in one round trip: take the leads' locks (in array order,
      // given), then read the inbox. VOLATILE, so the read takes its snapshot after the locks are held
      // and sees what the transaction that held them committed.
      await queryRunner.query(`
        CREATE FUNCTION ${begin}(consumer text, lock_ids bigint[], event_ids uuid[])
        RETURNS TABLE (event_id uuid, outgoing text) LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
          PERFORM pg_advisory_xact_lock(id) FROM unnest(lock_ids) AS id;
          RETURN QUERY SELECT i.event_id, i.outgoing FROM ${table} i WHERE i.consumer_group = consumer AND i.event_id = ANY(event_ids);
        END
        $$`);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP FUNCTION ${begin}(text, bigint[], uuid[])`);
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  };
}
