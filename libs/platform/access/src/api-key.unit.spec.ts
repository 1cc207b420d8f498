import { createHash, randomBytes } from 'node:crypto';
import { grants, hashApiKey, parseBearer, verdictFor } from './api-key';

describe('hashApiKey', () => {
  it('is the SHA-256 of the whole key, never the key itself', () => {
    const key = `lsk_${randomBytes(32).toString('base64url')}`;
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

describe('verdictFor', () => {
  const key = { id: 'k-1', name: 'crm sync', scopes: ['ingest' as const], createdAt: '2026-01-05T09:00:00.000Z', revokedAt: null };

  it('lets an unrevoked key in', () => {
    expect(verdictFor(key)).toEqual({ valid: true, key });
  });

  it('refuses an unknown key and a revoked one, naming the revoked key and when', () => {
    expect(verdictFor(undefined)).toEqual({ valid: false, reason: 'unknown API key' });
    expect(verdictFor({ ...key, revokedAt: '2026-02-01T10:00:00.000Z' })).toEqual({
      valid: false,
      reason: "API key 'crm sync' was revoked at 2026-02-01T10:00:00.000Z",
    });
  });
});
