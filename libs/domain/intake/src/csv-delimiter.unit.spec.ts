import { describeDelimiter, detectCsvDelimiter, headerLineEnd } from './csv-delimiter';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('detectCsvDelimiter', () => {
  it.each([
    ['comma', 'E-mail,First Name,Company\na@b.co,Ada,Acme\n', ','],
    ['semicolon', 'E-mail;First Name;Company\r\na@b.co;Ada;"Acme, Ltd."\r\n', ';'],
    ['tab', 'E-mail\tFirst Name\tCompany\na@b.co\tAda\tAcme\n', '\t'],
  ])('finds the %s from the header line', (_case, text, expected) => {
    expect(detectCsvDelimiter(bytes(text))).toBe(expected);
  });

  it('ignores delimiters inside quoted column names', () => {
    expect(detectCsvDelimiter(bytes('"Name, first";"Name, last";"E-mail, work"\n'))).toBe(';');
    expect(detectCsvDelimiter(bytes('"a;b;c;d","e;f;g",email\n'))).toBe(',');
    expect(detectCsvDelimiter(bytes('"Notes\n(one, two, three)";E-mail;Company\n'))).toBe(';');
  });

  it('looks at the header line only, not at the rows after it', () => {
    expect(detectCsvDelimiter(bytes('email;company\na,b,c,d,e,f,g\n'))).toBe(';');
  });

  it('skips empty lines before the header', () => {
    expect(detectCsvDelimiter(bytes('\r\n\nemail\tcompany\n'))).toBe('\t');
  });

  it('takes a comma for a one-column header or a tie, and the most frequent otherwise', () => {
    expect(detectCsvDelimiter(bytes('email\na@b.co\n'))).toBe(',');
    expect(detectCsvDelimiter(bytes('email,company;title\n'))).toBe(',');
    expect(detectCsvDelimiter(bytes('email;company;title,with comma\n'))).toBe(';');
    expect(detectCsvDelimiter(bytes(''))).toBe(',');
  });
});

describe('headerLineEnd', () => {
  it('finds the end of the first record, not a line end inside quotes', () => {
    const text = '"a\nb",c\nd,e\n';
    expect(headerLineEnd(bytes(text))).toBe(text.indexOf('\n', 5));
    expect(headerLineEnd(bytes('"a\nb",c'))).toBe(-1);
    expect(headerLineEnd(bytes('\n\nemail\n'))).toBe(7);
  });
});

describe('describeDelimiter', () => {
  it('names the delimiters', () => {
    expect([',', ';', '\t', '|'].map(describeDelimiter)).toEqual(['comma', 'semicolon', 'tab', '"|"']);
  });
});
