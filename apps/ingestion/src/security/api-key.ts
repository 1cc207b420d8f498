import { createHash, randomBytes } from 'node:crypto';
import { API_KEY_SCOPES, type ApiKeyScope } from './scopes.decorator';

/** Every generated key starts with this, so a leaked key is easy to recognise (and to grep for). */
export const API_KEY_PREFIX = 'lsk_';
/** Bytes of randomness in a generated key: 256 bits. */
export const API_KEY_SECRET_BYTES = 32;
/** Shortest secret accepted as LEADSTREAM_BOOTSTRAP_ADMIN_KEY. */
export const MIN_BOOTSTRAP_KEY_LENGTH = 32;
/** Longest bearer token even looked at; anything longer is malformed (and never hashed). */
export const MAX_BEARER_TOKEN_LENGTH = 512;

/** A new API key: `lsk_` + 32 random bytes in base64url. Shown once to its creator, never stored. */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(API_KEY_SECRET_BYTES).toString('base64url')}`;
}

/**
 * What is stored for a key: its SHA-256. The keys are 256-bit random secrets (or, for the bootstrap
 * key, at least 32 characters chosen by the operator), so there is nothing to brute-force and a slow
 * password KDF (bcrypt, scrypt, argon2) would only cost time on every cache miss: a fast hash of a
 * high-entropy secret is as safe as a slow hash of it, and the hash lets the lookup be an index hit.
 */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export type BearerToken = { kind: 'missing' } | { kind: 'malformed' } | { kind: 'token'; token: string };

/** Reads `Authorization: Bearer <key>`; a blank header counts as missing. */
export function parseBearer(header: string | string[] | undefined): BearerToken {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined || value.trim() === '') return { kind: 'missing' };
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value.trim());
  if (!match?.[1] || match[1].length > MAX_BEARER_TOKEN_LENGTH) return { kind: 'malformed' };
  return { kind: 'token', token: match[1] };
}

/** True when a key holding `held` may call a route needing `needed` (`admin` implies every scope). */
export function grants(held: readonly string[], needed: ApiKeyScope | undefined): boolean {
  if (needed === undefined) return true;
  return held.includes('admin') || held.includes(needed);
}

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && (API_KEY_SCOPES as readonly string[]).includes(value);
}
