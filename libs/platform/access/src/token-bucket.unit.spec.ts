import { TokenBuckets } from './token-bucket';

describe('TokenBuckets', () => {
  it('allows a burst, then refuses with the seconds until a token is back', () => {
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3 });
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => buckets.take('key-a', t0).allowed)).toEqual([true, true, true]);
    expect(buckets.take('key-a', t0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the sustained rate, never above the burst', () => {
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3 });
    const t0 = 0;
    for (let i = 0; i < 3; i++) buckets.take('k', t0);
    expect(buckets.take('k', t0 + 499).allowed).toBe(false);
    expect(buckets.take('k', t0 + 1000).allowed).toBe(true); // two tokens back after one second
    // a long pause refills to the burst only
    const later = t0 + 60_000;
    expect([1, 2, 3, 4].map(() => buckets.take('k', later).allowed)).toEqual([true, true, true, false]);
  });

  it('keeps each key to its own bucket', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 });
    expect(buckets.take('a', 0).allowed).toBe(true);
    expect(buckets.take('a', 0).allowed).toBe(false);
    expect(buckets.take('b', 0).allowed).toBe(true);
  });

  it('says how long to wait for slow rates', () => {
    const buckets = new TokenBuckets({ perSecond: 0.1, burst: 1 });
    buckets.take('k', 0);
    expect(buckets.take('k', 0)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(buckets.take('k', 5_000)).toEqual({ allowed: false, retryAfterSeconds: 5 });
  });

  it('forgets refilled buckets instead of growing without bound', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, 10);
    for (let i = 0; i < 10; i++) buckets.take(`client-${i}`, 0);
    expect(buckets.size).toBe(10);
    buckets.take('client-new', 5_000); // every earlier bucket is full again by now
    expect(buckets.size).toBe(1);
    for (let i = 0; i < 30; i++) buckets.take(`burst-${i}`, 5_000);
    expect(buckets.size).toBeLessThanOrEqual(10);
  });

  it('rejects a limit that makes no sense', () => {
    expect(() => new TokenBuckets({ perSecond: 0, burst: 1 })).toThrow(/positive/);
    expect(() => new TokenBuckets({ perSecond: 1, burst: 0 })).toThrow(/burst/);
  });
});
