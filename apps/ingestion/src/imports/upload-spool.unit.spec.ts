import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { charsetOf, spoolUpload, UploadRefused } from './upload-spool';

type Gc = (options?: { type?: string }) => void;
const holder = globalThis as { gc?: Gc };

async function* chunks(count: number, size: number): AsyncIterable<Buffer> {
  for (let i = 0; i < count; i++) yield Buffer.alloc(size, 0x61 + (i % 26));
}

describe('spoolUpload', () => {
  let directory: string;
  const before = holder.gc;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'spool-'));
  });
  afterEach(async () => {
    if (before) holder.gc = before;
    else delete holder.gc;
    await rm(directory, { recursive: true, force: true });
  });

  it('writes the whole body to disk and asks for a young collection after every 8 MiB received', async () => {
    const collections: unknown[] = [];
    holder.gc = (options) => void collections.push(options);
    const spooled = await spoolUpload(chunks(320, 64 * 1024), { contentType: 'text/csv', directory, maxBytes: 100 * 1024 * 1024 });
    expect(spooled.bytes).toBe(20 * 1024 * 1024);
    const written = await readFile(spooled.filePath);
    expect(written.length).toBe(20 * 1024 * 1024);
    expect(written[64 * 1024]).toBe(0x62);
    expect(collections).toEqual([{ type: 'minor' }, { type: 'minor' }]); // at 8 and 16 MiB
  });

  it('spools the same without an exposed gc', async () => {
    delete holder.gc;
    const spooled = await spoolUpload(chunks(3, 1000), { contentType: 'text/csv', directory, maxBytes: 1024 * 1024 });
    expect((await readFile(spooled.filePath)).length).toBe(3000);
  });

  it('detects the encoding from every byte it writes, wherever the first non-UTF-8 byte comes', async () => {
    async function* body(): AsyncIterable<Buffer> {
      yield Buffer.from('email,company\r\n');
      for (let i = 0; i < 100; i++) yield Buffer.from(`row.${i}@example.com,Acme\r\n`);
      yield Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0d, 0x0a]); // "Café" in Windows-1252, on the last line
    }
    const spooled = await spoolUpload(body(), { contentType: 'text/csv', directory, maxBytes: 1024 * 1024 });
    expect({ encoding: spooled.encoding, source: spooled.encodingSource }).toEqual({ encoding: 'windows-1252', source: 'detected' });
    const utf8 = await spoolUpload(chunks(1, 10), { contentType: 'text/plain; charset="latin1"', directory, maxBytes: 1024 });
    expect({ encoding: utf8.encoding, source: utf8.encodingSource }).toEqual({ encoding: 'iso-8859-1', source: 'charset' });
  });
});

describe('charsetOf', () => {
  it('reads the charset parameter of a Content-Type', () => {
    expect(charsetOf('text/csv')).toBeUndefined();
    expect(charsetOf(undefined)).toBeUndefined();
    expect(charsetOf('text/csv; charset=UTF-8')).toBe('utf-8');
    expect(charsetOf('text/csv;charset=windows-1252')).toBe('windows-1252');
    expect(charsetOf('text/csv; header=present; charset="ISO-8859-1"')).toBe('iso-8859-1');
  });

  it('refuses a charset an import cannot read with 415, naming those it can', () => {
    let refused: unknown;
    try {
      charsetOf('text/csv; charset=utf-16le');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(UploadRefused);
    expect(refused).toMatchObject({ status: 415, message: expect.stringMatching(/^the charset utf-16le cannot be imported; send the file in one of utf-8, windows-1252, iso-8859-1/) });
  });
});
