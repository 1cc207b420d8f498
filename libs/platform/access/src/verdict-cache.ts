import { hashApiKey, type ApiKeyVerdict } from './api-key';

/** Above this many cached verdicts the cache starts over (it only saves round trips). */
const DEFAULT_MAX_ENTRIES = 50_000;

/**
 * Verdicts on presented keys, by the key's hash, each reused for `ttlMs` whatever it said (valid,
 * revoked or unknown): the time-to-live is the longest a revocation stays unseen by this process.
 * Pure: `now` (milliseconds) is passed in.
 */
export class ApiKeyVerdictCache {
  private readonly entries = new Map<string, { verdict: ApiKeyVerdict; expiresAt: number }>();
  private readonly inFlight = new Map<string, Promise<ApiKeyVerdict>>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {}

  /**
   * The cached verdict on `secret`, else `lookUp`'s (by the secret's hash), which is then cached;
   * `fresh` skips the cached one. Concurrent look-ups of one key share one call of `lookUp`.
   */
  async verify(secret: string, options: { readonly fresh?: boolean }, lookUp: (hash: Buffer) => Promise<ApiKeyVerdict>): Promise<ApiKeyVerdict> {
    const hash = hashApiKey(secret);
    if (!options.fresh) {
      const cached = this.get(hash, Date.now());
      if (cached) return cached;
    }
    const id = hash.toString('base64');
    let pending = this.inFlight.get(id);
    if (!pending) {
      pending = lookUp(hash).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, pending);
    }
    const verdict = await pending;
    this.set(hash, verdict, Date.now());
    return verdict;
  }

  get(hash: Buffer, now: number): ApiKeyVerdict | undefined {
    const entry = this.entries.get(hash.toString('base64'));
    return entry && entry.expiresAt > now ? entry.verdict : undefined;
  }

  set(hash: Buffer, verdict: ApiKeyVerdict, now: number): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(hash.toString('base64'), { verdict, expiresAt: now + this.ttlMs });
  }

  forgetHash(hash: Buffer): void {
    this.entries.delete(hash.toString('base64'));
  }

  /** Drops every cached verdict that let key `id` in (after it was revoked here). */
  forgetKey(id: string): void {
    for (const [hash, entry] of this.entries) if (entry.verdict.valid && entry.verdict.key.id === id) this.entries.delete(hash);
  }

  get size(): number {
    return this.entries.size;
  }
}
