import { readBodyLimit } from './body-limit';
import { readSecurityConfig } from './security-config';

describe('readSecurityConfig', () => {
  it('reads the bootstrap admin key, and refuses a short one', () => {
    expect(readSecurityConfig({})).toEqual({ bootstrapAdminKey: undefined });
    expect(readSecurityConfig({ LEADSTREAM_BOOTSTRAP_ADMIN_KEY: 'k'.repeat(32) }).bootstrapAdminKey).toBe('k'.repeat(32));
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
