import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  ACCESS_CONFIG,
  ApiKeyVerdictCache,
  hashApiKey,
  isApiKeyScope,
  KeyStoreUnavailableError,
  verdictFor,
  type AccessConfig,
  type ApiKeyRecord,
  type ApiKeyScope,
  type ApiKeyVerdict,
  type ApiKeyVerifier,
} from '@leadstream/platform-access';
import { generateApiKey } from './api-key';

interface ApiKeyRow {
  id: string;
  name: string;
  scopes: string[];
  created_at: Date;
  revoked_at: Date | null;
}

/** What ingestion found for the bootstrap admin key at start-up. */
export type BootstrapKeyState =
  | { readonly kind: 'stored' }
  | { readonly kind: 'in-place'; readonly key: ApiKeyRecord }
  | { readonly kind: 'revoked'; readonly key: ApiKeyRecord; readonly revokedAt: string };

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
 * ingestion.api_key, the one table of API keys of the platform (the other services ask ingestion,
 * docs/adr/0011-api-keys-on-every-service.md). Verdicts by secret are cached in memory for
 * `keyCacheMs` (default 30 s), found or not, so the hot path does not ask PostgreSQL per request: a
 * revoked key keeps working on other ingestion replicas for up to that long (on the replica that
 * revoked it, at once).
 */
@Injectable()
export class ApiKeyStore implements ApiKeyVerifier {
  private readonly cache: ApiKeyVerdictCache;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ACCESS_CONFIG) config: AccessConfig,
  ) {
    this.cache = new ApiKeyVerdictCache(config.keyCacheMs);
  }

  /** Throws KeyStoreUnavailableError when PostgreSQL cannot answer (the guard turns that into 503). */
  verify(secret: string, options: { readonly fresh?: boolean } = {}): Promise<ApiKeyVerdict> {
    return this.cache.verify(secret, options, async (hash) => {
      this.assertConnected();
      let rows: ApiKeyRow[];
      try {
        rows = (await this.dataSource.query(`SELECT id, name, scopes, created_at, revoked_at FROM ingestion.api_key WHERE key_hash = $1`, [hash])) as ApiKeyRow[];
      } catch (error) {
        throw new KeyStoreUnavailableError(`PostgreSQL did not answer: ${error instanceof Error ? error.message : String(error)}`);
      }
      return verdictFor(rows[0] ? toRecord(rows[0]) : undefined);
    });
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
    this.cache.forgetKey(id);
    return toRecord(row);
  }

  /**
   * Makes sure `secret` is an admin key named 'bootstrap' (idempotent: a second start with the same
   * secret changes nothing; an earlier revocation of it is left as it is, and reported).
   */
  async ensureBootstrapKey(secret: string): Promise<BootstrapKeyState> {
    this.assertConnected();
    const hash = hashApiKey(secret);
    const inserted = (await this.dataSource.query(
      `INSERT INTO ingestion.api_key (id, name, key_hash, scopes) VALUES ($1, 'bootstrap', $2, ARRAY['admin']::text[])
       ON CONFLICT (key_hash) DO NOTHING
       RETURNING id`,
      [randomUUID(), hash],
    )) as unknown[];
    this.cache.forgetHash(hash);
    if (inserted.length > 0) return { kind: 'stored' };
    const key = await this.find(secret);
    if (!key) throw new Error('the bootstrap admin key was neither stored nor found');
    return key.revokedAt === null ? { kind: 'in-place', key } : { kind: 'revoked', key, revokedAt: key.revokedAt };
  }

  /** The key whose secret this is, revoked or not; undefined when there is none. Not cached. */
  async find(secret: string): Promise<ApiKeyRecord | undefined> {
    this.assertConnected();
    const rows = (await this.dataSource.query(`SELECT id, name, scopes, created_at, revoked_at FROM ingestion.api_key WHERE key_hash = $1`, [hashApiKey(secret)])) as ApiKeyRow[];
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  private assertConnected(): void {
    if (!this.dataSource.isInitialized) throw new KeyStoreUnavailableError('PostgreSQL is not connected yet');
  }
}
