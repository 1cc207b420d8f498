import { createHash } from 'node:crypto';
import { API_KEY_PREFIX, generateApiKey, grants, hashApiKey, parseBearer } from './api-key';

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

describe('hashApiKey', () => {
  it('is the SHA-256 of the whole key, never the key itself', () => {
    const key = generateApiKey();
    const hash = hashApiKey(key);
    expect(hash).toHaveLength(32);
    expect(hash.equals(createHash('sha256').update(key).digest())).toBe(true);
    expect(hash.toString('utf8')).not.toContain(key);
    expect(hashApiKey(`${key}x`).equals(hash)).toBe(false);
  });
});

describe('parseBearer', () => {
  it('reads the token of "Bearer <key>", any case of Bearer, surrounding blanks ignored', () => {
    expect(parseBearer('Bearer lsk_abc')).toEqual({ kind: 'token', token: 'lsk_abc' });
    expect(parseBearer('  bearer   lsk_abc  ')).toEqual({ kind: 'token', token: 'lsk_abc' });
  });

  it('calls an absent or blank header missing', () => {
    expect(parseBearer(undefined)).toEqual({ kind: 'missing' });
    expect(parseBearer('   ')).toEqual({ kind: 'missing' });
  });

  it('calls other schemes, a bare key, two tokens or a huge token malformed', () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'lsk_abc', 'Bearer', 'Bearer a b', `Bearer ${'x'.repeat(513)}`]) {
      expect(parseBearer(header)).toEqual({ kind: 'malformed' });
    }
  });
});

describe('grants', () => {
  it('lets admin do everything, and other scopes only themselves', () => {
    expect(grants(['admin'], 'ingest')).toBe(true);
    expect(grants(['admin'], 'read')).toBe(true);
    expect(grants(['ingest'], 'ingest')).toBe(true);
    expect(grants(['ingest'], 'read')).toBe(false);
    expect(grants(['read', 'ingest'], 'admin')).toBe(false);
    expect(grants(['read'], undefined)).toBe(true);
  });
});
