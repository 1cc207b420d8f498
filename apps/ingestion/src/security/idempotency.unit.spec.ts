import { canonicalJson, parseIdempotencyKey, requestFingerprint } from './idempotency';

const json = (body: unknown, path = '/v1/leads') => ({ method: 'POST', path, contentType: 'application/json', contentLength: '42', body });

describe('parseIdempotencyKey', () => {
  it('accepts up to 255 characters, trimmed', () => {
    expect(parseIdempotencyKey(' order-17 ')).toEqual({ kind: 'key', key: 'order-17' });
    expect(parseIdempotencyKey('k'.repeat(255))).toEqual({ kind: 'key', key: 'k'.repeat(255) });
    expect(parseIdempotencyKey(undefined)).toEqual({ kind: 'absent' });
  });

  it('refuses a longer, blank or repeated key, saying why', () => {
    expect(parseIdempotencyKey('k'.repeat(256))).toEqual({ kind: 'invalid', reason: expect.stringMatching(/256 characters.*255/) });
    expect(parseIdempotencyKey('  ')).toEqual({ kind: 'invalid', reason: expect.stringMatching(/blank/) });
    expect(parseIdempotencyKey(['a', 'b'])).toEqual({ kind: 'invalid', reason: expect.stringMatching(/one Idempotency-Key/) });
  });
});

describe('requestFingerprint', () => {
  it('is the same for the same JSON body in any key order, different for another body or path', () => {
    const a = requestFingerprint(json({ email: 'a@example.com', firstName: 'Ada' }));
    expect(requestFingerprint(json({ firstName: 'Ada', email: 'a@example.com' })).equals(a)).toBe(true);
    expect(requestFingerprint(json({ email: 'b@example.com', firstName: 'Ada' })).equals(a)).toBe(false);
    expect(requestFingerprint(json({ email: 'a@example.com', firstName: 'Ada' }, '/v1/leads/batch')).equals(a)).toBe(false);
  });

  it('identifies a streamed upload by method, path and Content-Length', () => {
    const upload = (length: string) => requestFingerprint({ method: 'POST', path: '/v1/imports', contentType: 'text/csv', contentLength: length, body: undefined });
    expect(upload('1000').equals(upload('1000'))).toBe(true);
    expect(upload('1000').equals(upload('1001'))).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: null }], a: 'x' })).toBe('{"a":"x","b":[2,{"c":null,"d":1}]}');
  });
});
