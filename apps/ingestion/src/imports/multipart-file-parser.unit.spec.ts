import { createMultipartFileParser, multipartBoundary, MultipartError } from './multipart-file-parser';
import { csvField, csvLine } from './csv-text';

const BOUNDARY = '----leadstream7MA4YWxkTrZu0gW';

function body(parts: { name: string; fileName?: string; content: Buffer | string }[], options: { preamble?: string; epilogue?: string } = {}): Buffer {
  const chunks: Buffer[] = [Buffer.from(options.preamble ?? '')];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.fileName ? `; filename="${part.fileName}"` : ''}`;
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\nContent-Type: text/csv\r\n\r\n`));
    chunks.push(Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n${options.epilogue ?? ''}`));
  return Buffer.concat(chunks);
}

function extract(input: Buffer, chunkSize: number): { file: Buffer; fileName: string | undefined } {
  const parser = createMultipartFileParser(BOUNDARY);
  const out: Buffer[] = [];
  for (let at = 0; at < input.length; at += chunkSize) out.push(...parser.push(input.subarray(at, at + chunkSize)));
  parser.end();
  return { file: Buffer.concat(out), fileName: parser.fileName };
}

describe('multipart file parser', () => {
  it("reads the file part's Content-Type and a UTF-8 file name", () => {
    const input = Buffer.concat([
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="Messe-M\u00fcnchen.csv"\r\nContent-Type: text/csv; charset=windows-1252\r\n\r\n`, 'utf8'),
      Buffer.from('email\r\na@b.co\r\n'),
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    const parser = createMultipartFileParser(BOUNDARY);
    expect(Buffer.concat(parser.push(input)).toString()).toBe('email\r\na@b.co\r\n');
    parser.end();
    expect({ fileName: parser.fileName, contentType: parser.contentType }).toEqual({ fileName: 'Messe-München.csv', contentType: 'text/csv; charset=windows-1252' });
  });

  // Content that looks like a delimiter without being one, CRLFs and dashes at the edges.
  const csv = `email,company\r\n--${BOUNDARY.slice(0, 10)},"a\r\n--b"\r\nx@example.com,--\r\n`;

  it.each([1, 2, 7, 64, 100_000])('extracts the "file" part exactly whatever the chunk size (%i bytes)', (chunkSize) => {
    const input = body([{ name: 'note', content: 'skip me' }, { name: 'file', fileName: 'leads.csv', content: csv }, { name: 'after', content: 'x' }], {
      preamble: 'ignored preamble\r\n',
      epilogue: 'ignored epilogue',
    });
    const { file, fileName } = extract(input, chunkSize);
    expect(file.toString()).toBe(csv);
    expect(fileName).toBe('leads.csv');
  });

  it('keeps binary content byte for byte', () => {
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) % 256));
    expect(extract(body([{ name: 'file', content: bytes }]), 333).file.equals(bytes)).toBe(true);
  });

  it('says when there is no part named file', () => {
    expect(() => extract(body([{ name: 'upload', content: 'email\r\n' }]), 10)).toThrow(/no part named "file"/);
  });

  it('says when the body ends before the file part is closed', () => {
    const cut = body([{ name: 'file', content: 'email\r\na@example.com\r\n' }]);
    expect(() => extract(cut.subarray(0, cut.length - 30), 10)).toThrow(MultipartError);
  });

  it('reads the boundary from the content type, quoted or not', () => {
    expect(multipartBoundary(`multipart/form-data; boundary=${BOUNDARY}`)).toBe(BOUNDARY);
    expect(multipartBoundary('multipart/form-data; boundary="a b:c"; charset=utf-8')).toBe('a b:c');
    expect(multipartBoundary('multipart/form-data')).toBeUndefined();
  });
});

describe('CSV text for the rejected-rows report', () => {
  it('quotes only fields that need it, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvLine(['7', 'email: has no @', 'x,"y"'])).toBe('7,email: has no @,"x,""y"""\r\n');
  });
});
