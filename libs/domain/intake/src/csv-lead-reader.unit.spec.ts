import { NAMES_NO_ONE } from '@leadstream/contracts';
import { createCsvLeadReader, type CsvLeadOutcome, type CsvLeadReaderOptions } from './csv-lead-reader';
import { DEFAULT_COLUMN_ALIASES } from './header-mapping';
import { DEFAULT_INTAKE_RULES } from './intake-rules';
import type { LeadFieldName } from './lead-field-names';

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
        fields: ['ada@example.com', 'Ada', 'Analytical Engines, Ltd.', 'said "hi"\r\ntwice', 'newsletter'],
      },
      { kind: 'rejected', line: 4, errors: [{ field: 'email', message: 'has no @' }], fields: ['no-at-sign', 'Bob', 'Acme', '', ''] },
      // Trailing cells left out: read as empty.
      { kind: 'lead', line: 5, lead: { email: 'short@example.com', firstName: 'Short' }, attribution: {}, fields: ['short@example.com', 'Short'] },
      {
        kind: 'rejected',
        line: 6,
        errors: [{ field: 'columns', message: 'line 6 has 6 fields, the header has 5 (1 extra)' }],
        fields: ['long@example.com', 'Long', 'Acme', 'x', 'y', 'unexpected'],
      },
      { kind: 'lead', line: 7, lead: { email: 'grace@example.com', firstName: 'Grace' }, attribution: {}, fields: ['grace@example.com', 'Grace', '', '', ''] },
    ]);
    expect(read(FILE, undefined, 3)).toEqual(outcomes);
  });

  it('exposes the header mapping, with the ignored columns', () => {
    const reader = createCsvLeadReader();
    reader.push(utf8('Email,Favourite Colour,__proto__\na@b.co,blue,x\n'));
    reader.end();
    expect(reader.mapping).toEqual({
      columns: ['email', null, null],
      externalIds: [],
      invalid: [],
      unknown: ['Favourite Colour', '__proto__'],
      duplicates: [],
      missingRequired: [],
      canNameSomeone: true,
    });
  });

  it('rejects a row that is not UTF-8 and imports the rest', () => {
    const bytes = new Uint8Array([...utf8('email,first name\n'), ...utf8('a@b.co,'), 0xff, 0x0a, ...utf8('c@d.co,Zoë\n')]);
    expect(read(bytes)).toEqual([
      { kind: 'rejected', line: 2, errors: [{ field: 'row', message: 'invalid UTF-8 at line 2' }] },
      { kind: 'lead', line: 3, lead: { email: 'c@d.co', firstName: 'Zoë' }, attribution: {}, fields: ['c@d.co', 'Zoë'] },
    ]);
  });

  it('rejects a row with a megabyte field and imports the rest', () => {
    const outcomes = read(`email,given name\na@b.co,${'x'.repeat(1_048_576)}\nc@d.co,Cy\n`, undefined, 65_536);
    expect(outcomes).toEqual([
      { kind: 'rejected', line: 2, errors: [{ field: 'row', message: 'field 2 is longer than 65536 bytes at line 2' }] },
      { kind: 'lead', line: 3, lead: { email: 'c@d.co', firstName: 'Cy' }, attribution: {}, fields: ['c@d.co', 'Cy'] },
    ]);
  });

  it('rejects a field over the rules length limit with the field named', () => {
    expect(read(`email,company\na@b.co,${'c'.repeat(5000)}\n`)).toEqual([
      {
        kind: 'rejected',
        line: 2,
        errors: [{ field: 'company', message: 'is longer than 200 characters (got 5000)' }],
        fields: ['a@b.co', 'c'.repeat(5000)],
      },
    ]);
  });

  it.each([
    ['an empty file', '', 'the file is empty: no header and no rows'],
    ['a file of blank lines', '\r\n\r\n', 'the file is empty: no header and no rows'],
    ['a header-only file', 'email,firstName\r\n', 'the file has a header but no rows'],
  ])('ends %s with no rows, which is not an error', (_case, input, message) => {
    expect(read(input)).toEqual([{ kind: 'no-rows', message }]);
  });

  it('fails a binary file as a whole', () => {
    const outcomes = read(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0x41, 0x0a]));
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ kind: 'file-error', line: 1 });
    expect((outcomes[0] as { message: string }).message).toMatch(/binary.*xlsx/);
  });

  describe('a header must have a column that can name someone', () => {
    const WOULD_DO =
      'a lead needs an email, a phone, an external id, or a name with a company: name a column one of ' +
      'email: "email", "E-mail", "Email Address", "E-mail Address", "Mail", "Work Email", "Business Email"; ' +
      'or phone: "phone", "Phone Number", "Mobile", "Mobile Phone", "Mobile Number", "Tel", "Telephone", "Work Phone"; ' +
      'or "external_id.<system>" (such as "external_id.salesforce"); ' +
      'or have a name column (firstName: "firstName", "First Name", "Given Name", "Forename", "First"; or lastName: "lastName", "Last Name", "Surname", "Family Name", "Last") ' +
      'and a company column (company: "company", "Company Name", "Organisation", "Organization", "Organisation Name", "Organization Name", "Account", "Account Name", "Employer"; ' +
      'or website: "website", "Company Website", "Website URL", "Web", "URL", "Homepage", "Company URL", "Company Domain", "Company Domain Name")';

    it('given a header without any such column, then the file fails, naming its columns and the column names that would do', () => {
      expect(read('Name,Company\nAda,Acme\n')).toEqual([
        { kind: 'file-error', line: 1, message: `no column of the header (line 1) can name someone: it has "Name", "Company" (a company column, but no name column); ${WOULD_DO}` },
      ]);
    });

    it('given a header with name columns but no company column, then the file fails saying so', () => {
      const [outcome] = read('First Name,Last Name,Job Title\nAda,Lovelace,CTO\n');
      expect(outcome).toMatchObject({ kind: 'file-error', line: 1 });
      expect((outcome as { message: string }).message).toMatch(/^no column of the header \(line 1\) can name someone: it has "First Name", "Last Name", "Job Title" \(a name column, but no company or website column\); a lead needs /);
    });

    it('names the header line and says when the header is blank', () => {
      const outcomes = read('\r\n\r\n,,\r\na@b.co,x,y\r\n');
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]).toMatchObject({ kind: 'file-error', line: 3 });
      expect((outcomes[0] as { message: string }).message).toMatch(/^no column of the header \(line 3\) can name someone \(the header is blank\): it has "", "", ""; /);
    });

    it.each([
      ['a phone column', 'Mobile,Country\n+44 20 7183 8750,GB\n', { phone: '+44 20 7183 8750', country: 'GB' }],
      ['an external id column', 'external_id.Salesforce,Job Title\n00Q5e00000AbCdE,CTO\n', { title: 'CTO', externalIds: { salesforce: '00Q5e00000AbCdE' } }],
      ['a name and a company column', 'Surname,Company Name\nLovelace,Analytical Engines\n', { lastName: 'Lovelace', company: 'Analytical Engines' }],
    ])('given a header with %s and no email column, then its rows are leads', (_case, file, lead) => {
      expect(read(file)).toEqual([{ kind: 'lead', line: 2, lead, attribution: {}, fields: expect.any(Array) }]);
    });

    it('given rows with and without email, then each row that names someone is a lead and each that names no one is rejected with its line', () => {
      const file =
        'Email,First Name,Company,Phone\n' +
        'ada@example.com,Ada,,\n' + // 2: an email
        ',Grace,US Navy,\n' + // 3: a name with a company
        ',,,+1 617 555 0100\n' + // 4: a phone
        ',Alan,,\n' + // 5: a name alone
        ',,,\n' + // 6: nothing at all
        'bad-address,Bob,Acme,\n' + // 7: a malformed email: that is the reason given
        'katherine@nasa.example,,,\n'; // 8
      expect(read(file)).toEqual([
        { kind: 'lead', line: 2, lead: { email: 'ada@example.com', firstName: 'Ada' }, attribution: {}, fields: ['ada@example.com', 'Ada', '', ''] },
        { kind: 'lead', line: 3, lead: { firstName: 'Grace', company: 'US Navy' }, attribution: {}, fields: ['', 'Grace', 'US Navy', ''] },
        { kind: 'lead', line: 4, lead: { phone: '+1 617 555 0100' }, attribution: {}, fields: ['', '', '', '+1 617 555 0100'] },
        {
          kind: 'rejected',
          line: 5,
          errors: [{ field: '', message: `${NAMES_NO_ONE} (a name alone is not enough: add the company or its website)` }],
          fields: ['', 'Alan', '', ''],
        },
        { kind: 'rejected', line: 6, errors: [{ field: '', message: NAMES_NO_ONE }], fields: ['', '', '', ''] },
        { kind: 'rejected', line: 7, errors: [{ field: 'email', message: 'has no @' }], fields: ['bad-address', 'Bob', 'Acme', ''] },
        { kind: 'lead', line: 8, lead: { email: 'katherine@nasa.example' }, attribution: {}, fields: ['katherine@nasa.example', '', '', ''] },
      ]);
    });
  });

  describe('website column', () => {
    it('fills website from a Company Website column, and rejects a row whose website is no web address, naming the field', () => {
      expect(read('Email,Company Website\nada@gmail.com,https://www.acme.com/about\ngrace@gmail.com,acme dot com\nalan@gmail.com,\n')).toEqual([
        { kind: 'lead', line: 2, lead: { email: 'ada@gmail.com', website: 'https://www.acme.com/about' }, attribution: {}, fields: ['ada@gmail.com', 'https://www.acme.com/about'] },
        { kind: 'rejected', line: 3, errors: [{ field: 'website', message: expect.stringMatching(/^must not contain spaces/) }], fields: ['grace@gmail.com', 'acme dot com'] },
        { kind: 'lead', line: 4, lead: { email: 'alan@gmail.com' }, attribution: {}, fields: ['alan@gmail.com', ''] },
      ]);
    });
  });

  describe('external id columns', () => {
    const HEADER = 'email,external_id.salesforce,External_ID.HubSpot\n';

    it('fills externalIds from external_id.<system> columns, dropping blank cells', () => {
      expect(read(`${HEADER}ada@example.com, 00Q5e00000AbCdE ,1234\ngrace@example.com,,\nalan@example.com,,99\n`)).toEqual([
        {
          kind: 'lead',
          line: 2,
          lead: { email: 'ada@example.com', externalIds: { salesforce: '00Q5e00000AbCdE', hubspot: '1234' } },
          attribution: {},
          fields: ['ada@example.com', ' 00Q5e00000AbCdE ', '1234'],
        },
        { kind: 'lead', line: 3, lead: { email: 'grace@example.com' }, attribution: {}, fields: ['grace@example.com', '', ''] },
        { kind: 'lead', line: 4, lead: { email: 'alan@example.com', externalIds: { hubspot: '99' } }, attribution: {}, fields: ['alan@example.com', '', '99'] },
      ]);
    });

    it('rejects a row whose id is too long, with its line and the field', () => {
      const outcomes = read(`${HEADER}ada@example.com,${'x'.repeat(201)},1\ngrace@example.com,ok,2\n`);
      expect(outcomes[0]).toEqual({
        kind: 'rejected',
        line: 2,
        errors: [{ field: 'externalIds.salesforce', message: 'is longer than 200 characters (got 201)' }],
        fields: ['ada@example.com', 'x'.repeat(201), '1'],
      });
      expect(outcomes[1]).toMatchObject({ kind: 'lead', line: 3, lead: { externalIds: { salesforce: 'ok', hubspot: '2' } } });
    });

    it('rejects a row with ids of more than 10 systems, and takes one with 10', () => {
      const systems = Array.from({ length: 11 }, (_, index) => `external_id.crm${index}`);
      const ids = (count: number): string => Array.from({ length: 11 }, (_, index) => (index < count ? `id${index}` : '')).join(',');
      const outcomes = read(`email,${systems.join(',')}\nada@example.com,${ids(11)}\ngrace@example.com,${ids(10)}\n`);
      expect(outcomes[0]).toMatchObject({ kind: 'rejected', line: 2, errors: [{ field: 'externalIds', message: 'at most 10 systems, got 11' }] });
      expect(outcomes[1]).toMatchObject({ kind: 'lead', line: 3 });
      expect(Object.keys((outcomes[1] as { lead: { externalIds: object } }).lead.externalIds)).toHaveLength(10);
    });

    it('fails a file whose header has an external id column that names no system, naming the column', () => {
      expect(read('email,external_id.Sales Force\nada@example.com,1\n')).toEqual([
        {
          kind: 'file-error',
          line: 1,
          message:
            `the header (line 1) has external id columns that name no system: column "external_id.Sales Force": ` +
            `"Sales Force" is not a system name: use 1-40 of a-z, 0-9, '_' or '-', starting with a letter or digit`,
        },
      ]);
    });
  });

  it('fails a file whose header is not UTF-8', () => {
    expect(read(new Uint8Array([0x65, 0xff, 0x0a, 0x61, 0x0a]))).toEqual([
      { kind: 'file-error', line: 1, message: 'the header (line 1) cannot be read: invalid UTF-8 at line 1' },
    ]);
  });

  describe('the columns the intake rules require', () => {
    const rules = { ...DEFAULT_INTAKE_RULES, version: 'strict-2', required: ['email', 'company'] as LeadFieldName[] };

    it('refuses a header without a column for a configured required field, naming the field, the rules and the names that fill it', () => {
      const outcomes = read('email,first name\na@b.co,Ada\n', { rules });
      expect(outcomes).toEqual([
        {
          kind: 'file-error',
          line: 1,
          message:
            'no column of the header (line 1) maps to company: it has "email", "first name"; the intake rules (version "strict-2") require company; ' +
            'name the column one of company: "company", "Company Name", "Organisation", "Organization", "Organisation Name", "Organization Name", "Account", "Account Name", "Employer"',
        },
      ]);
    });

    it('names every missing required field', () => {
      const [outcome] = read('first name\nAda\n', { rules });
      expect(outcome).toMatchObject({ kind: 'file-error', line: 1 });
      expect((outcome as { message: string }).message).toMatch(/^no column of the header \(line 1\) maps to email, company: .*require email, company; name a column for each of email: "email", .*; company: "company", /);
    });

    it('given rules that require email, then a header with a phone column but no email column still fails, and a row without email is rejected', () => {
      const emailFirst = { ...DEFAULT_INTAKE_RULES, version: 'email-first', required: ['email'] as LeadFieldName[] };
      expect(read('Phone\n+44 20 7183 8750\n', { rules: emailFirst })).toEqual([
        {
          kind: 'file-error',
          line: 1,
          message:
            'no column of the header (line 1) maps to email: it has "Phone"; the intake rules (version "email-first") require email; ' +
            'name the column one of email: "email", "E-mail", "Email Address", "E-mail Address", "Mail", "Work Email", "Business Email"',
        },
      ]);
      expect(read('Email,Phone\n,+44 20 7183 8750\nada@example.com,\n', { rules: emailFirst })).toEqual([
        { kind: 'rejected', line: 2, errors: [{ field: 'email', message: 'is required' }], fields: ['', '+44 20 7183 8750'] },
        { kind: 'lead', line: 3, lead: { email: 'ada@example.com' }, attribution: {}, fields: ['ada@example.com', ''] },
      ]);
    });

    it('takes a required field from a column named by a configured alias', () => {
      const outcomes = read('email,Firma\na@b.co,Acme\n', { rules, aliases: { ...DEFAULT_COLUMN_ALIASES, company: ['Firma'] } });
      expect(outcomes).toMatchObject([{ kind: 'lead', line: 2, lead: { email: 'a@b.co', company: 'Acme' } }]);
    });

    it('lets a field the rules do not require be absent from the header', () => {
      expect(read('email,company\na@b.co,Acme\n', { rules })).toMatchObject([{ kind: 'lead', line: 2, lead: { email: 'a@b.co', company: 'Acme' } }]);
      // The default rules require nothing beyond naming someone: a file of emails alone is a file of leads.
      expect(read('email\na@b.co\n')).toMatchObject([{ kind: 'lead', line: 2, lead: { email: 'a@b.co' } }]);
    });

    it('still rejects a row whose required value is blank, with its line', () => {
      expect(read('email,company\na@b.co,\nc@d.co,Acme\n', { rules })).toEqual([
        { kind: 'rejected', line: 2, errors: [{ field: 'company', message: 'is required' }], fields: ['a@b.co', ''] },
        { kind: 'lead', line: 3, lead: { email: 'c@d.co', company: 'Acme' }, attribution: {}, fields: ['c@d.co', 'Acme'] },
      ]);
    });
  });

  it('gives a rejected row its source column as written, for reports per source', () => {
    expect(read('email,Lead Source\nnot-an-email, Webinar \n')).toEqual([
      { kind: 'rejected', line: 2, errors: [{ field: 'email', message: 'has no @' }], fields: ['not-an-email', ' Webinar '], source: ' Webinar ' },
    ]);
  });

  it('rejects the line where binary bytes begin after some rows, then ends the file there', () => {
    // The long line puts the NUL byte beyond the bytes the parser sniffs before the first record.
    const bytes = new Uint8Array([...utf8(`email\na@b.co\n${'x'.repeat(5000)}\nc@d.co\n`), 0x00, ...utf8('\ne@f.co\n')]);
    for (const chunkSize of [7, 4096, bytes.length]) {
      expect(read(bytes, undefined, chunkSize)).toEqual([
        { kind: 'lead', line: 2, lead: { email: 'a@b.co' }, attribution: {}, fields: ['a@b.co'] },
        { kind: 'rejected', line: 3, errors: [{ field: 'email', message: 'is longer than 254 characters (got 5000)' }], fields: ['x'.repeat(5000)] },
        { kind: 'lead', line: 4, lead: { email: 'c@d.co' }, attribution: {}, fields: ['c@d.co'] },
        { kind: 'rejected', line: 5, errors: [{ field: 'row', message: 'the file is binary, not CSV text: it contains a NUL byte at line 5' }] },
        { kind: 'file-error', line: 5, message: 'the file is binary, not CSV text: it contains a NUL byte at line 5' },
      ]);
    }
  });

  it('resumes after a line: earlier lines give nothing, later ones are read as before', () => {
    const all = read(FILE);
    const resumed = read(FILE, { resumeAfterLine: 4 });
    const lineOf = (outcome: CsvLeadOutcome): number => (outcome.kind === 'no-rows' ? 0 : outcome.line);
    expect(resumed).toEqual(all.filter((outcome) => lineOf(outcome) > 4));
    expect(resumed.map(lineOf)).toEqual([5, 6, 7]);
  });

  it('does not call a resumed file with every row already read header-only', () => {
    expect(read('email\na@b.co\n', { resumeAfterLine: 2 })).toEqual([]);
  });
});

describe('createCsvLeadReader: files as spreadsheet tools export them', () => {
  it.each([
    ['semicolon', ';', 'E-mail;First Name;Company Name\r\nada@example.com;Ada;"Engines; Ltd."\r\nbob@example.com;Bob\r\n'],
    ['tab', '\t', 'E-mail\tFirst Name\tCompany Name\nada@example.com\tAda\tEngines; Ltd.\nbob@example.com\tBob\n'],
  ])('detects a %s delimiter from the header, in chunks of any size', (_case, delimiter, text) => {
    const expected = [
      { kind: 'lead', line: 2, lead: { email: 'ada@example.com', firstName: 'Ada', company: 'Engines; Ltd.' } },
      { kind: 'lead', line: 3, lead: { email: 'bob@example.com', firstName: 'Bob' } },
    ];
    for (const size of [1, 2, 5, 1000]) expect(read(text, undefined, size)).toMatchObject(expected);
    const reader = createCsvLeadReader();
    expect(reader.delimiter).toBeUndefined();
    reader.push(utf8(text));
    expect(reader.delimiter).toBe(delimiter);
  });

  it('uses a delimiter it is given instead of detecting one', () => {
    const reader = createCsvLeadReader({ parser: { delimiter: ',' } });
    const outcomes = [...reader.push(utf8('email;company\na@b.co;Acme\n')), ...reader.end()];
    expect(reader.delimiter).toBe(',');
    expect(outcomes).toMatchObject([{ kind: 'file-error', line: 1 }]);
  });

  it('detects the delimiter of a header-only file and of a file without a final line end', () => {
    const reader = createCsvLeadReader();
    expect([...reader.push(utf8('email;company')), ...reader.end()]).toEqual([{ kind: 'no-rows', message: 'the file has a header but no rows' }]);
    expect(reader.delimiter).toBe(';');
  });

  it('reads a Windows-1252 file when told its encoding, and names a UTF-8 problem otherwise', () => {
    // "René;Müller;5 €" in Windows-1252: é = E9, ü = FC, € = 80.
    const bytes = Uint8Array.from([...utf8('email;firstName;lastName;company\nrene@b.co;Ren'), 0xe9, ...utf8(';M'), 0xfc, ...utf8('ller;5 '), 0x80, 0x0a]);
    const reader = createCsvLeadReader({ parser: { encoding: 'windows-1252' } });
    expect(reader.encoding).toBe('windows-1252');
    expect([...reader.push(bytes), ...reader.end()]).toMatchObject([{ kind: 'lead', line: 2, lead: { email: 'rene@b.co', firstName: 'René', lastName: 'Müller', company: '5 €' } }]);
    expect(read(bytes)).toEqual([{ kind: 'rejected', line: 2, errors: [{ field: 'row', message: 'invalid UTF-8 at line 2' }] }]);
  });

  it('reads ISO-8859-1 as ISO-8859-1 (0x80-0x9F are controls there, not Windows-1252 characters)', () => {
    const bytes = Uint8Array.from([...utf8('email,company\na@b.co,Caf'), 0xe9, 0x80, 0x0a]);
    expect(read(bytes, { parser: { encoding: 'iso-8859-1' } })).toMatchObject([{ kind: 'lead', lead: { company: 'Café\u0080' } }]);
  });
});
