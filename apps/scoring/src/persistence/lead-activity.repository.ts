import { LEADSTREAM_NAMESPACE, uuidV5, type ActivityKind, type EnrichedLead } from '@leadstream/contracts';
import type { ScoredActivity } from '@leadstream/domain-scoring';
import type { EntityManager } from 'typeorm';

/** An address as scoring compares it: trimmed and lower-cased (as ingestion sends it on activities). */
export function normalEmail(email: string | undefined | null): string | undefined {
  const normal = email?.trim().toLowerCase();
  return normal ? normal : undefined;
}

/**
 * The lock key of an email address: the name-based id ingestion gives an activity that names its lead
 * by email (its provisional lead id), so an activity by email and a lead event whose record has that
 * address lock the same key whichever stage takes it.
 */
export function emailLockKey(email: string): string {
  return uuidV5(`email:${email.trim().toLowerCase()}`, LEADSTREAM_NAMESPACE);
}

/** One lead as scoring knows it: the cluster it belongs to and, for a survivor, the surviving record. */
export interface LeadRow {
  readonly leadId: string;
  /** Its surviving lead (itself for a survivor). */
  readonly clusterId: string;
  /** Its own address (normalEmail); undefined keeps the address known before. */
  readonly email?: string;
  /** The surviving record for a survivor, null for a lead merged into another. */
  readonly record: EnrichedLead | null;
}

export interface KnownLead {
  readonly leadId: string;
  readonly clusterId: string;
  readonly email: string | null;
}

export interface ActivityRow {
  readonly activityId: string;
  /** The lead it is attributed to; null while pending (named by an email no lead has yet). */
  readonly leadId: string | null;
  readonly email: string | null;
  readonly kind: ActivityKind;
  readonly at: string;
  readonly url: string | null;
}

/** scoring.lead and scoring.activity, read and written inside a stage transaction. */
export const leadActivityRepository = {
  /** Upserts leads (the last row of a lead wins; an address once known is kept unless replaced). */
  async storeLeads(transaction: EntityManager, leads: readonly LeadRow[]): Promise<void> {
    const byId = new Map<string, LeadRow>();
    for (const lead of leads) {
      const before = byId.get(lead.leadId);
      byId.set(lead.leadId, lead.email === undefined && before?.email !== undefined ? { ...lead, email: before.email } : lead);
    }
    const rows = [...byId.values()];
    if (rows.length === 0) return;
    await transaction.query(
      `INSERT INTO scoring.lead (lead_id, cluster_id, email, record)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[])
       ON CONFLICT (lead_id) DO UPDATE SET cluster_id = EXCLUDED.cluster_id, email = COALESCE(EXCLUDED.email, scoring.lead.email),
         record = EXCLUDED.record, updated_at = now()`,
      [rows.map((r) => r.leadId), rows.map((r) => r.clusterId), rows.map((r) => r.email ?? null), rows.map((r) => (r.record === null ? null : JSON.stringify(r.record)))],
    );
  },

  /** Attributes the pending activities of each address to the lead that now has it; how many were attached. */
  async attachPending(transaction: EntityManager, leadByEmail: ReadonlyMap<string, string>): Promise<number> {
    if (leadByEmail.size === 0) return 0;
    const [, count]: [unknown, number] = await transaction.query(
      `UPDATE scoring.activity AS a SET lead_id = p.lead_id
       FROM unnest($1::text[], $2::uuid[]) AS p(email, lead_id)
       WHERE a.lead_id IS NULL AND a.email = p.email`,
      [[...leadByEmail.keys()], [...leadByEmail.values()]],
    );
    return count;
  },

  /** The leads with these ids or these addresses. */
  async findLeads(transaction: EntityManager, leadIds: readonly string[], emails: readonly string[]): Promise<KnownLead[]> {
    if (leadIds.length === 0 && emails.length === 0) return [];
    const rows: { lead_id: string; cluster_id: string; email: string | null }[] = await transaction.query(
      `SELECT lead_id, cluster_id, email FROM scoring.lead WHERE lead_id = ANY($1::uuid[])
       UNION SELECT lead_id, cluster_id, email FROM scoring.lead WHERE email = ANY($2::text[])`,
      [leadIds, emails],
    );
    return rows.map((row) => ({ leadId: row.lead_id, clusterId: row.cluster_id, email: row.email }));
  },

  /** The surviving records of these survivors (leads without one are absent). */
  async loadRecords(transaction: EntityManager, survivorIds: readonly string[]): Promise<Map<string, EnrichedLead>> {
    if (survivorIds.length === 0) return new Map();
    const rows: { lead_id: string; record: EnrichedLead }[] = await transaction.query(
      `SELECT lead_id, record FROM scoring.lead WHERE lead_id = ANY($1::uuid[]) AND lead_id = cluster_id AND record IS NOT NULL`,
      [survivorIds],
    );
    return new Map(rows.map((row) => [row.lead_id, row.record]));
  },

  /** The activities of every lead of each cluster (by its surviving lead), in one query. */
  async loadClusterActivities(transaction: EntityManager, clusterIds: readonly string[]): Promise<Map<string, ScoredActivity[]>> {
    const byCluster = new Map<string, ScoredActivity[]>(clusterIds.map((id) => [id, []]));
    if (clusterIds.length === 0) return byCluster;
    const rows: { cluster_id: string; activity_id: string; kind: ActivityKind; at: Date; url: string | null }[] = await transaction.query(
      `SELECT l.cluster_id, a.activity_id, a.kind, a.at, a.url
       FROM scoring.lead l JOIN scoring.activity a ON a.lead_id = l.lead_id
       WHERE l.cluster_id = ANY($1::uuid[])`,
      [[...byCluster.keys()]],
    );
    for (const row of rows) {
      byCluster.get(row.cluster_id)?.push({ activityId: row.activity_id, kind: row.kind, at: row.at.toISOString(), ...(row.url === null ? {} : { url: row.url }) });
    }
    return byCluster;
  },

  /** Stores activities once each (the event id is the key); the ids of those stored now. */
  async storeActivities(transaction: EntityManager, activities: readonly ActivityRow[]): Promise<Set<string>> {
    if (activities.length === 0) return new Set();
    const rows: { activity_id: string }[] = await transaction.query(
      `INSERT INTO scoring.activity (activity_id, lead_id, email, kind, at, url)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::text[])
       ON CONFLICT (activity_id) DO NOTHING RETURNING activity_id`,
      [
        activities.map((a) => a.activityId),
        activities.map((a) => a.leadId),
        activities.map((a) => a.email),
        activities.map((a) => a.kind),
        activities.map((a) => a.at),
        activities.map((a) => a.url),
      ],
    );
    return new Set(rows.map((row) => row.activity_id));
  },
};
