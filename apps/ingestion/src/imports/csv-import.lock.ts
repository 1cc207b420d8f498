import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, type QueryRunner } from 'typeorm';

/**
 * First key of every import lock (the two-key form of pg_advisory_lock): 'LSCI', LeadStream Csv Import.
 * The two-key form has its own key space in Postgres, apart from the one-key form the migrations lock
 * uses, so the import locks cannot collide with it.
 */
export const IMPORT_LOCK_NAMESPACE = 0x4c534349;

/**
 * The advisory lock key of one import: the namespace and the first 32 bits of the SHA-256 of its id.
 * Two imports whose ids share those 32 bits would only run one after the other, never together.
 */
export function importLockKey(importId: string): readonly [number, number] {
  return [IMPORT_LOCK_NAMESPACE, createHash('sha256').update(importId.toLowerCase()).digest().readInt32BE(0)];
}

// Every statement on the lock session answers at once; one that does not means the connection is dead
// (a half-open socket would otherwise hang the scan and the shutdown until TCP gives up, minutes later).
const LOCK_QUERY_TIMEOUT_MS = 10_000;

// The server keeps a session's locks until it notices the connection is gone: at once when the replica's
// process dies, but only through TCP keepalive when its host vanishes (by default after two hours on
// Linux). On the lock session the server probes after 30 s idle, every 10 s, and gives up after 3 misses.
const KEEPALIVE_SETTINGS = `set_config('tcp_keepalives_idle', '30', false), set_config('tcp_keepalives_interval', '10', false), set_config('tcp_keepalives_count', '3', false)`;
// '0' is "the server's default" for each of them: how the connection goes back to the pool.
const DEFAULT_KEEPALIVE_SETTINGS = `set_config('tcp_keepalives_idle', '0', false), set_config('tcp_keepalives_interval', '0', false), set_config('tcp_keepalives_count', '0', false)`;

/** The pg client behind the lock session's QueryRunner (only what is used here). */
interface SessionConnection {
  on(event: 'error' | 'end', listener: (error?: unknown) => void): unknown;
  removeListener(event: 'error' | 'end', listener: (error?: unknown) => void): unknown;
  end(): Promise<void>;
}

interface LockSession {
  readonly runner: QueryRunner;
  readonly connection: SessionConnection;
  readonly onGone: (error?: unknown) => void;
  /** Imports whose lock this session holds. */
  readonly held: Set<string>;
  lost: boolean;
}

/**
 * Session-level PostgreSQL advisory locks, one per CSV import, so that of several ingestion replicas
 * sharing a database exactly one processes a given import at a time.
 *
 * All the locks of this process live on one dedicated connection (a QueryRunner taken from the pool
 * while at least one lock is held, returned when none is), so running many imports costs one connection.
 * A lock lasts as long as that session: a replica that crashes or loses its connection loses its locks
 * with it, and another replica can take the imports over. When the session is lost while this process
 * still runs, its locks may already belong to another replica: `onLost` tells the runner to stop every
 * import it runs here. A failed statement on the session counts as a loss too: the connection is then
 * ended, so that the server really drops the locks this process stops relying on.
 */
@Injectable()
export class CsvImportLocks {
  private readonly logger = new Logger('CsvImportLocks');
  private session: LockSession | undefined;
  // Acquire, release, verify and close run one after the other on the single session.
  private queue: Promise<unknown> = Promise.resolve();
  private lostListener: (reason: string) => void = () => undefined;
  private closed = false;

  constructor(private readonly dataSource: DataSource) {}

  /** Called when the session holding locks is lost (at most once per session). */
  onLost(listener: (reason: string) => void): void {
    this.lostListener = listener;
  }

  /**
   * Takes the import's lock without waiting: true when this process now holds it, false when another
   * session (another replica) does, or when this process already holds it. Throws when the database
   * cannot be asked (the caller tries again later).
   */
  tryAcquire(importId: string): Promise<boolean> {
    return this.serial(async () => {
      if (this.closed) return false;
      const session = await this.open();
      // Postgres advisory locks are re-entrant within a session: answer for this process here.
      if (session.held.has(importId)) return false;
      const [namespace, key] = importLockKey(importId);
      const rows = (await this.query(session, 'SELECT pg_try_advisory_lock($1, $2) AS locked', [namespace, key])) as { locked: boolean }[];
      const locked = rows[0]?.locked === true;
      if (locked) session.held.add(importId);
      else if (session.held.size === 0) await this.closeSession(session);
      return locked;
    });
  }

  /** Releases the import's lock (no-op when not held here). Never throws: a lock that cannot be released goes with its session. */
  release(importId: string): Promise<void> {
    return this.serial(async () => {
      const session = this.session;
      if (!session || !session.held.delete(importId)) return;
      const [namespace, key] = importLockKey(importId);
      await this.query(session, 'SELECT pg_advisory_unlock($1, $2)', [namespace, key]);
      if (session.held.size === 0) await this.closeSession(session);
    }).catch(() => undefined);
  }

  /** Checks that the session holding the locks still answers; a dead one is reported through onLost. */
  verify(): Promise<void> {
    return this.serial(async () => {
      const session = this.session;
      if (session) await this.query(session, 'SELECT 1', []);
    }).catch(() => undefined);
  }

  /** Imports whose lock this process holds. */
  heldHere(): string[] {
    return [...(this.session?.held ?? [])];
  }

  /** Releases every lock and the session; later acquisitions answer false. */
  close(): Promise<void> {
    this.closed = true;
    return this.serial(async () => {
      if (this.session) await this.closeSession(this.session);
    }).catch(() => undefined);
  }

  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async open(): Promise<LockSession> {
    if (this.session && !this.session.lost) return this.session;
    const runner = this.dataSource.createQueryRunner();
    let connection: SessionConnection;
    try {
      connection = (await runner.connect()) as SessionConnection;
    } catch (error) {
      await runner.release().catch(() => undefined);
      throw error;
    }
    const session: LockSession = {
      runner,
      connection,
      held: new Set(),
      lost: false,
      onGone: (error?: unknown) => this.lose(session, error === undefined ? 'the connection ended' : describe(error)),
    };
    connection.on('error', session.onGone);
    connection.on('end', session.onGone);
    this.session = session;
    await this.query(session, `SELECT ${KEEPALIVE_SETTINGS}`, []);
    return session;
  }

  /** A statement on the lock session; when it fails (or hangs) the session is lost. */
  private async query(session: LockSession, sql: string, parameters: unknown[]): Promise<unknown> {
    if (session.lost) throw new Error('the import lock session was lost');
    try {
      return await this.send(session, sql, parameters);
    } catch (error) {
      this.lose(session, describe(error));
      throw error;
    }
  }

  private async send(session: LockSession, sql: string, parameters: unknown[]): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the lock session did not answer within ${LOCK_QUERY_TIMEOUT_MS} ms`)), LOCK_QUERY_TIMEOUT_MS);
      timer.unref();
    });
    try {
      return await Promise.race([session.runner.query(sql, parameters), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Returns the session to the pool with no lock held (or ends it when that cannot be made sure). */
  private async closeSession(session: LockSession): Promise<void> {
    if (this.session === session) this.session = undefined;
    if (session.lost) return;
    try {
      await this.send(session, `SELECT pg_advisory_unlock_all(), ${DEFAULT_KEEPALIVE_SETTINGS}`, []);
    } catch (error) {
      this.lose(session, describe(error), { report: false });
      return;
    }
    session.held.clear();
    session.connection.removeListener('error', session.onGone);
    session.connection.removeListener('end', session.onGone);
    await session.runner.release().catch(() => undefined);
  }

  /**
   * The session is gone, or in doubt: end its connection (so the server drops whatever it held), forget
   * its locks and, if it held any, tell the runner, whose imports here may already run elsewhere.
   */
  private lose(session: LockSession, reason: string, options: { report?: boolean } = {}): void {
    if (session.lost) return;
    session.lost = true;
    if (this.session === session) this.session = undefined;
    const held = session.held.size;
    session.held.clear();
    session.connection.removeListener('error', session.onGone);
    session.connection.removeListener('end', session.onGone);
    // An error after this point (the socket closing) must not be unhandled.
    session.connection.on('error', () => undefined);
    void session.connection.end().catch(() => undefined);
    void session.runner.release().catch(() => undefined);
    if (held > 0 && options.report !== false && !this.closed) {
      this.logger.warn(`the database session holding ${held} import lock(s) was lost (${reason})`);
      this.lostListener(reason);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
