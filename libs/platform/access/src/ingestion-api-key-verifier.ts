import { Inject, Injectable } from '@nestjs/common';
import { isApiKeyScope, type ApiKeyRecord, type ApiKeyVerdict } from './api-key';
import { KeyStoreUnavailableError, type ApiKeyVerifier } from './api-key-verifier';
import { ACCESS_CONFIG, type AccessConfig } from './access-config';
import { ApiKeyVerdictCache } from './verdict-cache';

/**
 * Ingestion's route that describes the key a request is made with (any scope may call it). It checks
 * the key against the key table, never a cache, so a revocation reaches other services within their
 * own key cache time.
 */
export const API_KEY_INTROSPECTION_PATH = '/v1/api-keys/self';

/** A key check that takes longer than this counts as ingestion being unavailable. */
export const KEY_CHECK_TIMEOUT_MS = 2_000;

/**
 * The verifier of every service but ingestion: it asks ingestion, which owns the key table, with the
 * presented key itself (`GET /v1/api-keys/self`), and keeps the verdict for `keyCacheMs`. So no
 * service reads another's tables, no copy of the key hashes exists outside ingestion, and while
 * ingestion is down, keys seen in the last `keyCacheMs` keep working (others get 503).
 */
@Injectable()
export class IngestionApiKeyVerifier implements ApiKeyVerifier {
  private readonly cache: ApiKeyVerdictCache;
  private readonly url: string;

  constructor(@Inject(ACCESS_CONFIG) config: AccessConfig) {
    this.cache = new ApiKeyVerdictCache(config.keyCacheMs);
    this.url = `${config.ingestionUrl}${API_KEY_INTROSPECTION_PATH}`;
  }

  verify(secret: string, options: { readonly fresh?: boolean } = {}): Promise<ApiKeyVerdict> {
    return this.cache.verify(secret, options, () => this.ask(secret));
  }

  private async ask(secret: string): Promise<ApiKeyVerdict> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        headers: { authorization: `Bearer ${secret}`, accept: 'application/json' },
        signal: AbortSignal.timeout(KEY_CHECK_TIMEOUT_MS),
      });
    } catch (error) {
      throw new KeyStoreUnavailableError(`ingestion at ${this.url} did not answer (${describe(error)})`);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status === 200) {
      const key = asRecord(body);
      if (key) return { valid: true, key };
      throw new KeyStoreUnavailableError(`ingestion at ${this.url} answered 200 without a key description`);
    }
    if (response.status === 401) {
      const reason = isObject(body) && typeof body['message'] === 'string' ? body['message'] : 'unknown API key';
      return { valid: false, reason };
    }
    throw new KeyStoreUnavailableError(`ingestion at ${this.url} answered ${response.status} to a key check`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(body: unknown): ApiKeyRecord | undefined {
  if (!isObject(body)) return undefined;
  const { id, name, scopes, createdAt } = body;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof createdAt !== 'string' || !Array.isArray(scopes)) return undefined;
  if (body['revokedAt'] !== null) return undefined;
  return { id, name, scopes: scopes.filter(isApiKeyScope), createdAt, revokedAt: null };
}

function describe(error: unknown): string {
  // Read by shape, not instanceof: fetch's errors come from Node's own realm (not the test VM's, under Jest).
  if (!isObject(error)) return String(error);
  if (error['name'] === 'TimeoutError') return `no answer within ${KEY_CHECK_TIMEOUT_MS} ms`;
  // fetch's own message is 'fetch failed'; the reason (ECONNREFUSED, ENOTFOUND...) is its cause.
  const cause = error['cause'];
  if (isObject(cause) && typeof cause['code'] === 'string') return cause['code'];
  if (isObject(cause) && typeof cause['message'] === 'string') return cause['message'];
  return typeof error['message'] === 'string' ? error['message'] : String(error);
}
