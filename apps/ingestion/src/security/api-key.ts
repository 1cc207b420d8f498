import { randomBytes } from 'node:crypto';

/** Every generated key starts with this, so a leaked key is easy to recognise (and to grep for). */
export const API_KEY_PREFIX = 'lsk_';
/** Bytes of randomness in a generated key: 256 bits. */
export const API_KEY_SECRET_BYTES = 32;
/** Shortest secret accepted as LEADSTREAM_BOOTSTRAP_ADMIN_KEY. */
export const MIN_BOOTSTRAP_KEY_LENGTH = 32;

/** A new API key: `lsk_` + 32 random bytes in base64url. Shown once to its creator, never stored. */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(API_KEY_SECRET_BYTES).toString('base64url')}`;
}
