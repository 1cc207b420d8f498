import { createCsvLeadReader, type CsvLeadOutcome, type CsvLeadReaderOptions } from './csv-lead-reader';
import { DEFAULT_INTAKE_RULES } from './intake-rules';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function read(input: Uint8Array | string, options?: CsvLeadReaderOptions, chunkSize?: number): CsvLeadOutcome[] {
  const bytes = typeof input === 'string' ? utf8(input) : input;
  const reader = createCsvLeadReader(options);
  const out: CsvLeadOutcome[] = [];
  const size = chunkSize ?? Math.max(bytes.length, 1);
  for (let at = 0; at < bytes.length; at += size) out.push(...reader.push(bytes.subarray(at, at + size)));
  out.push(...reader.end());
  return out;
}

const FILE =
  '\uFEFFE-mail,First Name,Company Name,Notes,utm_source\r\n' +
  'ada@example.com,Ada,"Analytical Engines, Ltd.","said ""hi""\r\ntwice",newsletter\r\n' +
  'no-at-sign,Bob,Acme,,\r\n' +
  'short@example.com,Short\r\n' +
  'long@example.com,Long,Acme,x,y,unexpected\r\n' +
  'grace@example.com,Grace,,,\r\n';

describe('createCsvLeadReader', () => {
  it('gives one outcome per line: leads, and rejected rows with their line, reasons and values', () => {
    const outcomes = read(FILE);
    expect(outcomes).toEqual([
      {
        kind: 'lead',
        line: 2,
        lead: { email: 'ada@example.com', firstName: 'Ada', company: 'Analytical Engines, Ltd.', attribution: { utmSource: 'newsletter' } },
        attribution: { utmSource: 'newsletter' },
      },
      { kind: 'rejected', line: 4, errors: [{ field: 'email', message: 'email has no @' }], fields: ['no-at-sign', 'Bob', 'Acme', '', ''] },
      {
        kind: 'rejected',
        line: 5,
        errors: [{ field: 'columns', message: 'line 5 has 2 fields, the header has 5 (3 missing)' }],
        fields: ['short@example.com', 'Short'],
      },
      {
        kind: 'rejected',
        line: 6,
        errors: [{ field: 'columns', message: 'line 6 has 6 fields, the header has 5 (1 extra)' }],
        fields: ['long@example.com', 'Long', 'Acme', 'x', 'y', 'unexpected'],
      },
      { kind: 'lead', line: 7, lead: { email: 'grace@example.com', firstName: 'Grace' }, attribution: {} },
    ]);
    expect(read(FILE, undefined, 3)).toEqual(outcomes);
  });

  it('exposes the header mapping, with the ignored columns', () => {
    const reader = createCsvLeadReader();
    reader.push(utf8('Email,Favourite Colour,__proto__\na@b.co,blue,x\n'));
    reader.end();
    expect(reader.mapping).toEqual({ columns: ['email', null, null], unknown: ['Favourite Colour', '__proto__'], duplicates: [], missingRequired: [] });
  });

  it('rejects a row that is not UTF-8 and imports the rest', () => {
    const bytes = new Uint8Array([...utf8('email,first name\n'), ...utf8('a@b.co,'), 0xff, 0x0a, ...utf8('c@d.co,Zoë\n')]);
    expect(read(bytes)).toEqual([
      { kind: 'rejected', line: 2, errors: [{ field: 'row', message: 'invalid UTF-8 at line 2' }] },
      { kind: 'lead', line: 3, lead: { email: 'c@d.co', firstName: 'Zoë' }, attribution: {} },
    ]);
  });

  it('rejects a row with a megabyte field and imports the rest', () => {
    const outcomes = read(`email,given name\na@b.co,${'x'.repeat(1_048_576)}\nc@d.co,Cy\n`, undefined, 65_536);
    expect(outcomes).toEqual([
      { kind: 'rejected', line: 2, errors: [{ field: 'row', message: 'field 2 is longer than 65536 bytes at line 2' }] },
      { kind: 'lead', line: 3, lead: { email: 'c@d.co', firstName: 'Cy' }, attribution: {} },
    ]);
  });

  it('rejects a field over the rules length limit with the field named', () => {
    expect(read(`email,company\na@b.co,${'c'.repeat(5000)}\n`)).toEqual([
      {
        kind: 'rejected',
        line: 2,
        errors: [{ field: 'company', message: 'company is longer than 200 characters (got 5000)' }],
        fields: ['a@b.co', 'c'.repeat(5000)],
      },
    ]);
  });

  it.each([
    ['an empty file', '', 'the file is empty: it has no header row and no data'],
    ['a file of blank lines', '\r\n\r\n', 'the file is empty: it has no header row and no data'],
    ['a header-only file', 'email,firstName\r\n', 'the file has a header row but no data rows'],
  ])('fails %s as a whole', (_case, input, message) => {
    expect(read(input)).toEqual([{ kind: 'file-error', line: 1, message }]);
  });

  it('fails a binary file as a whole', () => {
    const outcomes = read(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0x41, 0x0a]));
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ kind: 'file-error', line: 1 });
    expect((outcomes[0] as { message: string }).message).toMatch(/binary.*xlsx/);
  });

  it('fails a file whose header has no email column, naming the column names it looked for', () => {
    const outcomes = read('Name,Company\nAda,Acme\n');
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ kind: 'file-error', line: 1 });
    expect((outcomes[0] as { message: string }).message).toMatch(/^the header has no column for email \(a column named "email" or "E-mail" or "Email Address"/);
  });

  it('fails a file whose header is not UTF-8', () => {
    expect(read(new Uint8Array([0x65, 0xff, 0x0a, 0x61, 0x0a]))).toEqual([
      { kind: 'file-error', line: 1, message: 'the header cannot be read: invalid UTF-8 at line 1' },
    ]);
  });

  it('requires the columns the rules require', () => {
    const rules = { ...DEFAULT_INTAKE_RULES, required: ['email', 'company'] as const };
    const outcomes = read('email,name\na@b.co,Ada\n', { rules: { ...rules, required: [...rules.required] } });
    expect(outcomes).toHaveLength(1);
    expect((outcomes[0] as { message: string }).message).toMatch(/no column for company/);
  });

  it('resumes after a line: earlier lines give nothing, later ones are read as before', () => {
    const all = read(FILE);
    const resumed = read(FILE, { resumeAfterLine: 4 });
    expect(resumed).toEqual(all.filter((outcome) => outcome.line > 4));
    expect(resumed.map((outcome) => outcome.line)).toEqual([5, 6, 7]);
  });

  it('does not call a resumed file with every row already read header-only', () => {
    expect(read('email\na@b.co\n', { resumeAfterLine: 2 })).toEqual([]);
  });
});
