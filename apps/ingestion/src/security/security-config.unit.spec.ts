import { readBodyLimit } from './body-limit';
import { readSecurityConfig } from './security-config';

describe('readSecurityConfig', () => {
  it('has generous per-key defaults and tight per-client ones for public routes', () => {
    expect(readSecurityConfig({})).toEqual({
      keyRateLimit: { perSecond: 2000, burst: 4000 },
      publicRateLimit: { perSecond: 5, burst: 20 },
      keyCacheMs: 30_000,
      bootstrapAdminKey: undefined,
    });
  });

  it('reads the variables, and names the one that is wrong', () => {
    const config = readSecurityConfig({ INGESTION_RATE_LIMIT_PER_S: '0.5', INGESTION_RATE_LIMIT_BURST: '3', LEADSTREAM_BOOTSTRAP_ADMIN_KEY: 'k'.repeat(32) });
    expect(config.keyRateLimit).toEqual({ perSecond: 0.5, burst: 3 });
    expect(config.bootstrapAdminKey).toBe('k'.repeat(32));
    expect(() => readSecurityConfig({ INGESTION_RATE_LIMIT_BURST: 'lots' })).toThrow(/INGESTION_RATE_LIMIT_BURST.*'lots'/);
    expect(() => readSecurityConfig({ LEADSTREAM_BOOTSTRAP_ADMIN_KEY: 'short' })).toThrow(/LEADSTREAM_BOOTSTRAP_ADMIN_KEY must be at least 32/);
  });
});

describe('readBodyLimit', () => {
  it("defaults to 5mb and accepts sizes like '512kb'", () => {
    expect(readBodyLimit({})).toBe('5mb');
    expect(readBodyLimit({ INGESTION_MAX_BODY: '512KB' })).toBe('512kb');
    expect(() => readBodyLimit({ INGESTION_MAX_BODY: 'huge' })).toThrow(/INGESTION_MAX_BODY.*'huge'/);
  });
});
