import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { LEADSTREAM_NAMESPACE, newEdgeEvent, uuidV5, type EventEnvelope, type Lane, type LeadReceived } from '@leadstream/contracts';
import { createCsvLeadReader, fieldErrorText, type CsvLeadOutcome, type FieldError, type IntakeRules } from '@leadstream/domain-intake';
import { backoffDelay, classifyError, EventPublisher, type OutgoingRecord } from '@leadstream/platform-kafka';
import { leadRejectedEvent } from '../rejections';
import { CsvImportLocks } from './csv-import.lock';
import { CsvImportRepository, type CsvImportRecord, type ImportProgress, type RejectedRow } from './csv-import.repository';
import { csvRecord } from './csv-text';
import { INTAKE_RULES } from '../leads/intake-rules.provider';
import { IMPORT_SETTINGS, type ImportSettings } from './import-settings';

/** The deterministic lead id of one CSV row: the same import and line always give the same lead. */
export function rowLeadId(importId: string, line: number): string {
  return uuidV5(`${importId}:${line}:lead`, LEADSTREAM_NAMESPACE);
}

/** The deterministic id of the event a CSV row gives (`lead.received` or `lead.rejected`). */
export function rowEventId(importId: string, line: number, type: 'lead.received' | 'lead.rejected'): string {
  return uuidV5(`${importId}:${line}:${type}`, LEADSTREAM_NAMESPACE);
}

/** The lead.rejected event of a CSV row, with the row's deterministic ids. */
function rowRejectedEvent(importId: string, line: number, reasons: readonly FieldError[], occurredAt: string, source?: string): EventEnvelope {
  const eventId = rowEventId(importId, line, 'lead.rejected');
  return leadRejectedEvent(reasons, { channel: 'csv', source, importId, line, eventId, leadId: rowLeadId(importId, line), occurredAt });
}

// A rejected row's text is kept for the rejected-rows report up to this many characters.
const MAX_RAW_CHARS = 65_536;
const READ_CHUNK_BYTES = 256 * 1024;
// A chunk is also cut when the rejected rows' text it holds passes this many characters, so a file of
// long rejected rows cannot make a chunk large.
const MAX_CHUNK_RAW_CHARS = 4 * 1024 * 1024;
const RETRY = { initialMs: 200, maxMs: 5_000 };
// An import's events (and all they cause downstream) travel in the bulk lane, so that leads arriving
// by form or API meanwhile never queue behind the import at any hop (docs/adr/0008-bulk-lane.md).
const IMPORT_LANE: Lane = 'bulk';

class ImportStopped extends Error {}

/** Why an import cannot go on at all (not CSV, no column for a required field or none that can name someone): it ends as failed with this reason. */
class ImportFailed extends Error {}

// A row waiting for its chunk to be published holds its Kafka record (validated and serialized when the
// row was read), not the event object: the event dies young, and a chunk in flight costs ~1 KB per row.
interface PendingRow {
  readonly line: number;
  /** Absent only when even the row's lead.rejected event could not be made (logged; the row is still reported). */
  readonly record?: OutgoingRecord;
  readonly rejected?: RejectedRow;
}

function reasonText(reasons: readonly FieldError[]): string {
  return reasons.map(fieldErrorText).join('; ');
}

function clipRaw(text: string): string {
  return text.length > MAX_RAW_CHARS ? `${text.slice(0, MAX_RAW_CHARS)}...(truncated)` : text;
}

/**
 * Processes spooled CSV uploads in the background: read each row through createCsvLeadReader (parse, header
 * mapping with the intake rules' required columns, validation, resume after the committed line), publish
 * lead.received / lead.rejected in chunks, and only once Kafka acknowledged a chunk record its counters
 * and committed line (with its rejected rows) in one transaction. A chunk published but not recorded
 * before a crash is published again with the same event ids, which every consumer drops as a duplicate.
 *
 * Several replicas share the database and the import directory: an import runs only on the replica
 * holding its advisory lock (CsvImportLocks). Every replica scans for `running` imports every
 * INGESTION_IMPORT_SCAN_MS (the first scan at start-up is the resume) and takes over those whose lock
 * is free: an import whose replica stopped or died continues after its committed line elsewhere.
 */
@Injectable()
export class CsvImportRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CsvImport');
  // Every import started here, from the lock attempt until its lock is released again.
  private readonly active = new Map<string, Promise<void>>();
  // Aborted to stop every import running here: on module destroy, or when the lock session was lost
  // (then replaced by a fresh controller once they all stopped, and a scan takes them up again).
  private stop = new AbortController();
  private destroyed = false;
  private scanTimer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;

  constructor(
    private readonly repository: CsvImportRepository,
    private readonly publisher: EventPublisher,
    private readonly locks: CsvImportLocks,
    @Inject(IMPORT_SETTINGS) private readonly settings: ImportSettings,
    @Inject(INTAKE_RULES) private readonly rules: IntakeRules,
  ) {}

  onApplicationBootstrap(): void {
    this.locks.onLost(() => void this.stopAfterLockLoss());
    this.scheduleScan(0); // the first scan resumes what was running before this process started
  }

  /**
   * Stops every import here at its next chunk boundary and releases their locks; what was committed
   * stays, and another replica (or the next start) takes them over from there.
   */
  async onModuleDestroy(): Promise<void> {
    this.destroyed = true;
    clearTimeout(this.scanTimer);
    this.stop.abort();
    await this.scanning;
    await Promise.allSettled([...this.active.values()]);
    await this.locks.close();
  }

  /**
   * Starts processing an import in the background if this replica can take its lock: no-op when it
   * already runs here, and skipped when another replica holds the lock (that one runs it).
   */
  start(record: CsvImportRecord): void {
    if (this.active.has(record.id) || this.stop.signal.aborted) return;
    const run = this.claimAndRun(record.id)
      .catch((error: unknown) => {
        if (!(error instanceof ImportStopped)) this.logger.error(`import ${record.id} stopped unexpectedly: ${describe(error)}`);
      })
      .finally(() => this.active.delete(record.id));
    this.active.set(record.id, run);
  }

  /** Ids of the imports this replica processes now (it holds their locks). */
  runningHere(): string[] {
    return this.locks.heldHere();
  }

  private async claimAndRun(importId: string): Promise<void> {
    let locked: boolean;
    try {
      locked = await this.locks.tryAcquire(importId);
    } catch (error) {
      this.logger.warn(`cannot take the lock of import ${importId} (the next scan tries again): ${describe(error)}`);
      return;
    }
    if (!locked) {
      this.logger.debug(`import ${importId} runs on another replica`);
      return;
    }
    try {
      // Read it again under the lock: another replica may have finished it, or committed more of it,
      // between the read that led here and the lock.
      const record = await this.repository.find(importId);
      if (record?.status !== 'running' || this.stop.signal.aborted) return;
      if (record.committedLine > 0) this.logger.log(`resuming import ${importId} after line ${record.committedLine}`);
      await this.run(record);
    } finally {
      await this.locks.release(importId);
    }
  }

  private scheduleScan(delayMs: number): void {
    if (this.destroyed) return;
    clearTimeout(this.scanTimer);
    // Unref'd: the scan must not keep a stopped (or never started) app's process alive.
    this.scanTimer = setTimeout(() => {
      this.scanTimer = undefined;
      this.scanning = this.scan().finally(() => {
        this.scanning = undefined;
        this.scheduleScan(this.settings.scanMs);
      });
    }, delayMs);
    this.scanTimer.unref();
  }

  /** Tries to take over every `running` import not running here (most are held by another replica). */
  private async scan(): Promise<void> {
    // The database connects (and migrates) in the background: wait for it rather than skipping the scan.
    while (!this.repository.isConnected() && !this.stop.signal.aborted) await sleep(200, this.stop.signal);
    if (this.stop.signal.aborted) return;
    await this.locks.verify();
    let running: CsvImportRecord[];
    try {
      running = await this.repository.running();
    } catch (error) {
      this.logger.warn(`cannot look for imports to run (the next scan tries again): ${describe(error)}`);
      return;
    }
    for (const record of running) {
      if (!this.active.has(record.id)) this.start(record);
    }
  }

  /**
   * The session holding the locks is gone, so another replica may already run these imports: stop them
   * here (the chunks in flight are recorded, and commitChunk never moves committed_line back), then scan
   * again with a new session.
   */
  private async stopAfterLockLoss(): Promise<void> {
    if (this.destroyed || this.stop.signal.aborted) return;
    this.logger.warn(`stopping the ${this.active.size} import(s) running here: their locks went with the database session`);
    this.stop.abort();
    await Promise.allSettled([...this.active.values()]);
    if (this.destroyed) return;
    this.stop = new AbortController();
    if (!this.scanning) this.scheduleScan(0);
  }

  private async run(record: CsvImportRecord): Promise<void> {
    const importId = record.id;
    const occurredAt = record.createdAt.toISOString();
    // The encoding was settled when the file was stored; the delimiter is detected from the header (a
    // resumed run reads the header again and detects the same one).
    const reader = createCsvLeadReader({
      aliases: this.settings.aliases,
      rules: this.rules,
      resumeAfterLine: record.committedLine,
      parser: { encoding: record.encoding, ...(record.delimiter === null ? {} : { delimiter: record.delimiter }) },
    });
    let delimiterRecorded = record.delimiter !== null;
    const progress: { -readonly [K in keyof ImportProgress]: ImportProgress[K] } = {
      rowsRead: record.rowsRead,
      accepted: record.accepted,
      rejected: record.rejected,
      bytesDone: record.bytesDone,
      committedLine: record.committedLine,
    };
    let bytesRead = 0;
    let pending: PendingRow[] = [];
    let pendingRawChars = 0;
    let fatal: string | undefined;
    let note: string | undefined;

    // Up to chunksInFlight chunks are published at once while the next one is parsed (the wait for Kafka's
    // acknowledgement and the database commit is then hidden behind parsing); chunks are recorded in order,
    // each only after the one before it, so committed_line only ever covers rows Kafka acknowledged.
    const unrecorded: Promise<void>[] = [];
    let recorded: Promise<void> = Promise.resolve();
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      while (unrecorded.length >= this.settings.chunksInFlight) await unrecorded.shift();
      const rows = pending;
      pending = [];
      pendingRawChars = 0;
      const bytesAt = Math.min(bytesRead, record.bytesTotal);
      const published = this.publishChunk(importId, rows, occurredAt);
      published.catch(() => undefined); // seen through `recorded` below
      const previous = recorded;
      recorded = (async () => {
        const outcome = await published;
        await previous;
        for (const row of outcome) {
          progress.rowsRead += 1;
          if (row.rejected) progress.rejected += 1;
          else progress.accepted += 1;
        }
        progress.committedLine = (rows[rows.length - 1] as PendingRow).line;
        progress.bytesDone = bytesAt;
        const rejectedRows = outcome.flatMap((row) => (row.rejected ? [row.rejected] : []));
        const snapshot = { ...progress };
        await this.retry(`record chunk up to line ${snapshot.committedLine} of import ${importId}`, () =>
          this.repository.commitChunk(importId, snapshot, rejectedRows),
        );
      })();
      // Its failure is seen by whoever awaits it next; this only keeps it from counting as unhandled.
      recorded.catch(() => undefined);
      unrecorded.push(recorded);
    };

    const reject = (line: number, reasons: readonly FieldError[], raw: string | null, source?: string): void => {
      const event = rowRejectedEvent(importId, line, reasons, occurredAt, source);
      const kept = raw === null ? null : clipRaw(raw);
      pendingRawChars += kept?.length ?? 0;
      pending.push({ line, record: this.rejectionRecord(event, importId, line), rejected: { line, reason: reasonText(reasons), raw: kept } });
    };

    const accept = (line: number, event: EventEnvelope, fields: readonly string[]): void => {
      let record: OutgoingRecord;
      try {
        record = this.publisher.toRecord(event, undefined, IMPORT_LANE);
      } catch (error) {
        // The lead passed the intake rules but breaks the event contract (a limit the rules do not check).
        reject(line, [{ field: 'row', message: `the row cannot be published: ${describe(error)}` }], csvRecord(fields));
        return;
      }
      pending.push({ line, record });
    };

    const handle = async (outcomes: CsvLeadOutcome[]): Promise<void> => {
      if (!delimiterRecorded && reader.delimiter !== undefined) {
        delimiterRecorded = true;
        const delimiter = reader.delimiter;
        await this.retry(`record the delimiter of import ${importId}`, () => this.repository.recordDelimiter(importId, delimiter));
      }
      for (const outcome of outcomes) {
        switch (outcome.kind) {
          case 'lead': {
            const event = newEdgeEvent<LeadReceived>({
              type: 'lead.received',
              data: { lead: outcome.lead, channel: 'csv', importId, line: outcome.line },
              eventId: rowEventId(importId, outcome.line, 'lead.received'),
              leadId: rowLeadId(importId, outcome.line),
              occurredAt,
            });
            accept(outcome.line, event, outcome.fields);
            break;
          }
          case 'rejected':
            reject(outcome.line, outcome.errors, outcome.fields === undefined ? null : csvRecord(outcome.fields), outcome.source);
            break;
          case 'file-error': {
            // At the header (binary, unreadable, a required column missing, an external id column naming no system, no column that
            // can name someone) the import fails as a whole; later (binary bytes after some rows) the rows before stay imported.
            const mapping = reader.mapping;
            if (mapping === undefined) throw new ImportFailed(outcome.message);
            // In the order the reader checks the header; the column names it suggests can be added by configuration too.
            if (mapping.missingRequired.length > 0) throw new ImportFailed(`${outcome.message} (or configure INGESTION_COLUMN_ALIASES_FILE)`);
            if (mapping.invalid.length > 0) throw new ImportFailed(outcome.message);
            if (!mapping.canNameSomeone) throw new ImportFailed(`${outcome.message} (or configure INGESTION_COLUMN_ALIASES_FILE)`);
            fatal = `${outcome.message}; the rows before line ${outcome.line} were imported`;
            break;
          }
          case 'no-rows':
            note = outcome.message;
            break;
          default: {
            const unhandled: never = outcome;
            throw new Error(`unhandled CSV outcome ${JSON.stringify(unhandled)}`);
          }
        }
        if (pending.length >= this.settings.chunkRows || pendingRawChars >= MAX_CHUNK_RAW_CHARS) {
          if (this.stop.signal.aborted) throw new ImportStopped(); // nothing of this chunk was published yet
          await flush();
        }
      }
    };

    try {
      const size = await stat(record.filePath).then(
        (stats) => stats.size,
        () => undefined,
      );
      if (size === undefined) throw new ImportFailed(`the uploaded file ${record.filePath} is gone (was the import directory cleared?); upload the file again`);
      const stream = createReadStream(record.filePath, { highWaterMark: READ_CHUNK_BYTES });
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          if (this.stop.signal.aborted) throw new ImportStopped();
          bytesRead += chunk.length;
          await handle(reader.push(chunk));
          if (fatal) break;
        }
      } finally {
        stream.destroy();
      }
      if (!fatal) await handle(reader.end());
      await flush();
      await recorded;
    } catch (error) {
      // Stopping or failing: let the chunks in flight be recorded (or fail) first.
      await recorded.catch(() => undefined);
      if (error instanceof ImportFailed) {
        await this.finish(record, { status: 'failed', error: error.message });
        return;
      }
      throw error;
    }
    if (fatal) {
      await this.finish(record, { status: 'failed', error: fatal });
      return;
    }
    await this.finish(record, { status: 'completed', note, bytesDone: record.bytesTotal });
    this.logger.log(`import ${importId} completed: ${progress.rowsRead} rows, ${progress.accepted} accepted, ${progress.rejected} rejected`);
  }

  private async finish(record: CsvImportRecord, outcome: { status: 'completed' | 'failed'; note?: string; error?: string; bytesDone?: number }): Promise<void> {
    await this.retry(`record the end of import ${record.id}`, () => this.repository.finish(record.id, outcome));
    if (outcome.status === 'failed') this.logger.warn(`import ${record.id} failed: ${outcome.error}`);
    // The rows are in Kafka and the rejected ones in the database: the spooled copy has served its purpose.
    await unlink(record.filePath).catch(() => undefined);
  }

  /**
   * Publishes one chunk, retrying for as long as Kafka is unavailable (never skipping a row). An event
   * Kafka can never take (a contract violation) is found by publishing the chunk event by event; its
   * row is reported as rejected instead of accepted.
   */
  private async publishChunk(importId: string, rows: PendingRow[], occurredAt: string): Promise<PendingRow[]> {
    const what = `publish lines ${rows[0]?.line}-${rows[rows.length - 1]?.line} of import ${importId}`;
    const records = rows.flatMap((row) => (row.record ? [row.record] : []));
    try {
      await this.retry(what, () => this.publisher.publishRecords(records), { retryPermanent: false });
      return rows;
    } catch (error) {
      if (error instanceof ImportStopped || classifyError(error) !== 'permanent') throw error;
    }
    // Kafka refused the chunk as such (a record over the broker's size limit, say): find the row(s) record by record.
    const out: PendingRow[] = [];
    for (const row of rows) {
      const record = row.record;
      if (!record) {
        out.push(row);
        continue;
      }
      try {
        await this.retry(what, () => this.publisher.publishRecords([record]), { retryPermanent: false });
        out.push(row);
      } catch (error) {
        if (error instanceof ImportStopped || classifyError(error) !== 'permanent') throw error;
        const reasons = [{ field: 'row', message: `the row cannot be published: ${describe(error)}` }];
        const event = rowRejectedEvent(importId, row.line, reasons, occurredAt);
        const rejection = this.rejectionRecord(event, importId, row.line);
        if (rejection) {
          await this.retry(what, () => this.publisher.publishRecords([rejection]), { retryPermanent: false }).catch((inner: unknown) => {
            if (inner instanceof ImportStopped) throw inner;
            this.logger.error(`lead.rejected for line ${row.line} of import ${importId} was not published: ${describe(inner)}`);
          });
        }
        out.push({ line: row.line, record: rejection, rejected: { line: row.line, reason: reasonText(reasons), raw: row.rejected?.raw ?? null } });
      }
    }
    return out;
  }

  /** The record of a row's lead.rejected event; undefined (logged) if even that breaks its contract. */
  private rejectionRecord(event: EventEnvelope, importId: string, line: number): OutgoingRecord | undefined {
    try {
      return this.publisher.toRecord(event, undefined, IMPORT_LANE);
    } catch (error) {
      this.logger.error(`lead.rejected for line ${line} of import ${importId} cannot be published: ${describe(error)}`);
      return undefined;
    }
  }

  /** Runs `action` until it succeeds, backing off between attempts; stops when ingestion shuts down. */
  // The first attempt is made even while stopping: a chunk Kafka acknowledged gets recorded before
  // ingestion stops, so a graceful restart re-publishes nothing.
  private async retry<T>(what: string, action: () => Promise<T>, options: { retryPermanent?: boolean } = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await action();
      } catch (error) {
        if (options.retryPermanent === false && classifyError(error) === 'permanent') throw error;
        if (this.stop.signal.aborted) throw new ImportStopped();
        const delay = backoffDelay(attempt, RETRY);
        if (attempt === 1 || attempt % 10 === 0) this.logger.warn(`cannot ${what} (attempt ${attempt}), retrying in ${delay} ms: ${describe(error)}`);
        await sleep(delay, this.stop.signal);
      }
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    // Unref'd: a wait for a database or broker must not by itself keep the process alive (a closed or
    // never-started app, a test run that is over); the HTTP server keeps a running service alive.
    const timer = setTimeout(done, ms);
    timer.unref();
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
