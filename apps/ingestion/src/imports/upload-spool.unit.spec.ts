import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spoolUpload } from './upload-spool';

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
});
