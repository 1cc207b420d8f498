import { createHash } from 'node:crypto';

/** Longest Idempotency-Key accepted. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export type IdempotencyKeyHeader = { kind: 'absent' } | { kind: 'invalid'; reason: string } | { kind: 'key'; key: string };

export function parseIdempotencyKey(header: string | string[] | undefined): IdempotencyKeyHeader {
  if (header === undefined) return { kind: 'absent' };
  if (Array.isArray(header)) return header.length === 0 ? { kind: 'absent' } : { kind: 'invalid', reason: 'send one Idempotency-Key header, not several' };
  const key = header.trim();
  if (key === '') return { kind: 'invalid', reason: 'Idempotency-Key is blank' };
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) return { kind: 'invalid', reason: `Idempotency-Key is ${key.length} characters long; the most is ${MAX_IDEMPOTENCY_KEY_LENGTH}` };
  return { kind: 'key', key };
}

export interface RequestFingerprintInput {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly contentLength: string | undefined;
  /** The parsed body (JSON or form), before validation. */
  readonly body: unknown;
}

/**
 * What makes two requests "the same" for an Idempotency-Key: method, path and parsed body. A streamed
 * body (a CSV or multipart upload) has not been read when this runs, so it is identified by method,
 * path and Content-Length instead: a retry of the same upload matches; a different file of the same
 * length is taken as the same request.
 */
export function requestFingerprint(input: RequestFingerprintInput): Buffer {
  const hash = createHash('sha256').update(`${input.method.toUpperCase()} ${input.path}\n`);
  const type = (input.contentType ?? '').toLowerCase();
  if (/\bjson\b|x-www-form-urlencoded/.test(type) && input.body !== undefined) {
    hash.update(`body ${canonicalJson(input.body)}`);
  } else {
    hash.update(`length ${input.contentLength ?? 'none'}`);
  }
  return hash.digest();
}

/** JSON with object keys sorted, so the same fields in another order are the same body. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
