import { API_KEY_PREFIX, generateApiKey } from './api-key';

describe('generateApiKey', () => {
  it('makes lsk_ + 32 random bytes in base64url, different every time', () => {
    const keys = new Set(Array.from({ length: 50 }, () => generateApiKey()));
    expect(keys.size).toBe(50);
    for (const key of keys) {
      expect(key).toMatch(/^lsk_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key.slice(API_KEY_PREFIX.length), 'base64url')).toHaveLength(32);
    }
  });
});
