import { readAccessConfig } from './access-config';

describe('readAccessConfig', () => {
  it('has generous per-key defaults, tight per-client ones for public routes, and 30 s of key cache', () => {
    expect(readAccessConfig('scoring', {})).toEqual({
      keyRateLimit: { perSecond: 2000, burst: 4000 },
      publicRateLimit: { perSecond: 5, burst: 20 },
      keyCacheMs: 30_000,
      ingestionUrl: 'http://127.0.0.1:3101',
    });
  });

  it("prefers the service's own variable over the one for every service", () => {
    const env = { API_KEY_CACHE_MS: '5000', ROUTING_API_KEY_CACHE_MS: '1000', RATE_LIMIT_BURST: '7' };
    expect(readAccessConfig('routing', env)).toMatchObject({ keyCacheMs: 1000, keyRateLimit: { perSecond: 2000, burst: 7 } });
    expect(readAccessConfig('nurture', env)).toMatchObject({ keyCacheMs: 5000 });
  });

  it('keeps the names ingestion has always read', () => {
    const config = readAccessConfig('ingestion', { INGESTION_RATE_LIMIT_PER_S: '0.5', INGESTION_PUBLIC_RATE_LIMIT_BURST: '3', INGESTION_API_KEY_CACHE_MS: '0' });
    expect(config).toMatchObject({ keyRateLimit: { perSecond: 0.5 }, publicRateLimit: { burst: 3 }, keyCacheMs: 0 });
  });

  it('names the variable that is wrong', () => {
    expect(() => readAccessConfig('dedupe', { DEDUPE_RATE_LIMIT_BURST: 'lots' })).toThrow(/^DEDUPE_RATE_LIMIT_BURST must be a number of at least 1, got 'lots'$/);
    expect(() => readAccessConfig('dedupe', { API_KEY_CACHE_MS: '-1' })).toThrow(/API_KEY_CACHE_MS/);
    expect(() => readAccessConfig('dedupe', { INGESTION_URL: 'ingestion:3101' })).toThrow(/INGESTION_URL must start with http/);
    expect(() => readAccessConfig('dedupe', { INGESTION_URL: 'not a url' })).toThrow(/INGESTION_URL must be a URL/);
  });

  it('takes the ingestion URL without a trailing slash', () => {
    expect(readAccessConfig('analytics', { INGESTION_URL: 'http://ingestion:3101/' }).ingestionUrl).toBe('http://ingestion:3101');
  });
});
