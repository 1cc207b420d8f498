import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadFormsFile } from './form-catalog';

describe('loadFormsFile', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'intake-forms-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function file(content: unknown): string {
    const target = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content));
    return target;
  }
  const form = { formId: 'demo', version: '1', fieldMapping: { email: 'email' }, allowedOrigins: ['https://www.example.com'] };

  it('has no forms without INGESTION_FORMS_FILE, and the checked forms of the file with it', () => {
    expect(loadFormsFile({}).forms.size).toBe(0);
    const loaded = loadFormsFile({ INGESTION_FORMS_FILE: file([form]) });
    expect(loaded.forms.get('demo')).toMatchObject({ formId: 'demo', allowedOrigins: ['https://www.example.com'] });
  });

  it('refuses a file that is not an array, a form that cannot be used (naming its index and entry), and a duplicate id', () => {
    expect(() => loadFormsFile({ INGESTION_FORMS_FILE: file(form) })).toThrow(/expected a JSON array/);
    expect(() => loadFormsFile({ INGESTION_FORMS_FILE: file([form, { ...form, formId: 'other', fieldMapping: { name: 'firstName' } }]) })).toThrow(/\[1\]: .*no form field fills email/);
    expect(() => loadFormsFile({ INGESTION_FORMS_FILE: file([form, form]) })).toThrow(/\[1\]: form demo is defined twice/);
    expect(() => loadFormsFile({ INGESTION_FORMS_FILE: file('[') })).toThrow(/cannot be read as JSON/);
  });
});
