import { createCsvParser, detectBinary, isCsvRecordError, type CsvParserOptions, type CsvRecord } from './csv-parser';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Parses `input` pushed in the given chunks (whole when none). */
function parse(input: Uint8Array | string, chunkSize?: number, options?: CsvParserOptions): CsvRecord[] {
  const bytes = typeof input === 'string' ? utf8(input) : input;
  const parser = createCsvParser(options);
  const records: CsvRecord[] = [];
  const size = chunkSize ?? Math.max(bytes.length, 1);
  for (let at = 0; at < bytes.length; at += size) records.push(...parser.push(bytes.subarray(at, at + size)));
  records.push(...parser.end());
  return records;
}

/** Asserts that every split gives `expected`; compares JSON first because there are thousands of splits. */
function expectSameAtEverySplit(bytes: Uint8Array, from: number, expected: CsvRecord[], options?: CsvParserOptions): void {
  const json = JSON.stringify(expected);
  for (let offset = from; offset <= bytes.length; offset++) {
    const records = parseSplitAt(bytes, [offset], options);
    if (JSON.stringify(records) !== json) expect({ offset, records }).toEqual({ offset, records: expected });
  }
}

function parseSplitAt(bytes: Uint8Array, offsets: readonly number[], options?: CsvParserOptions): CsvRecord[] {
  const parser = createCsvParser(options);
  const records: CsvRecord[] = [];
  let from = 0;
  for (const offset of [...offsets, bytes.length]) {
    records.push(...parser.push(bytes.subarray(from, offset)));
    from = offset;
  }
  records.push(...parser.end());
  return records;
}

describe('createCsvParser', () => {
  it('reads records with the line each starts on', () => {
    expect(parse('email,firstName\nada@example.com,Ada\nbob@example.com,Bob\n')).toEqual([
      { line: 1, fields: ['email', 'firstName'] },
      { line: 2, fields: ['ada@example.com', 'Ada'] },
      { line: 3, fields: ['bob@example.com', 'Bob'] },
    ]);
  });

  it('reads the last record whether or not the file ends with a line end', () => {
    expect(parse('a,b\n1,2')).toEqual(parse('a,b\n1,2\n'));
    expect(parse('a,b\n1,2')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  it('strips a UTF-8 byte-order mark at the start, even when it arrives one byte at a time', () => {
    const withBom = concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8('email,company\na@b.co,Acme\n'));
    const expected = [
      { line: 1, fields: ['email', 'company'] },
      { line: 2, fields: ['a@b.co', 'Acme'] },
    ];
    expect(parse(withBom)).toEqual(expected);
    expect(parse(withBom, 1)).toEqual(expected);
  });

  it('keeps commas, doubled quotes and line ends inside quoted fields', () => {
    expect(parse('name,company\n"Doe, Jane","Acme ""Rockets"", Inc."\n"multi\nline\r\nnote",x\nlast,row\n')).toEqual([
      { line: 1, fields: ['name', 'company'] },
      { line: 2, fields: ['Doe, Jane', 'Acme "Rockets", Inc.'] },
      { line: 3, fields: ['multi\nline\r\nnote', 'x'] },
      { line: 6, fields: ['last', 'row'] },
    ]);
  });

  it('accepts CRLF, LF and CR line ends, mixed in one file', () => {
    expect(parse('a,b\r\n1,2\r3,4\n5,6\r\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
      { line: 4, fields: ['5', '6'] },
    ]);
  });

  it('skips empty lines but keeps counting them', () => {
    expect(parse('a,b\n\n\r\n1,2\n\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 4, fields: ['1', '2'] },
    ]);
  });

  it('keeps empty fields, including a trailing one and an empty quoted one', () => {
    expect(parse('a,,""\n,\n')).toEqual([
      { line: 1, fields: ['a', '', ''] },
      { line: 2, fields: ['', ''] },
    ]);
  });

  it('gives no records for an empty file, a file of line ends, or a bare byte-order mark', () => {
    expect(parse('')).toEqual([]);
    expect(parse('\r\n\n\r')).toEqual([]);
    expect(parse(new Uint8Array([0xef, 0xbb, 0xbf]))).toEqual([]);
  });

  it('gives the header alone for a header-only file', () => {
    expect(parse('email,firstName\r\n')).toEqual([{ line: 1, fields: ['email', 'firstName'] }]);
  });

  it('keeps a quote inside an unquoted field as text', () => {
    expect(parse('size,label\n5",15" screen\n')).toEqual([
      { line: 1, fields: ['size', 'label'] },
      { line: 2, fields: ['5"', '15" screen'] },
    ]);
  });

  it('reports an unterminated quote at the end of the file with the line it opened on', () => {
    const records = parse('a,b\n1,2\n3,"never closed\nmore\n');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, error: 'unterminated quoted field: the quote opened at line 3 is never closed' },
    ]);
  });

  it('rejects text after a closing quote and goes on with the next record', () => {
    expect(parse('a,b\n"x"y,2\n3,4\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, error: 'unexpected text after a closing quote in field 1 at line 2' },
      { line: 3, fields: ['3', '4'] },
    ]);
  });

  it('rejects a record that is not UTF-8 and keeps the others', () => {
    const bytes = concat(utf8('name,city\nJosé,Zürich\n'), new Uint8Array([0x4a, 0x6f, 0x73, 0xe9, 0x2c, 0x78, 0x0a]), utf8('"Ann ""A""",\xe9\n'));
    expect(parse(bytes)).toEqual([
      { line: 1, fields: ['name', 'city'] },
      { line: 2, fields: ['José', 'Zürich'] },
      { line: 3, error: 'invalid UTF-8 at line 3' },
      { line: 4, fields: ['Ann "A"', 'é'] },
    ]);
  });

  it('rejects invalid UTF-8 inside a quoted field too', () => {
    const bytes = concat(utf8('a,"b'), new Uint8Array([0xc3, 0x28]), utf8('"\nok,1\n'));
    expect(parse(bytes)).toEqual([
      { line: 1, error: 'invalid UTF-8 at line 1' },
      { line: 2, fields: ['ok', '1'] },
    ]);
  });

  it('reads the same records wherever the input is split, one split or byte by byte', () => {
    const tricky = concat(
      new Uint8Array([0xef, 0xbb, 0xbf]),
      utf8('E-mail,Name,"Note"\r\n'),
      utf8('zoë@example.com,"Ødegaard, Zoë","said ""hi""\r\nthen left"\r\n'),
      utf8('\r\n'),
      utf8('日本@example.jp,山田 太郎,🚀 launch\r'),
      utf8('plain,"",x\n'),
      new Uint8Array([0x62, 0x61, 0x64, 0xff, 0x2c, 0x31, 0x2c, 0x32, 0x0d, 0x0a]),
      utf8('"x"y,1,2\n'),
      utf8('last,"line\rwith CR",end'),
    );
    const whole = parse(tricky);
    expect(whole).toEqual([
      { line: 1, fields: ['E-mail', 'Name', 'Note'] },
      { line: 2, fields: ['zoë@example.com', 'Ødegaard, Zoë', 'said "hi"\r\nthen left'] },
      { line: 5, fields: ['日本@example.jp', '山田 太郎', '🚀 launch'] },
      { line: 6, fields: ['plain', '', 'x'] },
      { line: 7, error: 'invalid UTF-8 at line 7' },
      { line: 8, error: 'unexpected text after a closing quote in field 1 at line 8' },
      { line: 9, fields: ['last', 'line\rwith CR', 'end'] },
    ]);
    // The parser holds back everything until it has seen `sniffBytes`; at 8 every split reaches the scanner.
    const eager = { sniffBytes: 8 };
    expect(parse(tricky, undefined, eager)).toEqual(whole);
    expectSameAtEverySplit(tricky, 0, whole, eager);
    expectSameAtEverySplit(tricky, 0, whole);
    for (const size of [1, 2, 3, 5]) expect(parse(tricky, size, eager)).toEqual(whole);
  });

  it('reads the same records wherever a file larger than the sniffing window is split', () => {
    const padding = Array.from({ length: 200 }, (_, i) => `p${i}@example.com,"Pad, ${i}",x\r\n`).join('');
    const bytes = utf8(`email,name,note\r\n${padding}"q@example.com","two\r\nlines","a ""b"""\r\nzoë@example.com,Zoë,🚀\n`);
    expect(bytes.length).toBeGreaterThan(4096);
    const whole = parse(bytes);
    expect(whole).toHaveLength(203);
    expect(whole[201]).toEqual({ line: 202, fields: ['q@example.com', 'two\r\nlines', 'a "b"'] });
    expect(whole[202]).toEqual({ line: 204, fields: ['zoë@example.com', 'Zoë', '🚀'] });
    expectSameAtEverySplit(bytes, 4000, whole);
    expect(parse(bytes, 7)).toEqual(whole);
  });

  describe('skipThroughLine', () => {
    const file = utf8(
      'email,note\r\n' + // 1
        'a@b.co,"two\r\nlines"\r\n' + // 2-3
        '\r\n' + // 4: empty
        'c@d.co,"x"y\r\n' + // 5: text after a closing quote
        'e@f.co,"three\r\nlines\r\nhere"\r\n' + // 6-8
        'g@h.co,last', // 9
    );
    const whole = parse(file);

    it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12])('returns the header and the records that start after line %i, wherever the input is split', (skip) => {
      const expected = whole.filter((record, index) => index === 0 || record.line > skip);
      const options = { skipThroughLine: skip, sniffBytes: 8 };
      expect(parse(file, undefined, options)).toEqual(expected);
      expectSameAtEverySplit(file, 0, expected, options);
    });

    it('keeps counting lines through what it skips', () => {
      expect(parse(file, 3, { skipThroughLine: 5 }).map((record) => record.line)).toEqual([1, 6, 9]);
    });

    it('still returns a header that is not UTF-8 (the first record is never skipped)', () => {
      expect(parse(new Uint8Array([0x65, 0xff, 0x0a, 0x61, 0x0a, 0x62, 0x0a]), undefined, { skipThroughLine: 2 })).toEqual([
        { line: 1, error: 'invalid UTF-8 at line 1' },
        { line: 3, fields: ['b'] },
      ]);
    });

    it('refuses a value that is not a line number', () => {
      expect(() => createCsvParser({ skipThroughLine: -1 })).toThrow('skipThroughLine must be a line number or 0, got -1');
      expect(() => createCsvParser({ skipThroughLine: 1.5 })).toThrow(RangeError);
    });
  });

  it('rejects a megabyte-long field with its line and resumes at the next record, chunked or not', () => {
    const huge = 'x'.repeat(1_048_576);
    const input = `email,note\na@b.co,${huge}\nc@d.co,short\n`;
    const expected = [
      { line: 1, fields: ['email', 'note'] },
      { line: 2, error: 'field 2 is longer than 65536 bytes at line 2' },
      { line: 3, fields: ['c@d.co', 'short'] },
    ];
    expect(parse(input)).toEqual(expected);
    expect(parse(input, 65_536)).toEqual(expected);
    expect(parse(input, 1000)).toEqual(expected);
  });

  it('holds at most one record limit plus one chunk while a 10 MB field streams through', () => {
    const parser = createCsvParser();
    const records = parser.push(utf8('email,note\na@b.co,"'));
    const chunk = utf8('y'.repeat(65_536));
    let most = 0;
    for (let i = 0; i < 160; i++) {
      records.push(...parser.push(chunk));
      most = Math.max(most, parser.bufferedBytes);
    }
    expect(most).toBeLessThanOrEqual(65_536 + 65_536);
    records.push(...parser.push(utf8('"\nc@d.co,ok\n')));
    expect(records).toEqual([
      { line: 1, fields: ['email', 'note'] },
      { line: 2, error: 'field 2 is longer than 65536 bytes at line 2' },
      { line: 3, fields: ['c@d.co', 'ok'] },
    ]);
    expect(parser.bufferedBytes).toBe(0);
  });

  it('counts the lines inside a quoted field it drops for being too long', () => {
    const longQuoted = `"${'line\n'.repeat(20)}"`;
    const input = `a,b\n1,${longQuoted}\n2,ok\n`;
    const expected = [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, error: 'field 2 is longer than 50 bytes at line 2' },
      { line: 23, fields: ['2', 'ok'] },
    ];
    expect(parse(input, undefined, { maxFieldBytes: 50 })).toEqual(expected);
    expect(parse(input, 7, { maxFieldBytes: 50 })).toEqual(expected);
  });

  it('rejects a record over the record limit and resumes at the next one', () => {
    const input = `a,b,c\n${'12345,'.repeat(10)}6\nx,y,z\n`;
    const expected = [
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, error: 'the record is longer than 40 bytes at line 2' },
      { line: 3, fields: ['x', 'y', 'z'] },
    ];
    expect(parse(input, undefined, { maxRecordBytes: 40 })).toEqual(expected);
    expect(parse(input, 4, { maxRecordBytes: 40 })).toEqual(expected);
  });

  it('rejects a binary file with one fatal error at line 1 and reads nothing else', () => {
    const binary = concat(utf8('email,name\n'), new Uint8Array([0x00, 0x01, 0x02, 0x03]), utf8('\na@b.co,Ann\n'));
    const records = parse(binary);
    expect(records).toEqual([{ line: 1, error: 'the file is binary, not CSV text: it contains a NUL byte (at byte 11)', fatal: true }]);
  });

  it('names an Excel workbook sent as CSV', () => {
    const xlsx = concat(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), utf8('[Content_Types].xml'));
    const records = parse(xlsx);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ line: 1, fatal: true });
    expect((records[0] as { error: string }).error).toMatch(/binary.*ZIP archive.*xlsx/);
  });

  it('stops at a NUL byte found late in a file, keeping the records before it', () => {
    const rows = Array.from({ length: 300 }, (_, i) => `row${i}@example.com,Name ${i}\n`).join('');
    const bytes = concat(utf8(`email,name\n${rows}`), utf8('bad\u0000row,x\n'), utf8('after@example.com,y\n'));
    for (const chunk of [undefined, 100]) {
      const records = parse(bytes, chunk);
      expect(records).toHaveLength(302);
      expect(records[300]).toEqual({ line: 301, fields: ['row299@example.com', 'Name 299'] });
      expect(records[301]).toEqual({ line: 302, error: 'the file is binary, not CSV text: it contains a NUL byte at line 302', fatal: true });
    }
  });

  it('ignores input pushed after a fatal error', () => {
    const parser = createCsvParser();
    const first = parser.push(new Uint8Array([0x00, 0x41, 0x0a]));
    expect(first).toEqual([]); // still sniffing: fewer than 4 KiB seen
    const atEnd = parser.end();
    expect(atEnd).toHaveLength(1);
    expect(isCsvRecordError(atEnd[0]!) && atEnd[0].fatal).toBe(true);
    expect(parser.push(utf8('a,b\n'))).toEqual([]);
    expect(parser.end()).toEqual([]);
  });

  it('reads other delimiters', () => {
    expect(parse('a;b\n"1;2";3\n', undefined, { delimiter: ';' })).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1;2', '3'] },
    ]);
    expect(parse('a\tb\n1,2\t3\n', undefined, { delimiter: '\t' })).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1,2', '3'] },
    ]);
  });

  it('refuses a delimiter it cannot use', () => {
    expect(() => createCsvParser({ delimiter: '"' })).toThrow(/delimiter/);
    expect(() => createCsvParser({ delimiter: ',,' })).toThrow(/delimiter/);
    expect(() => createCsvParser({ maxFieldBytes: 0 })).toThrow(/maxFieldBytes/);
  });

  it('reads every record of a 20 MB input pushed in chunks that split records', () => {
    const parser = createCsvParser();
    const chunk = utf8('someone@example.com,Some Name,Some Company,+1 415 555 0100\n'.repeat(1100));
    let count = 0;
    for (let i = 0; i < 300; i++) {
      count += parser.push(chunk).length;
      expect(parser.bufferedBytes).toBeLessThan(100);
    }
    count += parser.end().length;
    expect(count).toBe(300 * 1100);
  });
});

describe('detectBinary', () => {
  it.each([
    ['plain text', utf8('email,name\nAnn,Bob\n'), undefined],
    ['UTF-8 text with accents', utf8('Zoë,Ødegaard,日本\n'), undefined],
    ['a NUL byte', new Uint8Array([0x61, 0x00, 0x62]), /NUL byte/],
    ['a PDF', utf8('%PDF-1.7\n'), /PDF/],
    ['gzip', new Uint8Array([0x1f, 0x8b, 0x08, 0x00]), /gzip/],
    ['an old Excel workbook', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]), /xls/],
    ['UTF-16 text', new Uint8Array([0xff, 0xfe, 0x61, 0x00]), /UTF-16/],
    ['control characters', new Uint8Array([0x61, 0x01, 0x02, 0x03, 0x04, 0x62, 0x63, 0x64]), /control characters/],
  ])('%s', (_case, bytes, expected) => {
    const problem = detectBinary(bytes);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});
