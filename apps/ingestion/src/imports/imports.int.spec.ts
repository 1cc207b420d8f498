// CSV imports against the real development broker (over TCP) and the test PostgreSQL: every kind of
// bad input in a file, the counts and rejected rows it gives, exactly the accepted rows on Kafka, and an
// import that resumes after ingestion restarts in the middle of it.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { LEADSTREAM_NAMESPACE, uuidV5 } from '@leadstream/contracts';
import { EventPublisher } from '@leadstream/platform-kafka';
import { until as waitUntil } from '@leadstream/testing';
import { startIntakeApp, TEST_ADMIN_KEY, type IntakeTestApp } from '../leads/intake-int-kit.spec';
import { IMPORTED, IMPORT_REJECTED, IMPORT_WAIT_MS, importFinished, importIdOf, importStatus, kafkaRecordsOfImport, recordsOfImport, type ImportStatus, type SeenRecord } from './imports-int-kit.spec';

const MAX_IMPORT_BYTES = 3 * 1024 * 1024;
const CHUNK_ROWS = 100;
const CHUNKS_IN_FLIGHT = 3;

let importDir: string;
let app: IntakeTestApp;

/** The records the kit read from Kafka. */
const seen = (): readonly SeenRecord[] => app.records as readonly unknown[] as readonly SeenRecord[];

const until = <T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = IMPORT_WAIT_MS): Promise<T> => waitUntil(probe, what, timeoutMs);

const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

async function upload(body: Buffer | string, contentType = 'text/csv'): Promise<Response> {
  return fetch(`${app.baseUrl}/v1/imports`, { method: 'POST', headers: { ...auth, 'content-type': contentType }, body });
}

async function startImport(body: Buffer | string, contentType = 'text/csv'): Promise<string> {
  return importIdOf(await upload(body, contentType));
}

function status(importId: string): Promise<ImportStatus> {
  return importStatus(app.baseUrl, importId, auth);
}

function finished(importId: string): Promise<ImportStatus> {
  return importFinished(app.baseUrl, importId, auth);
}

function recordsOf(importId: string, topic?: string): SeenRecord[] {
  return recordsOfImport(seen(), importId, topic);
}

function kafkaRecords(importId: string, count: number): Promise<SeenRecord[]> {
  return kafkaRecordsOfImport(seen, importId, count, 500);
}

/** Minimal RFC 4180 reader for the rejected-rows report (the production parser is tested on its own). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

beforeAll(async () => {
  importDir = mkdtempSync(path.join(os.tmpdir(), 'ingestion-imports-int-'));
  app = await startIntakeApp({
    env: {
      INGESTION_IMPORT_DIR: importDir,
      INGESTION_MAX_IMPORT_BYTES: String(MAX_IMPORT_BYTES),
      // Small chunks, so that the restart test catches an import in the middle; the default number in flight.
      INGESTION_IMPORT_CHUNK_ROWS: String(CHUNK_ROWS),
      INGESTION_IMPORT_CHUNKS_IN_FLIGHT: String(CHUNKS_IN_FLIGHT),
    },
    partitions: 3,
  });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  rmSync(importDir, { recursive: true, force: true });
}, 60_000);

describe('POST /v1/imports with a text/csv body', () => {
  it('imports the good rows of a messy file and explains every rejected one with its line', async () => {
    const megabyte = 'x'.repeat(1024 * 1024);
    const file = Buffer.concat([
      Buffer.from('\uFEFFE-mail,First Name,Company Name,Lead Source\r\n'), // 1: header with a byte-order mark and aliases
      Buffer.from('ada@example.com,Ada,"Acme, Inc.",web\r\n'), // 2: quoted comma
      Buffer.from('grace@example.com,"Grace\r\nMurray",Navy,webinar\r\n'), // 3-4: a line end inside quotes
      Buffer.from('missing@example.com,Missing\r\n'), // 5: two trailing cells left out: read as empty
      Buffer.from('extra@example.com,Extra,Co,web,surplus\r\n'), // 6: one extra column
      Buffer.from('not-an-email,Bad,Co,web\r\n'), // 7: invalid email
      Buffer.concat([Buffer.from('bad'), Buffer.from([0xff, 0xfe]), Buffer.from('@example.com,X,Co,web\r\n')]), // 8: invalid UTF-8
      Buffer.from(`big@example.com,Big,${megabyte},web\r\n`), // 9: a megabyte field
      Buffer.from('last@example.com,Last,"Quote ""Q"" Co",web\n'), // 10: doubled quotes, LF line end
      Buffer.from('trailing@example.com,Trail,Co,web,\r\n'), // 11: a blank trailing column is fine
    ]);
    // Named UTF-8, the file is read as UTF-8 even though line 8 is not: that row alone is rejected.
    const importId = await startImport(file, 'text/csv; charset=utf-8');
    expect(importId).toMatch(/^[0-9a-f-]{36}$/);

    const result = await finished(importId);
    expect(result).toMatchObject({ importId, status: 'completed', rowsRead: 9, accepted: 5, rejected: 4, progress: 1 });
    expect(result).toMatchObject({ encoding: 'utf-8', encodingSource: 'charset', delimiter: ',', delimiterName: 'comma' });
    expect(result.finishedAt).toBeDefined();
    expect(readdirSync(importDir)).not.toContain(`${importId}.csv`);

    const records = await kafkaRecords(importId, 9);
    const received = records.filter((record) => record.topic === IMPORTED);
    const rejected = records.filter((record) => record.topic === IMPORT_REJECTED);
    expect(received.map((record) => record.event.data['line']).sort((a, b) => Number(a) - Number(b))).toEqual([2, 3, 5, 10, 11]);
    expect(rejected.map((record) => record.event.data['line']).sort((a, b) => Number(a) - Number(b))).toEqual([6, 7, 8, 9]);
    const byLine = new Map(received.map((record) => [record.event.data['line'], record]));
    expect(byLine.get(2)?.event.data).toMatchObject({ channel: 'csv', importId, lead: { email: 'ada@example.com', firstName: 'Ada', company: 'Acme, Inc.', source: 'web' } });
    expect(byLine.get(3)?.event.data).toMatchObject({ lead: { email: 'grace@example.com', company: 'Navy' } });
    expect(byLine.get(5)?.event.data['lead']).toEqual({ email: 'missing@example.com', firstName: 'Missing' });
    expect(byLine.get(10)?.event.data).toMatchObject({ lead: { email: 'last@example.com', company: 'Quote "Q" Co' } });
    // Each row's identity is its import and line: the lead id is derived from them, and is the Kafka key.
    for (const record of received) {
      const leadId = uuidV5(`${importId}:${String(record.event.data['line'])}:lead`, LEADSTREAM_NAMESPACE);
      expect({ key: record.key, leadId: record.event.metadata.leadId }).toEqual({ key: leadId, leadId });
    }
    const rejectedByLine = new Map(rejected.map((record) => [record.event.data['line'], record.event.data]));
    expect(rejectedByLine.get(7)).toMatchObject({ channel: 'csv', importId, reasons: [{ field: 'email' }] });

    const report = await fetch(`${app.baseUrl}/v1/imports/${importId}/rejected`, { headers: auth });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parseCsv(await report.text());
    expect(rows[0]).toEqual(['line', 'reason', 'row']);
    expect(rows.slice(1).map((row) => row[0])).toEqual(['6', '7', '8', '9']);
    // Every reason reads "field: message".
    const reasons = Object.fromEntries(rows.slice(1).map((row) => [row[0], row[1]]));
    expect(reasons['6']).toBe('columns: line 6 has 5 fields, the header has 4 (1 extra)');
    expect(reasons['7']).toBe('email: has no @');
    expect(reasons['8']).toBe('row: invalid UTF-8 at line 8');
    expect(reasons['9']).toBe('row: field 3 is longer than 65536 bytes at line 9');
    const rawByLine = Object.fromEntries(rows.slice(1).map((row) => [row[0], row[2]]));
    expect(rawByLine['7']).toBe('not-an-email,Bad,Co,web');
  }, 90_000);

  it('completes an empty file and a header-only file with no rows and says so', async () => {
    const empty = await finished(await startImport(''));
    expect(empty).toMatchObject({ status: 'completed', rowsRead: 0, accepted: 0, rejected: 0 });
    expect(empty.note).toMatch(/empty/);

    const headerOnly = await finished(await startImport('email,firstName,company\r\n'));
    expect(headerOnly).toMatchObject({ status: 'completed', rowsRead: 0, accepted: 0, rejected: 0 });
    expect(headerOnly.note).toMatch(/header but no rows/);
  }, 60_000);

  it('fails a binary file sent as CSV, and a file without a column that can name someone, with the reason', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(3000, 7)]);
    const binary = await finished(await startImport(png));
    expect(binary).toMatchObject({ status: 'failed', rowsRead: 0, accepted: 0 });
    expect(binary.error).toMatch(/binary.*PNG/);

    const importId = await startImport('name,company\r\nAda,Acme\r\n');
    const noOne = await finished(importId);
    expect(noOne).toMatchObject({ status: 'failed', rowsRead: 0, accepted: 0, rejected: 0 });
    expect(noOne.error).toMatch(/^no column of the header \(line 1\) can name someone: it has "name", "company" \(a company column, but no name column\); a lead needs an email, a phone, an external id, or a name with a company: name a column one of email: "email", "E-mail", /);
    expect(noOne.error).toMatch(/\(or configure INGESTION_COLUMN_ALIASES_FILE\)$/);
    expect(recordsOf(importId)).toEqual([]);
  }, 60_000);

  it('imports rows with and without email: each row that names someone is a lead, each that names no one is rejected with its line', async () => {
    const file =
      'Email,First Name,Company Name,Mobile,external_id.hubspot\r\n' +
      'ada@example.com,Ada,,,\r\n' + // 2: an email
      ',Grace,US Navy,,\r\n' + // 3: a name with a company
      ',,,+1 617 555 0100,\r\n' + // 4: a phone
      ',,,,77\r\n' + // 5: an external id
      ',Alan,,,\r\n'; // 6: a name alone
    const importId = await startImport(file);
    expect(await finished(importId)).toMatchObject({ status: 'completed', rowsRead: 5, accepted: 4, rejected: 1 });
    const records = await kafkaRecords(importId, 5);
    const byLine = new Map(records.map((record) => [record.event.data['line'], record]));
    expect(byLine.get(2)?.event.data['lead']).toEqual({ email: 'ada@example.com', firstName: 'Ada' });
    expect(byLine.get(3)?.event.data['lead']).toEqual({ firstName: 'Grace', company: 'US Navy' });
    expect(byLine.get(4)?.event.data['lead']).toEqual({ phone: '+1 617 555 0100' });
    expect(byLine.get(5)?.event.data['lead']).toEqual({ externalIds: { hubspot: '77' } });
    expect(byLine.get(6)).toMatchObject({ topic: IMPORT_REJECTED, event: { data: { reasons: [{ field: '', message: expect.stringMatching(/^names no one: /) }] } } });
    const rows = parseCsv(await (await fetch(`${app.baseUrl}/v1/imports/${importId}/rejected`, { headers: auth })).text());
    expect(rows.slice(1)).toEqual([
      ['6', 'names no one: give an email, a phone, an external id, or a name with a company (a name alone is not enough: add the company or its website)', ',Alan,,,'],
    ]);
  }, 60_000);

  it('fills website from a Company Website column and rejects a row whose website is no web address, naming the line and the field', async () => {
    const file =
      'Email,Company Website\r\n' +
      'ada@gmail.com, https://www.acme.example/about \r\n' + // 2: trimmed
      'grace@gmail.com,\r\n' + // 3: blank: no website
      'alan@gmail.com,ftp://acme.example\r\n'; // 4: another scheme
    const importId = await startImport(file);
    expect(await finished(importId)).toMatchObject({ status: 'completed', rowsRead: 3, accepted: 2, rejected: 1 });
    const records = await kafkaRecords(importId, 3);
    const byLine = new Map(records.map((record) => [record.event.data['line'], record]));
    expect(byLine.get(2)).toMatchObject({ topic: IMPORTED, event: { data: { lead: { email: 'ada@gmail.com', website: 'https://www.acme.example/about' } } } });
    expect(byLine.get(3)?.event.data['lead']).toEqual({ email: 'grace@gmail.com' });
    expect(byLine.get(4)).toMatchObject({ topic: IMPORT_REJECTED, event: { data: { reasons: [{ field: 'website', message: 'must be an http or https address, not ftp:' }] } } });
    const rows = parseCsv(await (await fetch(`${app.baseUrl}/v1/imports/${importId}/rejected`, { headers: auth })).text());
    expect(rows.slice(1).map((row) => [row[0], row[1]])).toEqual([['4', 'website: must be an http or https address, not ftp:']]);
  }, 60_000);

  it('fills externalIds from external_id.<system> columns and rejects a row with a bad id, naming the line and the field', async () => {
    const file =
      'email,external_id.Salesforce,external_id.hubspot\r\n' +
      'ada@example.com, 00Q5e00000AbCdE ,1234\r\n' + // 2: both ids, trimmed
      'grace@example.com,,\r\n' + // 3: blank cells: no ids
      `alan@example.com,${'x'.repeat(201)},5\r\n`; // 4: an id over 200 characters
    const importId = await startImport(file);
    expect(await finished(importId)).toMatchObject({ status: 'completed', rowsRead: 3, accepted: 2, rejected: 1 });
    const records = await kafkaRecords(importId, 3);
    const byLine = new Map(records.map((record) => [record.event.data['line'], record]));
    expect(byLine.get(2)).toMatchObject({ topic: IMPORTED, event: { data: { lead: { email: 'ada@example.com', externalIds: { salesforce: '00Q5e00000AbCdE', hubspot: '1234' } } } } });
    expect(byLine.get(3)?.event.data['lead']).toEqual({ email: 'grace@example.com' });
    expect(byLine.get(4)).toMatchObject({ topic: IMPORT_REJECTED, event: { data: { reasons: [{ field: 'externalIds.salesforce', message: 'is longer than 200 characters (got 201)' }] } } });
    const rows = parseCsv(await (await fetch(`${app.baseUrl}/v1/imports/${importId}/rejected`, { headers: auth })).text());
    expect(rows.slice(1).map((row) => [row[0], row[1]])).toEqual([['4', 'externalIds.salesforce: is longer than 200 characters (got 201)']]);
  }, 60_000);

  it('fails a file whose external id column names no system, naming the column, and publishes nothing', async () => {
    const importId = await startImport('email,external_id.Sales Force\r\nada@example.com,1\r\n');
    const result = await finished(importId);
    expect(result).toMatchObject({ status: 'failed', rowsRead: 0, accepted: 0, rejected: 0 });
    expect(result.error).toBe(
      `the header (line 1) has external id columns that name no system: column "external_id.Sales Force": ` +
        `"Sales Force" is not a system name: use 1-40 of a-z, 0-9, '_' or '-', starting with a letter or digit`,
    );
    expect(recordsOf(importId)).toEqual([]);
  }, 60_000);

  it('imports the rows before binary bytes found late in a file, rejects that line and fails naming it', async () => {
    // The padding row puts the NUL byte beyond what the parser sniffs before the first record.
    const file = Buffer.concat([
      Buffer.from(`email,company\r\nbefore.1@example.com,Co\r\nbefore.2@example.com,${'p'.repeat(5000)}\r\nbefore.3@example.com,Co\r\n`),
      Buffer.from([0x00]),
      Buffer.from('\r\nafter@example.com,Co\r\n'),
    ]);
    const importId = await startImport(file);
    const result = await finished(importId);
    expect(result).toMatchObject({ status: 'failed', rowsRead: 4, accepted: 2, rejected: 2 });
    expect(result.error).toBe('the file is binary, not CSV text: it contains a NUL byte at line 5; the rows before line 5 were imported');
    const records = await kafkaRecords(importId, 4);
    expect(records.filter((record) => record.topic === IMPORTED).map((record) => record.event.data['line']).sort()).toEqual([2, 4]);
    expect(records.filter((record) => record.topic === IMPORT_REJECTED).map((record) => record.event.data['line']).sort()).toEqual([3, 5]);
    const rows = parseCsv(await (await fetch(`${app.baseUrl}/v1/imports/${importId}/rejected`, { headers: auth })).text());
    expect(rows.slice(1).map((row) => [row[0], row[1]])).toEqual([
      ['3', 'company: is longer than 200 characters (got 5000)'],
      ['5', 'row: the file is binary, not CSV text: it contains a NUL byte at line 5'],
    ]);
  }, 60_000);

  it('answers 413 naming the limit for a file over it, and keeps no part of it', async () => {
    const response = await upload(Buffer.alloc(MAX_IMPORT_BYTES + 1024, 'a'));
    expect(response.status).toBe(413);
    expect(JSON.stringify(await response.json())).toMatch(/larger than the import limit of 3 MiB/);
    expect(readdirSync(importDir).filter((name) => name.endsWith('.csv'))).toEqual([]);
  }, 30_000);

  it('answers 415 for another content type, 404 for an unknown import and 400 for a malformed id', async () => {
    const json = await upload('{"email":"a@example.com"}', 'application/json');
    expect(json.status).toBe(415);
    expect(JSON.stringify(await json.json())).toMatch(/text\/csv/);

    const unknown = await fetch(`${app.baseUrl}/v1/imports/0b0c6f38-6f8a-4c3e-9b8e-5b7a1e0f2a11`, { headers: auth });
    expect(unknown.status).toBe(404);
    const unknownRejected = await fetch(`${app.baseUrl}/v1/imports/0b0c6f38-6f8a-4c3e-9b8e-5b7a1e0f2a11/rejected`, { headers: auth });
    expect(unknownRejected.status).toBe(404);
    const malformed = await fetch(`${app.baseUrl}/v1/imports/not-an-id`, { headers: auth });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(await malformed.json())).toMatch(/UUID/);
  });
});

describe('files as spreadsheet tools export them', () => {
  it('reads a semicolon-separated Windows-1252 export, detecting both, and says so in the status', async () => {
    // "René", "Müller", "Straße & Söhne – 5 €" in Windows-1252 (é E9, ü FC, ß DF, ö F6, – 96, € 80); the
    // last row leaves its trailing empty cells out.
    const file = Buffer.concat([
      Buffer.from('E-mail;First Name;Last Name;Company Name;Lead Source\r\n'),
      Buffer.from('rene@example.com;Ren'),
      Buffer.from([0xe9]),
      Buffer.from(';M'),
      Buffer.from([0xfc]),
      Buffer.from('ller;"Stra'),
      Buffer.from([0xdf]),
      Buffer.from('e & S'),
      Buffer.from([0xf6]),
      Buffer.from('hne '),
      Buffer.from([0x96]),
      Buffer.from(' 5 '),
      Buffer.from([0x80]),
      Buffer.from('";fair\r\n'),
      Buffer.from('short@example.com;Short\r\n'),
      Buffer.from('bad-email;X;Y;Z;fair\r\n'),
    ]);
    const importId = await startImport(file);
    const result = await finished(importId);
    expect(result).toMatchObject({ status: 'completed', rowsRead: 3, accepted: 2, rejected: 1 });
    expect(result).toMatchObject({ encoding: 'windows-1252', encodingSource: 'detected', delimiter: ';', delimiterName: 'semicolon' });
    const records = await kafkaRecords(importId, 3);
    const leads = new Map(recordsOf(importId, IMPORTED).map((record) => [record.event.data['line'], record.event.data['lead']]));
    expect(leads.get(2)).toEqual({ email: 'rene@example.com', firstName: 'René', lastName: 'Müller', company: 'Straße & Söhne – 5 €', source: 'fair' });
    expect(leads.get(3)).toEqual({ email: 'short@example.com', firstName: 'Short' });
    expect(records.filter((record) => record.topic === IMPORT_REJECTED).map((record) => record.event.data['reasons'])).toEqual([[{ field: 'email', message: 'has no @' }]]);
  }, 60_000);

  it('reads a tab-separated file, and an ISO-8859-1 file its multipart part names', async () => {
    const tabbed = await finished(await startImport('email\tfirstName\tcompany\r\ntab@example.com\tTab\t"Tab, Inc."\r\n'));
    expect(tabbed).toMatchObject({ status: 'completed', accepted: 1, delimiter: '\t', delimiterName: 'tab', encoding: 'utf-8', encodingSource: 'detected' });

    const form = new FormData();
    const latin1 = Buffer.concat([Buffer.from('email,company\r\nlatin@example.com,Caf'), Buffer.from([0xe9]), Buffer.from('\r\n')]);
    form.append('file', new Blob([latin1], { type: 'text/csv; charset=ISO-8859-1' }), 'café-export.csv');
    const importId = await importIdOf(await fetch(`${app.baseUrl}/v1/imports`, { method: 'POST', headers: auth, body: form }));
    const result = await finished(importId);
    expect(result).toMatchObject({ status: 'completed', accepted: 1, encoding: 'iso-8859-1', encodingSource: 'charset', fileName: 'café-export.csv' });
    await kafkaRecords(importId, 1);
    expect(recordsOf(importId, IMPORTED)[0]?.event.data['lead']).toEqual({ email: 'latin@example.com', company: 'Café' });
  }, 60_000);

  it('answers 415 for a charset it cannot read, naming the ones it can', async () => {
    const response = await upload('email\r\na@example.com\r\n', 'text/csv; charset=shift_jis');
    expect(response.status).toBe(415);
    expect(((await response.json()) as { message: string }).message).toBe(
      'the charset shift_jis cannot be imported; send the file in one of utf-8, windows-1252, iso-8859-1 (or without a charset, to have it detected)',
    );
    const form = new FormData();
    form.append('file', new Blob(['email\r\na@example.com\r\n'], { type: 'text/csv; charset=ebcdic' }), 'mainframe.csv');
    const part = await fetch(`${app.baseUrl}/v1/imports`, { method: 'POST', headers: auth, body: form });
    expect(part.status).toBe(415);
    expect(((await part.json()) as { message: string }).message).toMatch(/^the charset ebcdic cannot be imported/);
    expect(readdirSync(importDir).filter((name) => name.endsWith('.csv'))).toEqual([]);
  });
});

describe('GET /v1/imports', () => {
  interface ImportList {
    imports: ImportStatus[];
    nextCursor?: string;
  }

  async function list(query: string, headers: Record<string, string> = auth): Promise<Response> {
    return fetch(`${app.baseUrl}/v1/imports${query}`, { headers });
  }

  it('lists imports newest first with file name, status and counts, page by page', async () => {
    const ids: string[] = [];
    for (const name of ['first.csv', 'second.csv', 'third.csv']) {
      const form = new FormData();
      form.append('file', new Blob([`email\r\n${name}@example.com\r\nbroken\r\n`], { type: 'text/csv' }), name);
      const id = await importIdOf(await fetch(`${app.baseUrl}/v1/imports`, { method: 'POST', headers: auth, body: form }));
      await finished(id);
      ids.push(id);
    }
    const first = await list('?limit=2');
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as ImportList;
    expect(page1.imports.map((entry) => entry.importId)).toEqual([ids[2], ids[1]]);
    expect(page1.imports[0]).toMatchObject({ fileName: 'third.csv', status: 'completed', rowsRead: 2, accepted: 1, rejected: 1, encoding: 'utf-8', delimiter: ',' });
    expect(page1.nextCursor).toBe(ids[1]);

    const page2 = (await (await list(`?limit=2&cursor=${page1.nextCursor}`)).json()) as ImportList;
    expect(page2.imports[0]).toMatchObject({ importId: ids[0], fileName: 'first.csv', status: 'completed' });
    // Walking every page gives every import once, each page older than the one before.
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await (await list(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json()) as ImportList;
      all.push(...page.imports.map((entry) => entry.importId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    expect(all.slice(0, 3)).toEqual([ids[2], ids[1], ids[0]]);
    const byDefault = (await (await list('')).json()) as ImportList;
    expect(byDefault.imports.length).toBe(Math.min(20, all.length));
  }, 60_000);

  it('answers 400 naming the parameter for a bad limit or cursor, and needs a key', async () => {
    for (const [query, pattern] of [
      ['?limit=0', /^limit: must be a whole number from 1 to 100, got "0"$/],
      ['?limit=abc', /^limit: /],
      ['?limit=101', /^limit: /],
      ['?cursor=nope', /^cursor: must be the nextCursor of an earlier page/],
      ['?cursor=0b0c6f38-6f8a-4c3e-9b8e-5b7a1e0f2a11', /^cursor: no import with id 0b0c6f38-6f8a-4c3e-9b8e-5b7a1e0f2a11/],
    ] as const) {
      const response = await list(query);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(((await response.json()) as { message: string }).message).toMatch(pattern);
    }
    expect((await list('', {})).status).toBe(401);
  });

  it('is in the OpenAPI document, with its parameters and the status fields', async () => {
    const document = (await (await fetch(`${app.baseUrl}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses?: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const listing = document.paths['/v1/imports']?.['get'];
    expect(listing?.parameters?.map((parameter) => `${parameter.in}:${parameter.name}`).sort()).toEqual(['query:cursor', 'query:limit']);
    expect(Object.keys(listing?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400']));
    expect(Object.keys(document.components.schemas['ImportListDto']?.properties ?? {}).sort()).toEqual(['imports', 'nextCursor']);
    expect(Object.keys(document.components.schemas['ImportStatusDto']?.properties ?? {})).toEqual(
      expect.arrayContaining(['fileName', 'status', 'rowsRead', 'accepted', 'rejected', 'encoding', 'encodingSource', 'delimiter', 'delimiterName']),
    );
  });
});

describe('an upload cut short by the client', () => {
  it('keeps no partial file and records no import; ingestion goes on serving', async () => {
    const { port } = new URL(app.baseUrl);
    await new Promise<void>((resolve) => {
      const request = http.request({ host: '127.0.0.1', port: Number(port), path: '/v1/imports', method: 'POST', headers: { ...auth, 'content-type': 'text/csv', 'transfer-encoding': 'chunked' } });
      request.on('error', () => resolve());
      request.on('close', () => resolve());
      request.write('email\r\n');
      for (let i = 0; i < 1000; i++) request.write(`cut.${i}@example.com\r\n`);
      setTimeout(() => request.destroy(), 300);
    });
    await until(async () => (readdirSync(importDir).filter((name) => name.endsWith('.csv')).length === 0 ? true : undefined), 'the partial file to be removed', 10_000);
    expect((await fetch(`${app.baseUrl}/health/live`)).status).toBe(200);
  });
});

describe('POST /v1/imports with a multipart/form-data upload', () => {
  it('imports the part named file and skips the other fields', async () => {
    const form = new FormData();
    form.append('comment', 'weekly export');
    form.append('file', new Blob(['Email Address,Surname\r\nm.one@example.com,One\r\nm.two@example.com,Two\r\n'], { type: 'text/csv' }), 'webinar-leads.csv');
    const response = await fetch(`${app.baseUrl}/v1/imports`, { method: 'POST', headers: auth, body: form });
    expect(response.status).toBe(202);
    const { importId } = (await response.json()) as { importId: string };
    const result = await finished(importId);
    expect(result).toMatchObject({ status: 'completed', rowsRead: 2, accepted: 2, rejected: 0, fileName: 'webinar-leads.csv' });
    const records = await kafkaRecords(importId, 2);
    expect(records.map((record) => (record.event.data['lead'] as { email: string; lastName: string }).lastName).sort()).toEqual(['One', 'Two']);
  }, 60_000);

  it('answers 400 when no part is named file', async () => {
    const form = new FormData();
    form.append('upload', new Blob(['email\r\na@example.com\r\n']), 'leads.csv');
    const response = await fetch(`${app.baseUrl}/v1/imports`, { method: 'POST', headers: auth, body: form });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/no part named \\"file\\"/);
  });
});

describe('an import interrupted by a restart of ingestion', () => {
  it('resumes after its last committed line: every row reaches Kafka once, none is lost', async () => {
    const rows = 20_000;
    // Semicolons and Windows-1252 ("Café"): the resumed run reads the file as the first run did.
    const lines = ['email;firstName;company'];
    for (let i = 0; i < rows; i++) lines.push(`restart.${i}@example.com;Row${i};Restart Caf\u00e9`);
    const importId = await startImport(Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'));

    // Let some chunks commit, then stop ingestion in the middle of the file.
    const beforeStop = await until(async () => {
      const current = await status(importId);
      return current.rowsRead > 0 ? current : undefined;
    }, 'the first chunk to commit', 30_000);
    await app.stopIngestion();
    // Stopped in the middle (if this fails, the import finished before the stop and the test proved nothing).
    expect(beforeStop.status).toBe('running');
    expect(beforeStop.rowsRead).toBeLessThan(rows);

    await app.startIngestion();
    const result = await finished(importId);
    expect(result).toMatchObject({ status: 'completed', rowsRead: rows, accepted: rows, rejected: 0, encoding: 'windows-1252', delimiter: ';' });

    const records = await kafkaRecords(importId, rows);
    expect(records.filter((record) => (record.event.data['lead'] as { company?: string }).company !== 'Restart Café')).toEqual([]);
    const leadIdsByLine = new Map<number, Set<string>>();
    for (const record of records) {
      const line = Number(record.event.data['line']);
      const ids = leadIdsByLine.get(line) ?? new Set<string>();
      ids.add(record.event.metadata.leadId);
      leadIdsByLine.set(line, ids);
    }
    const missing = Array.from({ length: rows }, (_, i) => i + 2).filter((line) => !leadIdsByLine.has(line));
    expect(missing).toEqual([]);
    expect([...leadIdsByLine.values()].filter((ids) => ids.size !== 1)).toEqual([]);
    // A graceful stop records the chunk Kafka acknowledged before stopping: nothing is published twice.
    expect(new Set(records.map((record) => record.event.metadata.eventId)).size).toBe(rows);
    expect(records).toHaveLength(rows);
  }, 120_000);
});

describe('chunks in flight', () => {
  it('records chunks in file order: a later chunk Kafka acknowledged first is not counted before the earlier one', async () => {
    const publisher = app.provider(EventPublisher);
    const rows = (CHUNKS_IN_FLIGHT + 1) * CHUNK_ROWS; // one chunk more than can be in flight
    const lines = ['email,company'];
    for (let i = 0; i < rows; i++) lines.push(`order.${i}@example.com,Order Co`);
    // Hold the acknowledgement of the first chunk of this import until released.
    let release: (() => void) | undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = false;
    const original = publisher.publishRecords.bind(publisher);
    const spy = jest.spyOn(publisher, 'publishRecords').mockImplementation(async (records) => {
      const holdThis = !held && records.some((record) => String(record.value).includes('order.0@example.com'));
      if (holdThis) held = true;
      const published = await original(records);
      if (holdThis) await released;
      return published;
    });
    try {
      const importId = await startImport(`${lines.join('\r\n')}\r\n`);
      // The later chunks in flight are in Kafka, acknowledged, while the first waits for its acknowledgement...
      await until(async () => {
        const lines = seen().filter((record) => record.event.data['importId'] === importId).map((record) => Number(record.event.data['line']));
        return lines.includes(2) && lines.includes((CHUNKS_IN_FLIGHT - 1) * CHUNK_ROWS + 2) ? true : undefined;
      }, 'the chunks in flight to reach Kafka');
      await new Promise((resolve) => setTimeout(resolve, 300));
      // ...and nothing is recorded: committed_line only moves over rows whose chunks (and every earlier one) Kafka acknowledged.
      expect(await status(importId)).toMatchObject({ status: 'running', rowsRead: 0, accepted: 0 });
      // The chunk after those in flight is not published until the first is recorded (line 1 is the header).
      const lastInFlight = CHUNKS_IN_FLIGHT * CHUNK_ROWS + 1;
      expect(seen().some((record) => record.event.data['importId'] === importId && Number(record.event.data['line']) > lastInFlight)).toBe(false);
      release?.();
      const result = await finished(importId);
      expect(result).toMatchObject({ status: 'completed', rowsRead: rows, accepted: rows, rejected: 0 });
      const records = await kafkaRecords(importId, rows);
      expect(records).toHaveLength(rows);
    } finally {
      release?.();
      spy.mockRestore();
    }
  }, 60_000);
});

describe('an import while Kafka is unavailable', () => {
  it('pauses, keeps retrying, and completes with every row once Kafka is back', async () => {
    const rows = 5_000;
    const lines = ['email,company'];
    for (let i = 0; i < rows; i++) lines.push(`outage.${i}@example.com,Outage Co`);
    await app.stopBroker();
    const importId = await startImport(`${lines.join('\r\n')}\r\n`);

    // Nothing can be acknowledged: the import waits at its first chunk instead of skipping rows.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await status(importId)).toMatchObject({ status: 'running', rowsRead: 0, accepted: 0 });

    await app.restartBroker();
    const result = await finished(importId);
    expect(result).toMatchObject({ status: 'completed', rowsRead: rows, accepted: rows, rejected: 0 });

    // Read back by the kit's consumer, which rejoins once the broker is back.
    const linesSeen = (): Set<number> => new Set(recordsOf(importId, IMPORTED).map((record) => Number(record.event.data['line'])));
    const lineSeen = await until(async () => {
      const lines = linesSeen();
      return lines.size >= rows ? lines : undefined;
    }, `the ${rows} rows on Kafka`);
    expect(Array.from({ length: rows }, (_, i) => i + 2).filter((line) => !lineSeen.has(line))).toEqual([]);
  }, 120_000);
});
