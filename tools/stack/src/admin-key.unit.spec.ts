import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureAdminKey } from './admin-key';

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
