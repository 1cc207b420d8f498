import type { ApiKeyVerdict } from './api-key';

/**
 * Whoever can say whether a presented secret is a usable key: ingestion's own key table, or, in every
 * other service, ingestion asked over HTTP. Both cache their verdicts for the configured key cache time.
 */
export interface ApiKeyVerifier {
  /**
   * `fresh`: skip the cache (the verdict is still stored in it). Throws KeyStoreUnavailableError when
   * no verdict can be had now; the guard answers 503 then.
   */
  verify(secret: string, options?: { readonly fresh?: boolean }): Promise<ApiKeyVerdict>;
}

/** Injection token of the service's ApiKeyVerifier. */
export const API_KEY_VERIFIER = Symbol('ApiKeyVerifier');

/** The key store cannot answer now (PostgreSQL down for ingestion, ingestion unreachable for the others). */
export class KeyStoreUnavailableError extends Error {
  override readonly name = 'KeyStoreUnavailableError';
}
