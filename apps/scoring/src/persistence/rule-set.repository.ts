import type { ScoringRuleSet } from '@leadstream/domain-scoring';
import type { EntityManager } from 'typeorm';

/** A stored rule-set version as the API lists it. */
export interface RuleSetVersion {
  readonly version: string;
  readonly description: string | null;
  readonly createdAt: Date;
  /** Who stored it ('<key name> (<key id>)'); null for the initial set stored at start-up. */
  readonly createdBy: string | null;
  /** Its latest activation; null when it was never active. */
  readonly activatedAt: Date | null;
  readonly activatedBy: string | null;
  readonly active: boolean;
}

export type CreateOutcome =
  | { readonly kind: 'created'; readonly createdAt: Date }
  /** The version was there with the same body: nothing changed. */
  | { readonly kind: 'unchanged'; readonly stored: RuleSetVersion }
  /** The version was there with another body: versions are immutable. */
  | { readonly kind: 'conflict'; readonly stored: RuleSetVersion };

export type ActivateOutcome =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'activated' | 'unchanged'; readonly version: string; readonly activatedAt: Date; readonly previousVersion: string | null };

interface VersionRow {
  version: string;
  description: string | null;
  created_at: Date;
  created_by: string | null;
  activated_at: Date | null;
  activated_by: string | null;
  active: boolean;
}

const VERSION_COLUMNS = `r.version, r.description, r.created_at, r.created_by, r.activated_at, r.activated_by, (a.version IS NOT NULL) AS active`;
const VERSIONS = `scoring.rule_set r LEFT JOIN scoring.active_rule_set a ON a.version = r.version`;

/** The first row of a query that cannot come back empty (a foreign key or the statement before guarantees it). */
function first<T>(rows: readonly T[], what: string): T {
  const [row] = rows;
  if (row === undefined) throw new Error(`scoring rule sets: ${what} is missing`);
  return row;
}

function versionOf(row: VersionRow): RuleSetVersion {
  return {
    version: row.version,
    description: row.description,
    createdAt: row.created_at,
    createdBy: row.created_by,
    activatedAt: row.activated_at,
    activatedBy: row.activated_by,
    active: row.active,
  };
}

/**
 * scoring.rule_set (every version, its body as validated) and scoring.active_rule_set (one row: the
 * version the consumer scores with). Bodies are stored as validateRuleSet returned them, so two posts
 * of one set compare equal however their JSON was spelled (jsonb equality ignores key order).
 */
export const ruleSetRepository = {
  async create(manager: EntityManager, ruleSet: ScoringRuleSet, createdBy: string | null): Promise<CreateOutcome> {
    const body = JSON.stringify(ruleSet);
    const inserted: { created_at: Date }[] = await manager.query(
      `INSERT INTO scoring.rule_set (version, body, description, created_by) VALUES ($1, $2::jsonb, $3, $4)
       ON CONFLICT (version) DO NOTHING RETURNING created_at`,
      [ruleSet.version, body, ruleSet.description ?? null, createdBy],
    );
    if (inserted[0]) return { kind: 'created', createdAt: inserted[0].created_at };
    const rows: (VersionRow & { same: boolean })[] = await manager.query(
      `SELECT ${VERSION_COLUMNS}, r.body = $2::jsonb AS same FROM ${VERSIONS} WHERE r.version = $1`,
      [ruleSet.version, body],
    );
    const existing = first(rows, `rule set ${ruleSet.version}, which refused the insert as a duplicate,`);
    return { kind: existing.same ? 'unchanged' : 'conflict', stored: versionOf(existing) };
  },

  /** Every version, newest first. */
  async list(manager: EntityManager): Promise<RuleSetVersion[]> {
    const rows: VersionRow[] = await manager.query(`SELECT ${VERSION_COLUMNS} FROM ${VERSIONS} ORDER BY r.created_at DESC, r.version DESC`);
    return rows.map(versionOf);
  },

  async get(manager: EntityManager, version: string): Promise<(RuleSetVersion & { readonly body: unknown }) | undefined> {
    const [row]: (VersionRow & { body: unknown })[] = await manager.query(`SELECT ${VERSION_COLUMNS}, r.body FROM ${VERSIONS} WHERE r.version = $1`, [version]);
    return row && { ...versionOf(row), body: row.body };
  },

  /**
   * Makes `version` the active one. Run it in a transaction: the active row is locked first, so two
   * activations at once take turns and each reports the version it replaced.
   */
  async activate(transaction: EntityManager, version: string, activatedBy: string | null): Promise<ActivateOutcome> {
    const [target]: { version: string }[] = await transaction.query(`SELECT version FROM scoring.rule_set WHERE version = $1`, [version]);
    if (!target) return { kind: 'unknown' };
    // Locks the row alone (no join): a join would be re-checked against the replaced version's row after waiting.
    const [current]: { version: string }[] = await transaction.query(`SELECT version FROM scoring.active_rule_set FOR UPDATE`);
    if (current?.version === version) {
      const rows: { activated_at: Date }[] = await transaction.query(`SELECT activated_at FROM scoring.rule_set WHERE version = $1`, [version]);
      return { kind: 'unchanged', version, activatedAt: first(rows, `the activation time of ${version}`).activated_at, previousVersion: version };
    }
    await transaction.query(
      `INSERT INTO scoring.active_rule_set (singleton, version) VALUES (true, $1) ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version`,
      [version],
    );
    const rows: { activated_at: Date }[] = await transaction.query(
      // In a WITH: TypeORM answers a bare UPDATE with [rows, count] instead of the rows.
      `WITH activated AS (UPDATE scoring.rule_set SET activated_at = now(), activated_by = $2 WHERE version = $1 RETURNING activated_at)
       SELECT activated_at FROM activated`,
      [version, activatedBy],
    );
    return { kind: 'activated', version, activatedAt: first(rows, `rule set ${version}`).activated_at, previousVersion: current?.version ?? null };
  },

  /**
   * When no version is active (a new database), stores `ruleSet` and activates it. Replicas starting
   * together may all run this: ON CONFLICT makes every run after the first change nothing.
   */
  async storeInitial(transaction: EntityManager, ruleSet: ScoringRuleSet): Promise<{ readonly stored: boolean; readonly activeVersion: string }> {
    const [present]: { version: string }[] = await transaction.query(`SELECT version FROM scoring.active_rule_set`);
    if (present) return { stored: false, activeVersion: present.version };
    const inserted: unknown[] = await transaction.query(
      `INSERT INTO scoring.rule_set (version, body, description) VALUES ($1, $2::jsonb, $3) ON CONFLICT (version) DO NOTHING RETURNING version`,
      [ruleSet.version, JSON.stringify(ruleSet), ruleSet.description ?? null],
    );
    const activated: unknown[] = await transaction.query(
      `INSERT INTO scoring.active_rule_set (singleton, version) VALUES (true, $1) ON CONFLICT (singleton) DO NOTHING RETURNING version`,
      [ruleSet.version],
    );
    if (activated.length > 0) {
      await transaction.query(`UPDATE scoring.rule_set SET activated_at = now() WHERE version = $1`, [ruleSet.version]);
      return { stored: inserted.length > 0, activeVersion: ruleSet.version };
    }
    // Another replica activated a set between our first read and our insert.
    const winner: { version: string }[] = await transaction.query(`SELECT version FROM scoring.active_rule_set`);
    return { stored: inserted.length > 0, activeVersion: first(winner, 'the active rule set').version };
  },

  /**
   * The active version, with its body only when it is not `knownVersion` (what the caller has parsed
   * already): one small query per call while the active version stays the same.
   */
  async active(manager: EntityManager, knownVersion: string | undefined): Promise<{ readonly version: string; readonly body: unknown } | undefined> {
    const [row]: { version: string; body: unknown }[] = await manager.query(
      `SELECT r.version, CASE WHEN r.version = $1::text THEN NULL ELSE r.body END AS body
       FROM scoring.active_rule_set a JOIN scoring.rule_set r ON r.version = a.version`,
      [knownVersion ?? null],
    );
    return row;
  },
};
