import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminKeyBannerLine, ensureAdminKey } from './admin-key';

describe('ensureAdminKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'admin-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a key on the first start, readable by its owner only, and reads the same key afterwards', () => {
    const first = ensureAdminKey(dir);
    expect(first.created).toBe(true);
    expect(first.key).toMatch(/^lsk_[A-Za-z0-9_-]{43}$/);
    expect(first.file).toBe(path.join(dir, 'api-key'));
    expect(readFileSync(first.file, 'utf8').trim()).toBe(first.key);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);

    const again = ensureAdminKey(dir);
    expect(again).toEqual({ key: first.key, file: first.file, created: false });
  });

  it('refuses a file that holds no key, saying how to recover', () => {
    writeFileSync(path.join(dir, 'api-key'), 'short\n');
    expect(() => ensureAdminKey(dir)).toThrow(/does not hold an API key.*delete it/);
  });
});

describe('the banner line about the admin key', () => {
  const made = { key: 'lsk_made-on-this-start-0123456789abcdefghijklmnop', file: '/data/api-key', created: true };
  const kept = { ...made, created: false };

  it('shows a new key once, then only where it is', () => {
    expect(adminKeyBannerLine(made, '.data/api-key', 'up')).toBe(`admin API key (shown once, also in .data/api-key): ${made.key}`);
    expect(adminKeyBannerLine(kept, '.data/api-key', 'up')).toBe('admin API key in .data/api-key');
    expect(adminKeyBannerLine(kept, '.data/api-key', undefined)).toBe('admin API key in .data/api-key');
  });

  it('says the key was revoked, and how to have a new one made, when ingestion reports it so', () => {
    const note =
      'up: the bootstrap admin key (LEADSTREAM_BOOTSTRAP_ADMIN_KEY) was revoked at 2026-12-04T10:00:00.000Z and no longer works; use another admin key, or make a new bootstrap key';
    expect(adminKeyBannerLine(kept, '.data/api-key', note)).toBe(
      'admin API key in .data/api-key no longer works (the bootstrap admin key (LEADSTREAM_BOOTSTRAP_ADMIN_KEY) was revoked at 2026-12-04T10:00:00.000Z and no longer works): use another admin key, or stop, delete .data/api-key and start again to have a new one made',
    );
  });
});
