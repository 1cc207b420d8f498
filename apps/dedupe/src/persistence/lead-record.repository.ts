import type { EnrichedLead, MatchFeature } from '@leadstream/contracts';
import { TransientError } from '@leadstream/platform-kafka';
import type { EntityManager } from 'typeorm';

/** A lead dedupe has resolved: its own fields, the cluster it belongs to (the surviving lead's id), when it arrived. */
export interface KnownLead {
  readonly leadId: string;
  readonly clusterId: string;
  readonly lead: EnrichedLead;
  /** occurredAt of its lead.enriched: the oldest lead of a cluster survives. */
  readonly receivedAt: string;
  /** Arrival order among leads of the same instant; undefined for a lead not stored yet (it arrived after every stored one). */
  readonly arrival?: bigint;
}

interface RecordRow {
  lead_id: string;
  cluster_id: string;
  lead: EnrichedLead;
  received_at: Date;
  arrival: string;
}

const RECORD_COLUMNS = 'lead_id, cluster_id, lead, received_at, arrival';

const toKnown = (row: RecordRow): KnownLead => ({
  leadId: row.lead_id,
  clusterId: row.cluster_id,
  lead: row.lead,
  receivedAt: row.received_at.toISOString(),
  arrival: BigInt(row.arrival),
});

/**
 * A parameter for `$n::uuid[]` or `$n::bigint[]`: uuids and integers need no quoting in an array literal,
 * so it is built in one join rather than element by element with escaping (pg's default).
 */
const uuidOrBigintArray = (values: readonly string[]): string => `{${values.join(',')}}`;

/** How many times a transaction follows clusters that other transactions merged while it was locking them. */
const MAX_LOCK_ROUNDS = 20;

export interface NewRecord {
  readonly leadId: string;
  readonly clusterId: string;
  readonly lead: EnrichedLead;
  readonly receivedAt: string;
  readonly accountId: string | undefined;
  /** keyHashesOf(lead). */
  readonly keyHashes: readonly string[];
  /** A lead stored before whose fields were replaced: its keys are replaced too. */
  readonly replacing: boolean;
}

export interface MergeDecisionRow {
  readonly decisionId: string;
  readonly kind: 'auto' | 'review' | 'manual' | 'unmerge';
  readonly clusterId: string;
  readonly leadIds: readonly string[];
  readonly ruleVersion: string;
  readonly score?: number;
  readonly features?: readonly MatchFeature[];
  readonly requestedBy?: string;
  readonly causeEventId: string;
  readonly decidedAt: string;
}

/**
 * dedupe.lead_record and dedupe.lead_key, in the stage transaction. Every writer that changes a cluster's
 * membership (a lead joining it, two clusters joined, a lead split off) first locks the surviving lead's
 * row (`lockClusters`), so two transactions locked on different match keys still change one cluster one
 * after the other.
 */
export const leadRecordRepository = {
  /**
   * The leads found under each key hash (at most `perKey` per key), and the clusters they belong to, locked:
   * one statement finds the candidates and locks their surviving leads' rows in ascending order. Call
   * `lockedMembersOf` next, in a statement of its own: only a snapshot taken after the locks sees every
   * change committed by the transactions this one waited for.
   */
  async findByKeysAndLock(transaction: EntityManager, keyHashes: readonly string[], perKey: number): Promise<{ byKey: Map<string, string[]>; locked: Set<string> }> {
    const byKey = new Map<string, string[]>();
    const locked = new Set<string>();
    if (keyHashes.length === 0) return { byKey, locked };
    const rows: { key_hash: string | null; lead_id: string }[] = await transaction.query(
      `WITH found AS (
         SELECT q.key_hash, f.lead_id
           FROM unnest($1::bigint[]) AS q(key_hash)
           CROSS JOIN LATERAL (SELECT k.lead_id FROM dedupe.lead_key k WHERE k.key_hash = q.key_hash LIMIT $2) f),
       locked AS (
         SELECT s.lead_id FROM dedupe.lead_record s
          WHERE s.lead_id IN (SELECT r.cluster_id FROM dedupe.lead_record r WHERE r.lead_id IN (SELECT lead_id FROM found))
          ORDER BY s.lead_id FOR UPDATE)
       SELECT key_hash, lead_id FROM found
       UNION ALL
       SELECT NULL, lead_id FROM locked`,
      [uuidOrBigintArray(keyHashes), perKey],
    );
    for (const row of rows) {
      if (row.key_hash === null) {
        locked.add(row.lead_id);
        continue;
      }
      const found = byKey.get(row.key_hash);
      if (found) found.push(row.lead_id);
      else byKey.set(row.key_hash, [row.lead_id]);
    }
    return { byKey, locked };
  },

  /**
   * Every member of the clusters of `leadIds`, under the locks of those clusters (their surviving leads'
   * rows). `locked` holds the clusters this transaction has locked already, and gains the ones locked here.
   * Usually one statement: the members of the locked clusters, read with each lead's cluster as it stands
   * now. A lead whose cluster another transaction joined into another one meanwhile is followed to where it
   * went, which is locked in turn, and the members read again.
   */
  async lockedMembersOf(transaction: EntityManager, leadIds: readonly string[], locked: Set<string>): Promise<KnownLead[]> {
    if (leadIds.length === 0) return [];
    const wanted = uuidOrBigintArray(leadIds);
    for (let round = 0; round < MAX_LOCK_ROUNDS; round += 1) {
      const rows: (RecordRow & { wanted: boolean })[] = await transaction.query(
        `SELECT ${RECORD_COLUMNS}, lead_id = ANY($1::uuid[]) AS wanted FROM dedupe.lead_record WHERE cluster_id = ANY($2::uuid[]) OR lead_id = ANY($1::uuid[])`,
        [wanted, uuidOrBigintArray([...locked])],
      );
      const clusters = new Set<string>();
      const unlocked = new Set<string>();
      for (const row of rows) {
        if (!row.wanted) continue;
        clusters.add(row.cluster_id);
        if (!locked.has(row.cluster_id)) unlocked.add(row.cluster_id);
      }
      if (unlocked.size === 0) {
        // A locked cluster that none of the leads belongs to any more (one of them was split off) is not theirs.
        const members: KnownLead[] = [];
        for (const row of rows) if (clusters.has(row.cluster_id)) members.push(toKnown(row));
        return members;
      }
      const ids = [...unlocked].sort();
      await transaction.query(`SELECT count(*) FROM (SELECT lead_id FROM dedupe.lead_record WHERE lead_id = ANY($1::uuid[]) ORDER BY lead_id FOR UPDATE) locked`, [
        uuidOrBigintArray(ids),
      ]);
      for (const id of ids) locked.add(id);
    }
    throw new TransientError(`dedupe: the clusters of ${leadIds.length} lead(s) kept moving while this transaction locked them`);
  },

  async load(transaction: EntityManager, leadIds: readonly string[]): Promise<Map<string, KnownLead>> {
    if (leadIds.length === 0) return new Map();
    const rows: RecordRow[] = await transaction.query(`SELECT ${RECORD_COLUMNS} FROM dedupe.lead_record WHERE lead_id = ANY($1::uuid[])`, [leadIds]);
    return new Map(rows.map((row) => [row.lead_id, toKnown(row)]));
  },

  /**
   * Inserts new leads with their keys, or for a lead seen before replaces its fields and keys. New leads
   * are inserted in the order given (their arrival order).
   */
  async storeRecords(transaction: EntityManager, records: readonly NewRecord[]): Promise<void> {
    if (records.length === 0) return;
    const replacing = records.filter((record) => record.replacing);
    if (replacing.length > 0) {
      await transaction.query(`DELETE FROM dedupe.lead_key WHERE lead_id = ANY($1::uuid[]) AND NOT (key_hash = ANY($2::bigint[]))`, [
        uuidOrBigintArray(replacing.map((r) => r.leadId)),
        uuidOrBigintArray(replacing.flatMap((r) => r.keyHashes)),
      ]);
    }
    // The records as one JSON document (each lead's fields nested, so nothing is escaped twice), and each
    // key with the position of its record rather than a copy of its lead id.
    const rows: { lead_id: string; cluster_id: string; lead: EnrichedLead; received_at: string; account_id: string | null }[] = [];
    const keyHashes: string[] = [];
    const keyRecords: number[] = [];
    for (const record of records) {
      rows.push({ lead_id: record.leadId, cluster_id: record.clusterId, lead: record.lead, received_at: record.receivedAt, account_id: record.accountId ?? null });
      for (const keyHash of record.keyHashes) {
        keyHashes.push(keyHash);
        keyRecords.push(rows.length);
      }
    }
    await transaction.query(
      `WITH r AS (
         SELECT * FROM ROWS FROM (json_to_recordset($1::json) AS (lead_id uuid, cluster_id uuid, lead json, received_at timestamptz, account_id uuid))
           WITH ORDINALITY AS r(lead_id, cluster_id, lead, received_at, account_id, n)),
       stored AS (
         INSERT INTO dedupe.lead_record (lead_id, cluster_id, lead, received_at, account_id)
         SELECT lead_id, cluster_id, lead, received_at, account_id FROM r ORDER BY n
         ON CONFLICT (lead_id) DO UPDATE SET cluster_id = EXCLUDED.cluster_id, lead = EXCLUDED.lead, account_id = EXCLUDED.account_id)
       INSERT INTO dedupe.lead_key (key_hash, lead_id)
       SELECT k.key_hash, r.lead_id FROM unnest($2::bigint[], $3::int[]) AS k(key_hash, n) JOIN r USING (n)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows), uuidOrBigintArray(keyHashes), `{${keyRecords.join(',')}}`],
    );
  },

  /** Moves leads to another cluster (a join or a split). */
  async moveToCluster(transaction: EntityManager, moves: ReadonlyMap<string, string>): Promise<void> {
    if (moves.size === 0) return;
    await transaction.query(
      `UPDATE dedupe.lead_record r SET cluster_id = m.cluster_id FROM unnest($1::uuid[], $2::uuid[]) AS m(lead_id, cluster_id) WHERE r.lead_id = m.lead_id`,
      [[...moves.keys()], [...moves.values()]],
    );
  },

  async storeDecisions(transaction: EntityManager, rows: readonly MergeDecisionRow[]): Promise<void> {
    if (rows.length === 0) return;
    await transaction.query(
      `INSERT INTO dedupe.merge_decision (decision_id, kind, cluster_id, lead_ids, rule_version, score, features, requested_by, cause_event_id, decided_at)
       SELECT d.decision_id, d.kind, d.cluster_id, ARRAY(SELECT jsonb_array_elements_text(d.lead_ids)::uuid), d.rule_version, d.score, d.features,
              d.requested_by, d.cause_event_id, d.decided_at
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::jsonb[], $5::text[], $6::real[], $7::json[], $8::text[], $9::uuid[], $10::timestamptz[])
           AS d(decision_id, kind, cluster_id, lead_ids, rule_version, score, features, requested_by, cause_event_id, decided_at)`,
      [
        rows.map((r) => r.decisionId),
        rows.map((r) => r.kind),
        rows.map((r) => r.clusterId),
        rows.map((r) => JSON.stringify(r.leadIds)),
        rows.map((r) => r.ruleVersion),
        rows.map((r) => r.score ?? null),
        rows.map((r) => (r.features ? JSON.stringify(r.features) : null)),
        rows.map((r) => r.requestedBy ?? null),
        rows.map((r) => r.causeEventId),
        rows.map((r) => r.decidedAt),
      ],
    );
  },
};
