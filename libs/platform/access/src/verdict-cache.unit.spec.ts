import { hashApiKey, verdictFor } from './api-key';
import { ApiKeyVerdictCache } from './verdict-cache';

const reader = { id: 'key-reader', name: 'dashboard', scopes: ['read' as const], createdAt: '2026-01-05T09:00:00.000Z', revokedAt: null };

describe('ApiKeyVerdictCache', () => {
  it('gives a verdict back until its time-to-live has passed, and not after', () => {
    const cache = new ApiKeyVerdictCache(30_000);
    const hash = hashApiKey('lsk_dashboard');
    cache.set(hash, verdictFor(reader), 1_000);
    expect(cache.get(hash, 30_999)).toEqual({ valid: true, key: reader });
    expect(cache.get(hash, 31_000)).toBeUndefined();
  });

  it('keeps refusals too, so an unknown key does not reach the key store on every request', () => {
    const cache = new ApiKeyVerdictCache(30_000);
    cache.set(hashApiKey('lsk_nobody'), verdictFor(undefined), 0);
    expect(cache.get(hashApiKey('lsk_nobody'), 10)).toEqual({ valid: false, reason: 'unknown API key' });
    expect(cache.get(hashApiKey('lsk_somebody'), 10)).toBeUndefined();
  });

  it('forgets every verdict that let a revoked key in, and only those', () => {
    const cache = new ApiKeyVerdictCache(30_000);
    cache.set(hashApiKey('lsk_dashboard'), verdictFor(reader), 0);
    cache.set(hashApiKey('lsk_other'), verdictFor({ ...reader, id: 'key-other' }), 0);
    cache.forgetKey('key-reader');
    expect(cache.get(hashApiKey('lsk_dashboard'), 1)).toBeUndefined();
    expect(cache.get(hashApiKey('lsk_other'), 1)).toBeDefined();
  });

  it('starts over instead of growing past its bound', () => {
    const cache = new ApiKeyVerdictCache(30_000, 3);
    for (const name of ['a', 'b', 'c', 'd']) cache.set(hashApiKey(name), verdictFor(undefined), 0);
    expect(cache.size).toBe(1);
    expect(cache.get(hashApiKey('d'), 1)).toBeDefined();
  });

  it('with a time-to-live of zero keeps nothing usable', () => {
    const cache = new ApiKeyVerdictCache(0);
    cache.set(hashApiKey('lsk_dashboard'), verdictFor(reader), 5);
    expect(cache.get(hashApiKey('lsk_dashboard'), 5)).toBeUndefined();
  });
});

describe('ApiKeyVerdictCache.verify', () => {
  it('asks the key store once for concurrent checks of one key, then answers from the cache', async () => {
    const cache = new ApiKeyVerdictCache(30_000);
    let lookUps = 0;
    const lookUp = async (): Promise<ReturnType<typeof verdictFor>> => {
      lookUps += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return verdictFor(reader);
    };
    const verdicts = await Promise.all([1, 2, 3].map(() => cache.verify('lsk_dashboard', {}, lookUp)));
    expect(verdicts).toEqual([1, 2, 3].map(() => ({ valid: true, key: reader })));
    await cache.verify('lsk_dashboard', {}, lookUp);
    expect(lookUps).toBe(1);
  });

  it('asks again when told to check fresh, and keeps the new verdict', async () => {
    const cache = new ApiKeyVerdictCache(30_000);
    await cache.verify('lsk_dashboard', {}, async () => verdictFor(reader));
    const revoked = verdictFor({ ...reader, revokedAt: '2026-03-01T00:00:00.000Z' });
    expect(await cache.verify('lsk_dashboard', { fresh: true }, async () => revoked)).toEqual(revoked);
    expect(await cache.verify('lsk_dashboard', {}, async () => verdictFor(reader))).toEqual(revoked);
  });

  it('keeps no verdict when the key store fails, so the next check asks again', async () => {
    const cache = new ApiKeyVerdictCache(30_000);
    await expect(cache.verify('lsk_dashboard', {}, async () => Promise.reject(new Error('PostgreSQL is down')))).rejects.toThrow('PostgreSQL is down');
    expect(await cache.verify('lsk_dashboard', {}, async () => verdictFor(reader))).toEqual({ valid: true, key: reader });
  });
});
