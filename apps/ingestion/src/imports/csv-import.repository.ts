import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CsvEncoding } from '@leadstream/domain-intake';

export type ImportStatus = 'running' | 'completed' | 'failed';

export interface CsvImportRecord {
  readonly id: string;
  readonly status: ImportStatus;
  readonly filePath: string;
  readonly originalName: string | null;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
  readonly rowsRead: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly bytesTotal: number;
  readonly bytesDone: number;
  readonly committedLine: number;
  readonly note: string | null;
  readonly error: string | null;
  readonly encoding: CsvEncoding;
  readonly encodingSource: 'charset' | 'detected';
  /** Null until the import read the header (and detected it). */
  readonly delimiter: string | null;
}

/** Counters of an import as of its last committed chunk. */
export interface ImportProgress {
  readonly rowsRead: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly bytesDone: number;
  readonly committedLine: number;
}

export interface RejectedRow {
  readonly line: number;
  readonly reason: string;
  readonly raw: string | null;
}

interface ImportRow {
  id: string;
  status: ImportStatus;
  file_path: string;
  original_name: string | null;
  created_at: Date;
  finished_at: Date | null;
  rows_read: string;
  accepted: string;
  rejected: string;
  bytes_total: string;
  bytes_done: string;
  committed_line: string;
  note: string | null;
  error: string | null;
  encoding: CsvEncoding;
  encoding_source: 'charset' | 'detected';
  delimiter: string | null;
}

function toRecord(row: ImportRow): CsvImportRecord {
  return {
    id: row.id,
    status: row.status,
    filePath: row.file_path,
    originalName: row.original_name,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    rowsRead: Number(row.rows_read),
    accepted: Number(row.accepted),
    rejected: Number(row.rejected),
    bytesTotal: Number(row.bytes_total),
    bytesDone: Number(row.bytes_done),
    committedLine: Number(row.committed_line),
    note: row.note,
    error: row.error,
    encoding: row.encoding,
    encodingSource: row.encoding_source,
    delimiter: row.delimiter,
  };
}


// Rejected rows go in multi-row INSERTs of at most this many rows (4 parameters each, well under 65,535).
const REJECTED_ROWS_PER_INSERT = 1_000;

/** ingestion.csv_import and ingestion.csv_rejected_row, in plain SQL. */
@Injectable()
export class CsvImportRepository {
  constructor(private readonly dataSource: DataSource) {}

  isConnected(): boolean {
    return this.dataSource.isInitialized;
  }

  async create(args: {
    id: string;
    filePath: string;
    originalName?: string;
    apiKeyOwner?: string;
    bytesTotal: number;
    encoding?: CsvEncoding;
    encodingSource?: 'charset' | 'detected';
  }): Promise<CsvImportRecord> {
    const rows = (await this.dataSource.query(
      `INSERT INTO ingestion.csv_import (id, status, file_path, original_name, api_key_owner, bytes_total, encoding, encoding_source)
       VALUES ($1, 'running', $2, $3, $4, $5, $6, $7) RETURNING *`,
      [args.id, args.filePath, args.originalName ?? null, args.apiKeyOwner ?? null, args.bytesTotal, args.encoding ?? 'utf-8', args.encodingSource ?? 'detected'],
    )) as ImportRow[];
    return toRecord(rows[0] as ImportRow);
  }

  async find(id: string): Promise<CsvImportRecord | undefined> {
    const rows = (await this.dataSource.query(`SELECT * FROM ingestion.csv_import WHERE id = $1`, [id])) as ImportRow[];
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /**
   * Imports newest first, `limit` of them, after the import `afterId` (keyset paging on created_at, id;
   * the cursor is an import id, so the database's own timestamp precision is compared). Undefined when
   * `afterId` names no import.
   */
  async list(limit: number, afterId?: string): Promise<CsvImportRecord[] | undefined> {
    if (afterId === undefined) {
      const rows = (await this.dataSource.query(`SELECT * FROM ingestion.csv_import ORDER BY created_at DESC, id DESC LIMIT $1`, [limit])) as ImportRow[];
      return rows.map(toRecord);
    }
    const rows = (await this.dataSource.query(
      `WITH after AS (SELECT created_at, id FROM ingestion.csv_import WHERE id = $2)
       SELECT i.*, true AS cursor_found FROM after
         LEFT JOIN LATERAL (
           SELECT * FROM ingestion.csv_import i WHERE (i.created_at, i.id) < (after.created_at, after.id)
           ORDER BY i.created_at DESC, i.id DESC LIMIT $1
         ) i ON true`,
      [limit, afterId],
    )) as (ImportRow & { cursor_found: boolean })[];
    if (rows.length === 0) return undefined;
    return rows.filter((row) => row.id !== null).map(toRecord);
  }

  /** Records the delimiter the import detected from the header (the same on every run of the import). */
  async recordDelimiter(id: string, delimiter: string): Promise<void> {
    await this.dataSource.query(`UPDATE ingestion.csv_import SET delimiter = $2 WHERE id = $1 AND delimiter IS DISTINCT FROM $2`, [id, delimiter]);
  }

  async running(): Promise<CsvImportRecord[]> {
    const rows = (await this.dataSource.query(`SELECT * FROM ingestion.csv_import WHERE status = 'running' ORDER BY created_at`)) as ImportRow[];
    return rows.map(toRecord);
  }

  /**
   * Records one chunk whose events Kafka acknowledged: its rejected rows and the new counters, in one
   * transaction, so committed_line and the rejected rows never disagree. Re-running a chunk after a crash
   * inserts its rejected rows again: ON CONFLICT keeps the first copy. committed_line only moves forward:
   * a replica that lost its lock while a chunk was in flight may still record it after the replica that
   * took over went further, and must not move the import back (the counters at a line are the same
   * whoever processed it, since every row is counted the same way).
   */
  async commitChunk(id: string, progress: ImportProgress, rejectedRows: readonly RejectedRow[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (let start = 0; start < rejectedRows.length; start += REJECTED_ROWS_PER_INSERT) {
        const slice = rejectedRows.slice(start, start + REJECTED_ROWS_PER_INSERT);
        const values: unknown[] = [];
        const tuples = slice.map((row, index) => {
          values.push(id, row.line, row.reason, row.raw);
          const base = index * 4;
          return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4})`;
        });
        await manager.query(
          `INSERT INTO ingestion.csv_rejected_row (import_id, line, reason, raw) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`,
          values,
        );
      }
      await manager.query(
        `UPDATE ingestion.csv_import
            SET rows_read = $2, accepted = $3, rejected = $4, bytes_done = $5, committed_line = $6
          WHERE id = $1 AND status = 'running' AND committed_line < $6`,
        [id, progress.rowsRead, progress.accepted, progress.rejected, progress.bytesDone, progress.committedLine],
      );
    });
  }

  async finish(id: string, outcome: { status: 'completed' | 'failed'; note?: string; error?: string; bytesDone?: number }): Promise<void> {
    await this.dataSource.query(
      `UPDATE ingestion.csv_import
          SET status = $2, note = $3, error = $4, finished_at = now(), bytes_done = COALESCE($5, bytes_done)
        WHERE id = $1 AND status = 'running'`,
      [id, outcome.status, outcome.note ?? null, outcome.error ?? null, outcome.bytesDone ?? null],
    );
  }

  /** Rejected rows after `afterLine`, in line order, at most `limit` of them (keyset paging). */
  async rejectedRows(id: string, afterLine: number, limit: number): Promise<RejectedRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT line, reason, raw FROM ingestion.csv_rejected_row WHERE import_id = $1 AND line > $2 ORDER BY line LIMIT $3`,
      [id, afterLine, limit],
    )) as { line: string; reason: string; raw: string | null }[];
    return rows.map((row) => ({ line: Number(row.line), reason: row.reason, raw: row.raw }));
  }
}
