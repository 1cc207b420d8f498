import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * From "one master per mailbox" to clusters of leads found by exact and fuzzy keys (issue 12):
 * - lead_record: every lead dedupe has resolved, with its own fields and the cluster it belongs to
 *   (cluster_id = the cluster's surviving lead; a lead that survives has cluster_id = lead_id);
 * - lead_key: the exact and blocking keys each lead can be found under, as the first 64 bits of the key's
 *   MD5 (keyHashOf): an index of eight-byte integers takes a batch's thousands of keys far faster than one
 *   of their text, and a collision only brings one more candidate for the matcher to turn down;
 * - review_pair: pairs scored between the two thresholds (pending), and pairs a person merged or
 *   dismissed (a dismissed pair is never proposed or joined again);
 * - merge_decision: every merge and unmerge, with the rules version, the score and the features;
 * - request_outcome: what became of each merge or unmerge request the HTTP API published.
 * The leads of lead_identity are carried over with what dedupe knew of them: their mailbox.
 */
export class LeadClusters1765100000000 implements MigrationInterface {
  name = 'LeadClusters1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE dedupe.lead_record (
        lead_id     uuid PRIMARY KEY,
        cluster_id  uuid NOT NULL,
        lead        json NOT NULL,
        received_at timestamptz NOT NULL,
        -- Arrival order, for leads that arrived at the same instant (one batch): inserted in batch order.
        arrival     bigserial NOT NULL,
        account_id  uuid
      )`);
    await queryRunner.query(`CREATE INDEX lead_record_cluster_idx ON dedupe.lead_record (cluster_id)`);
    // account_id is kept with the record but nothing in dedupe looks leads up by it (analytics serves the
    // leads of an account), so it has no index: one index fewer to write for every lead.
    await queryRunner.query(`
      CREATE TABLE dedupe.lead_key (
        key_hash bigint NOT NULL,
        lead_id  uuid NOT NULL,
        PRIMARY KEY (key_hash, lead_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE dedupe.review_pair (
        pair_id      uuid PRIMARY KEY,
        lead_a       uuid NOT NULL,
        lead_b       uuid NOT NULL,
        score        real NOT NULL,
        features     json NOT NULL,
        rule_version text NOT NULL,
        status       text NOT NULL CHECK (status IN ('pending', 'merged', 'dismissed')),
        created_at   timestamptz NOT NULL,
        decided_at   timestamptz,
        decided_by   text,
        CHECK (lead_a < lead_b),
        UNIQUE (lead_a, lead_b)
      )`);
    await queryRunner.query(`CREATE INDEX review_pair_pending_idx ON dedupe.review_pair (created_at, pair_id) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX review_pair_lead_b_idx ON dedupe.review_pair (lead_b)`);
    await queryRunner.query(`
      CREATE TABLE dedupe.merge_decision (
        decision_id    uuid PRIMARY KEY,
        kind           text NOT NULL CHECK (kind IN ('auto', 'review', 'manual', 'unmerge')),
        cluster_id     uuid NOT NULL,
        lead_ids       uuid[] NOT NULL,
        rule_version   text NOT NULL,
        score          real,
        features       json,
        requested_by   text,
        cause_event_id uuid NOT NULL,
        decided_at     timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX merge_decision_leads_idx ON dedupe.merge_decision USING gin (lead_ids)`);
    await queryRunner.query(`
      CREATE TABLE dedupe.request_outcome (
        request_event_id uuid PRIMARY KEY,
        status           text NOT NULL CHECK (status IN ('done', 'refused')),
        detail           jsonb NOT NULL,
        decided_at       timestamptz NOT NULL
      )`);
    // What each lead.enriched was resolved as, and why (the explanation of a merge).
    await queryRunner.query(`ALTER TABLE dedupe.resolution ADD COLUMN rule_version text, ADD COLUMN score real, ADD COLUMN features json`);
    await queryRunner.query(`CREATE INDEX resolution_lead_idx ON dedupe.resolution (lead_id)`);
    // Read by lead now (GET /v1/leads/:id/resolution); nothing looks resolutions up by master any more.
    await queryRunner.query(`DROP INDEX dedupe.resolution_master_idx`);
    await queryRunner.query(`
      INSERT INTO dedupe.lead_record (lead_id, cluster_id, lead, received_at)
      SELECT r.lead_id, r.master_lead_id,
             json_build_object('email', i.match_key, 'emailDomain', split_part(i.match_key, '@', 2), 'isFreeEmail', false),
             r.resolved_at
        FROM dedupe.resolution r JOIN dedupe.lead_identity i ON i.master_lead_id = r.master_lead_id
       ORDER BY r.resolved_at, r.lead_id
      ON CONFLICT (lead_id) DO NOTHING`);
    await queryRunner.query(`
      INSERT INTO dedupe.lead_key (key_hash, lead_id)
      SELECT ('x' || substr(md5('email:' || i.match_key), 1, 16))::bit(64)::bigint, r.lead_id FROM dedupe.resolution r JOIN dedupe.lead_identity i ON i.master_lead_id = r.master_lead_id
      ON CONFLICT DO NOTHING`);
    await queryRunner.query(`DROP TABLE dedupe.lead_identity`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE dedupe.lead_identity (
        match_key      text PRIMARY KEY,
        master_lead_id uuid NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    // The mailbox of each cluster's leads, as the first version kept it (keys are hashed now; the email is in the record).
    await queryRunner.query(`
      INSERT INTO dedupe.lead_identity (match_key, master_lead_id)
      SELECT lower(r.lead->>'email'), min(r.cluster_id::text)::uuid FROM dedupe.lead_record r GROUP BY lower(r.lead->>'email')`);
    await queryRunner.query(`DROP INDEX dedupe.resolution_lead_idx`);
    await queryRunner.query(`CREATE INDEX resolution_master_idx ON dedupe.resolution (master_lead_id)`);
    await queryRunner.query(`ALTER TABLE dedupe.resolution DROP COLUMN rule_version, DROP COLUMN score, DROP COLUMN features`);
    for (const table of ['request_outcome', 'merge_decision', 'review_pair', 'lead_key', 'lead_record']) await queryRunner.query(`DROP TABLE dedupe.${table}`);
  }
}
