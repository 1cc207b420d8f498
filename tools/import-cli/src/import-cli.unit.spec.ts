import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImportCliError, encodingName, newKeyAdvice, resolveImportTarget, uploadCsvFile } from './import-client';
import { parseCliArgs } from './import-csv';
import { progressLine } from './progress-bar';

describe('import CLI arguments', () => {
  it('takes one file and the --url / --key options in both spellings', () => {
    expect(parseCliArgs(['leads.csv', '--url', 'http://h:1', '--key=abc'])).toEqual({ file: 'leads.csv', url: 'http://h:1', key: 'abc', json: false, help: false });
  });

  it('says what is wrong with a bad command line', () => {
    expect(() => parseCliArgs(['a.csv', 'b.csv'])).toThrow(/one file at a time/);
    expect(() => parseCliArgs(['a.csv', '--url'])).toThrow(/--url needs a value/);
    expect(() => parseCliArgs(['a.csv', '--rows', '5'])).toThrow(/unknown option '--rows'/);
    expect(() => parseCliArgs(['a.csv', '--encoding', 'shift_jis'])).toThrow('--encoding shift_jis: ingestion reads utf-8, windows-1252, iso-8859-1 (also named utf8, cp1252, latin1)');
  });

  it('takes the file encoding by its usual names', () => {
    expect(parseCliArgs(['a.csv', '--encoding', 'CP1252'])).toMatchObject({ encoding: 'windows-1252' });
    expect(parseCliArgs(['a.csv', '--encoding=latin1'])).toMatchObject({ encoding: 'iso-8859-1' });
    expect(['utf8', 'UTF-8', 'windows-1252', 'ISO-8859-1', 'ebcdic'].map(encodingName)).toEqual(['utf-8', 'utf-8', 'windows-1252', 'iso-8859-1', undefined]);
  });
});

describe('where the CLI sends the file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'import-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the ingestion URL from the stack file and the key from the api-key file npm start writes', () => {
    writeFileSync(path.join(dir, 'stack.json'), JSON.stringify({ services: { ingestion: { url: 'http://127.0.0.1:4101/' } } }));
    writeFileSync(path.join(dir, 'api-key'), 'lsk_from_file\n');
    expect(resolveImportTarget({}, { LEADSTREAM_DATA_DIR: dir })).toEqual({
      url: 'http://127.0.0.1:4101',
      apiKey: 'lsk_from_file',
      keySource: { kind: 'file', file: path.join(dir, 'api-key') },
    });
  });

  it('prefers the options, then the environment', () => {
    writeFileSync(path.join(dir, 'api-key'), 'lsk_from_file\n');
    const env = { LEADSTREAM_DATA_DIR: dir, LEADSTREAM_API_KEY: 'lsk_env', INGESTION_URL: 'http://env:1' };
    expect(resolveImportTarget({}, env)).toEqual({ url: 'http://env:1', apiKey: 'lsk_env', keySource: { kind: 'env' } });
    expect(resolveImportTarget({ url: 'http://opt:2', key: 'lsk_opt' }, env)).toEqual({ url: 'http://opt:2', apiKey: 'lsk_opt', keySource: { kind: 'option' } });
  });

  it('says how to make a new key: through the key API, and for the key npm start made, by deleting its file', () => {
    const fromFile = newKeyAdvice({ url: 'http://127.0.0.1:3101', apiKey: 'k', keySource: { kind: 'file', file: '/srv/.data/api-key' } });
    expect(fromFile).toContain(`curl -X POST http://127.0.0.1:3101/v1/api-keys -H "Authorization: Bearer <admin key>" -H 'content-type: application/json' -d '{"name":"csv import","scopes":["ingest","read"]}'`);
    expect(fromFile).toMatch(/stop the stack, delete \/srv\/\.data\/api-key and run npm start again: it makes and prints a new one$/);
    expect(newKeyAdvice({ url: 'http://h:1', apiKey: 'k', keySource: { kind: 'option' } })).not.toMatch(/delete/);
  });

  it('says how to get a key when there is none, and refuses a URL that is not http', () => {
    expect(() => resolveImportTarget({}, { LEADSTREAM_DATA_DIR: dir })).toThrow(/no API key: pass --key/);
    expect(() => resolveImportTarget({ url: 'ftp://x', key: 'k' }, { LEADSTREAM_DATA_DIR: dir })).toThrow(/must start with http/);
  });

  it('names a missing file, and an unreachable ingestion, before anything else', async () => {
    await expect(uploadCsvFile({ url: 'http://127.0.0.1:9', apiKey: 'k' }, path.join(dir, 'nope.csv'))).rejects.toThrow(/no such file: .*nope\.csv/);
    const file = path.join(dir, 'leads.csv');
    writeFileSync(file, 'email\r\na@example.com\r\n');
    const failure = uploadCsvFile({ url: 'http://127.0.0.1:9', apiKey: 'k' }, file);
    await expect(failure).rejects.toThrow(ImportCliError);
    await expect(failure).rejects.toThrow(/cannot reach ingestion at http:\/\/127\.0\.0\.1:9/);
  });
});

describe('progress line', () => {
  it('shows a bar, the share done and the counts', () => {
    const line = progressLine({ importId: 'x', status: 'running', rowsRead: 12_000, accepted: 11_990, rejected: 10, progress: 0.5, startedAt: '' }, 2);
    expect(line).toBe(`[${'#'.repeat(15)}${'-'.repeat(15)}]  50% 12,000 rows (11,990 accepted, 10 rejected, 6,000 rows/s)`);
  });
});
