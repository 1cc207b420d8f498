import { createHash } from 'node:crypto';
import { API_KEY_SCOPES, type ApiKeyScope } from './scopes.decorator';

/** Longest bearer token even looked at; anything longer is malformed (and never hashed). */
export const MAX_BEARER_TOKEN_LENGTH = 512;

/** A key as the guard sees it; never the secret. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** What a key store says about a presented secret: a usable key, or why it is refused (the 401's message). */
export type ApiKeyVerdict = { readonly valid: true; readonly key: ApiKeyRecord } | { readonly valid: false; readonly reason: string };

/** The verdict for a key row found by its hash (or for no row at all). */
export function verdictFor(key: ApiKeyRecord | undefined): ApiKeyVerdict {
  if (key === undefined) return { valid: false, reason: 'unknown API key' };
  if (key.revokedAt !== null) return { valid: false, reason: `API key '${key.name}' was revoked at ${key.revokedAt}` };
  return { valid: true, key };
}

/**
 * What is stored for a key: its SHA-256. The keys are 256-bit random secrets (or, for the bootstrap
 * key, at least 32 characters chosen by the operator), so there is nothing to brute-force and a slow
 * password KDF (bcrypt, scrypt, argon2) would only cost time on every cache miss: a fast hash of a
 * high-entropy secret is as safe as a slow hash of it, and the hash lets the lookup be an index hit.
 * Caches hold verdicts under it too, so no process keeps secrets as map keys.
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
