import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** An in-flight record older than this is taken to belong to a request whose process died. */
export const ABANDONED_AFTER_SECONDS = 120;
/** Stored answers are replayed for this long; afterwards the key may be used afresh. */
export const RETAINED_FOR_HOURS = 24;

export type BeginOutcome =
  | { kind: 'started' }
  | { kind: 'replay'; statusCode: number; body: unknown; location: string | null }
  /** The key was first used for another request; `firstRoute` (`POST /v1/leads`) is null for records made before routes were kept. */
  | { kind: 'conflict'; firstRoute: string | null }
  | { kind: 'in-flight' };

interface RecordRow {
  request_hash: Buffer;
  request_route: string | null;
  status_code: number | null;
  response_body: unknown;
  location: string | null;
}

/** ingestion.idempotency_record: the first answer to each (caller, Idempotency-Key). */
@Injectable()
export class IdempotencyStore implements OnModuleInit, OnApplicationShutdown {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.forgetExpired().catch(() => undefined), 10 * 60_000);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /**
   * Claims (owner, key) for this request, or says what the first request with that key answered.
   * Claiming and checking are one statement, so two concurrent requests cannot both start. `route` is
   * the method and path (`POST /v1/leads`), kept to name it when the key comes back on another route.
   */
  async begin(owner: string, key: string, requestHash: Buffer, route: string): Promise<BeginOutcome> {
    if (!this.dataSource.isInitialized) throw new Error('PostgreSQL is not connected yet');
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimed = (await this.dataSource.query(
        `INSERT INTO ingestion.idempotency_record AS r (owner, idempotency_key, request_hash, request_route) VALUES ($1, $2, $3, $4)
         ON CONFLICT (owner, idempotency_key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, request_route = EXCLUDED.request_route, status_code = NULL, response_body = NULL, location = NULL, created_at = now()
           WHERE (r.status_code IS NULL AND r.created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS}))
              OR r.created_at < now() - make_interval(hours => ${RETAINED_FOR_HOURS})
         RETURNING 1 AS claimed`,
        [owner, key, requestHash, route],
      )) as unknown[];
      if (claimed.length > 0) return { kind: 'started' };
      const rows = (await this.dataSource.query(
        `SELECT request_hash, request_route, status_code, response_body, location FROM ingestion.idempotency_record WHERE owner = $1 AND idempotency_key = $2`,
        [owner, key],
      )) as RecordRow[];
      const row = rows[0];
      if (!row) continue; // the first request failed and let go of the key in between: claim it again
      if (!Buffer.from(row.request_hash).equals(requestHash)) return { kind: 'conflict', firstRoute: row.request_route };
      if (row.status_code === null) return { kind: 'in-flight' };
      return { kind: 'replay', statusCode: row.status_code, body: row.response_body, location: row.location };
    }
    return { kind: 'in-flight' };
  }

  async complete(owner: string, key: string, statusCode: number, body: unknown, location: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE ingestion.idempotency_record SET status_code = $3, response_body = $4::jsonb, location = $5 WHERE owner = $1 AND idempotency_key = $2`,
      [owner, key, statusCode, JSON.stringify(body ?? null), location],
    );
  }

  /** The request failed in a way worth retrying (5xx): forget it so the retry runs afresh. */
  async release(owner: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM ingestion.idempotency_record WHERE owner = $1 AND idempotency_key = $2 AND status_code IS NULL`,
      [owner, key],
    );
  }

  private async forgetExpired(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    await this.dataSource.query(
      `DELETE FROM ingestion.idempotency_record WHERE created_at < now() - make_interval(hours => ${RETAINED_FOR_HOURS})`,
    );
  }
}
