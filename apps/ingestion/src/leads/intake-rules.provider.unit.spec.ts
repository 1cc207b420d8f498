import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_INTAKE_RULES } from '@leadstream/domain-intake';
import { loadIntakeRules } from './intake-rules.provider';

describe('loadIntakeRules', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'intake-rules-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, content: string): string {
    const target = path.join(dir, name);
    writeFileSync(target, content);
    return target;
  }

  it('uses the defaults without INGESTION_RULES_FILE', () => {
    expect(loadIntakeRules({})).toBe(DEFAULT_INTAKE_RULES);
  });

  it('loads and checks the configured file', () => {
    const rules = loadIntakeRules({
      INGESTION_RULES_FILE: file('ok.json', JSON.stringify({ version: 'strict-1', required: ['email', 'company'], rejectDisposableEmail: true, phone: 'reject-invalid' })),
    });
    expect(rules).toMatchObject({ version: 'strict-1', required: ['email', 'company'], rejectDisposableEmail: true, phone: 'reject-invalid' });
  });

  it('loads rules that require other fields and not email', () => {
    const loose = file('loose.json', JSON.stringify({ version: 'loose-1', required: ['company'], rejectDisposableEmail: false, phone: 'keep-raw' }));
    expect(loadIntakeRules({ INGESTION_RULES_FILE: loose })).toMatchObject({ version: 'loose-1', required: ['company'] });
  });

  it('refuses a file that is not JSON or not usable, naming the file and the entry', () => {
    expect(() => loadIntakeRules({ INGESTION_RULES_FILE: file('bad.json', '{ nope') })).toThrow(/bad\.json: cannot be read as JSON/);
    const wrong = file('wrong.json', JSON.stringify({ version: 'x', required: ['company', 'mail'], rejectDisposableEmail: false, phone: 'keep-raw' }));
    expect(() => loadIntakeRules({ INGESTION_RULES_FILE: wrong })).toThrow(/wrong\.json: .*required\[1\]: "mail" is not a lead field/);
    expect(() => loadIntakeRules({ INGESTION_RULES_FILE: path.join(dir, 'missing.json') })).toThrow(/missing\.json: cannot be read/);
  });
});
