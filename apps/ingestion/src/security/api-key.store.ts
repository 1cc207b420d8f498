import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { generateApiKey, hashApiKey, isApiKeyScope } from './api-key';
import type { ApiKeyScope } from './scopes.decorator';
import { SECURITY_CONFIG, type SecurityConfig } from './security-config';

/** A key as the guard sees it; never the secret. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

type Lookup = { found: false } | { found: true; key: ApiKeyRecord };

interface ApiKeyRow {
  id: string;
  name: string;
  scopes: string[];
  created_at: Date;
  revoked_at: Date | null;
}

/** Above this many cached lookups the cache starts over (it only saves round trips). */
const MAX_CACHED_LOOKUPS = 50_000;

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes.filter(isApiKeyScope),
    createdAt: new Date(row.created_at).toISOString(),
    revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
  };
}

/**
 * ingestion.api_key. Lookups by secret are cached in memory for `keyCacheMs` (default 30 s), found or
 * not, so the hot path does not ask PostgreSQL per request: a revoked key keeps working on other
 * ingestion replicas for up to that long (on the replica that revoked it, at once).
 */
@Injectable()
export class ApiKeyStore {
  private readonly cache = new Map<string, { lookup: Lookup; expiresAt: number }>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SECURITY_CONFIG) private readonly config: SecurityConfig,
  ) {}

  /** Throws when PostgreSQL cannot answer (the guard turns that into 503). */
  async findBySecret(secret: string, now = Date.now()): Promise<Lookup> {
    const hash = hashApiKey(secret);
    const cacheKey = hash.toString('base64');
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt > now) return cached.lookup;
    this.assertConnected();
    const rows = (await this.dataSource.query(
      `SELECT id, name, scopes, created_at, revoked_at FROM ingestion.api_key WHERE key_hash = $1`,
      [hash],
    )) as ApiKeyRow[];
    const lookup: Lookup = rows[0] ? { found: true, key: toRecord(rows[0]) } : { found: false };
    if (this.cache.size >= MAX_CACHED_LOOKUPS) this.cache.clear();
    this.cache.set(cacheKey, { lookup, expiresAt: now + this.config.keyCacheMs });
    return lookup;
  }

  /** A new key; the secret is returned here and never again. */
  async create(name: string, scopes: readonly ApiKeyScope[]): Promise<{ key: ApiKeyRecord; secret: string }> {
    this.assertConnected();
    const secret = generateApiKey();
    const rows = (await this.dataSource.query(
      `INSERT INTO ingestion.api_key (id, name, key_hash, scopes) VALUES ($1, $2, $3, $4::text[])
       RETURNING id, name, scopes, created_at, revoked_at`,
      [randomUUID(), name, hashApiKey(secret), [...new Set(scopes)]],
    )) as ApiKeyRow[];
    const row = rows[0];
    if (!row) throw new Error('the new API key was not stored');
    return { key: toRecord(row), secret };
  }

  async list(): Promise<ApiKeyRecord[]> {
    this.assertConnected();
    const rows = (await this.dataSource.query(
      `SELECT id, name, scopes, created_at, revoked_at FROM ingestion.api_key ORDER BY created_at, id`,
    )) as ApiKeyRow[];
    return rows.map(toRecord);
  }

  /** Revokes the key (keeps its row, for the record); undefined when there is no such key. */
  async revoke(id: string): Promise<ApiKeyRecord | undefined> {
    this.assertConnected();
    const rows = (await this.dataSource.query(
      `UPDATE ingestion.api_key SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1
       RETURNING id, name, scopes, created_at, revoked_at`,
      [id],
    )) as [ApiKeyRow[], number];
    const row = rows[0]?.[0];
    if (!row) return undefined;
    // This replica stops accepting it at once; others within keyCacheMs.
    for (const [cacheKey, entry] of this.cache) if (entry.lookup.found && entry.lookup.key.id === id) this.cache.delete(cacheKey);
    return toRecord(row);
  }

  /**
   * Makes sure `secret` is an admin key named 'bootstrap' (idempotent: a second start with the same
   * secret changes nothing; an earlier revocation of it is left as it is).
   */
  async ensureBootstrapKey(secret: string): Promise<void> {
    this.assertConnected();
    await this.dataSource.query(
      `INSERT INTO ingestion.api_key (id, name, key_hash, scopes) VALUES ($1, 'bootstrap', $2, ARRAY['admin']::text[])
       ON CONFLICT (key_hash) DO NOTHING`,
      [randomUUID(), hashApiKey(secret)],
    );
    this.cache.delete(hashApiKey(secret).toString('base64'));
  }

  private assertConnected(): void {
    if (!this.dataSource.isInitialized) throw new DatabaseUnavailableError('PostgreSQL is not connected yet');
  }
}

export class DatabaseUnavailableError extends Error {}
