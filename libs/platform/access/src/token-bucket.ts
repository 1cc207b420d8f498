/**
 * Token buckets keyed by a string (an API key id, or a client IP + Origin): each holds up to `burst`
 * tokens and refills at `perSecond`; a request takes one token or is refused with the seconds until
 * one is back. Pure: `now` (milliseconds) is passed in, so tests drive the clock.
 */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  /** @param maxBuckets above this many, buckets that refilled completely are forgotten (a full bucket is the same as none). */
  constructor(
    readonly limit: RateLimit,
    private readonly maxBuckets = 100_000,
  ) {
    if (!(limit.perSecond > 0) || !Number.isFinite(limit.perSecond)) throw new Error(`rate limit must be a positive number of requests per second, got ${limit.perSecond}`);
    if (!(limit.burst >= 1) || !Number.isFinite(limit.burst)) throw new Error(`rate limit burst must be at least 1, got ${limit.burst}`);
  }

  take(key: string, now: number): TakeResult {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxBuckets) this.forgetFull(now);
      bucket = { tokens: this.limit.burst, updatedAt: now };
      this.buckets.set(key, bucket);
    } else {
      this.refill(bucket, now);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond)) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private refill(bucket: Bucket, now: number): void {
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + elapsedSeconds * this.limit.perSecond);
    bucket.updatedAt = now;
  }

  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      this.refill(bucket, now);
      if (bucket.tokens >= this.limit.burst) this.buckets.delete(key);
    }
    // Still full of partly drained buckets (many clients at once): forget the oldest, which at worst
    // hands one of them a fresh burst, rather than growing without bound.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxBuckets) break;
      this.buckets.delete(key);
    }
  }
}
