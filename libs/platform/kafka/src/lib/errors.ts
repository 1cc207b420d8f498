/**
 * Error classification for the retry logic (docs/architecture.md, rule 4).
 *
 * Transient: the same input will succeed later (broker or database unreachable, a lock conflict,
 * a serialization failure). The consumer retries the whole batch with backoff and never commits
 * meanwhile. Permanent: the same input fails the same way every time (a malformed payload, a broken
 * domain invariant, a constraint violation). The consumer isolates the failing event and sends it
 * to its dead-letter topic so the partition moves on.
 */
export type ErrorKind = 'transient' | 'permanent';

/** Throw this (or anything with `kind: 'transient'`) to have the batch retried with backoff. */
export class TransientError extends Error {
  readonly kind = 'transient' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** Throw this (or anything with `kind: 'permanent'`) to have the event dead-lettered. */
export class PermanentError extends Error {
  readonly kind = 'permanent' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentError';
  }
}

// Node's socket and DNS failures: the peer is down or unreachable for now.
const TRANSIENT_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ESOCKETTIMEDOUT',
]);

// kafkajs errors that are "retries exhausted" or connection-level wrappers: the condition behind them
// is temporary even when kafkajs itself gave up (KafkaJSNumberOfRetriesExceeded is non-retriable).
const TRANSIENT_KAFKAJS = new Set([
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSTimeout',
]);

// The project's own error codes (ContractViolation 'CONTRACT.INVALID_EVENT', DomainError 'DEDUPE.NO_MATCH_KEY').
const DOMAIN_CODE = /^[A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_.]*$/;
// A PostgreSQL SQLSTATE: five characters of digits and upper-case letters.
const SQLSTATE = /^[0-9A-Z]{5}$/;

const MAX_DEPTH = 8;

/**
 * Decides whether an error is worth retrying. In order:
 * 1. an explicit `kind: 'transient' | 'permanent'` (TransientError, PermanentError, ContractViolation, DomainError);
 * 2. a project error code `AREA.CODE` → permanent (a broken invariant fails again on retry);
 * 3. a PostgreSQL SQLSTATE: class 08 (connection), 53 (insufficient resources), 57P01-57P03 (shutdown),
 *    40001/40P01 (serialization failure, deadlock) → transient; 22 (data exception) and 23 (integrity
 *    constraint violation) → permanent; TypeORM's `driverError` is looked through;
 * 4. a Node socket/DNS errno (ECONNREFUSED, ECONNRESET, ETIMEDOUT, ...) → transient;
 * 5. kafkajs: connection/timeout/retries-exhausted errors → transient, otherwise its `retriable` flag;
 * 6. the `cause` chain;
 * 7. anything else → transient.
 *
 * Unknown errors are transient on purpose: a transient verdict never loses data (the batch is retried and
 * the consumer reports not-ready, which alerts someone), whereas a wrong permanent verdict would move a
 * good event to the dead-letter topic. Code that knows an input can never succeed says so by throwing
 * PermanentError (or an error with `kind: 'permanent'`).
 */
export function classifyError(err: unknown): ErrorKind {
  return classify(err, 0) ?? 'transient';
}

function classify(err: unknown, depth: number): ErrorKind | undefined {
  if (depth > MAX_DEPTH || err === null || typeof err !== 'object') return undefined;
  const e = err as Record<string, unknown>;

  if (e['kind'] === 'transient' || e['kind'] === 'permanent') return e['kind'];

  const code = e['code'];
  if (typeof code === 'string') {
    if (TRANSIENT_ERRNO.has(code)) return 'transient';
    if (DOMAIN_CODE.test(code)) return 'permanent';
    if (SQLSTATE.test(code)) {
      const byState = classifySqlState(code);
      if (byState) return byState;
    }
  }

  // TypeORM's QueryFailedError wraps the pg error.
  const driverError = classify(e['driverError'], depth + 1);
  if (driverError) return driverError;

  const name = typeof e['name'] === 'string' ? e['name'] : '';
  if (name.startsWith('KafkaJS')) {
    if (TRANSIENT_KAFKAJS.has(name)) return 'transient';
    const inner = classify(e['originalError'], depth + 1) ?? classify(e['cause'], depth + 1);
    if (inner) return inner;
    if (typeof e['retriable'] === 'boolean') return e['retriable'] ? 'transient' : 'permanent';
  }

  // AggregateError (e.g. a connect attempt on both ::1 and 127.0.0.1) carries its reasons in `errors`.
  if (Array.isArray(e['errors'])) {
    const kinds = (e['errors'] as unknown[]).map((inner) => classify(inner, depth + 1));
    if (kinds.includes('transient')) return 'transient';
    if (kinds.length > 0 && kinds.every((kind) => kind === 'permanent')) return 'permanent';
  }

  return classify(e['cause'], depth + 1);
}

function classifySqlState(code: string): ErrorKind | undefined {
  const errorClass = code.slice(0, 2);
  if (errorClass === '08' || errorClass === '53') return 'transient';
  if (code === '57P01' || code === '57P02' || code === '57P03') return 'transient';
  if (code === '40001' || code === '40P01') return 'transient';
  if (errorClass === '22' || errorClass === '23') return 'permanent';
  return undefined;
}

/** One line naming the error, for logs and the `dlq-reason` header. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const tag = typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : '';
    return `${err.name}${tag}: ${err.message}`;
  }
  return typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
}
