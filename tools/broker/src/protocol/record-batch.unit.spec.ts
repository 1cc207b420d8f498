import { crc32c } from '@leadstream/platform-checksum';
import { assignBaseOffset, readInt64, scanBatches, BATCH_HEADER_SIZE } from './record-batch';

/** A minimal magic-2 batch with `records` opaque record bytes and a valid CRC. */
function batch(lastOffsetDelta: number, records: Buffer, maxTimestamp = 1000): Buffer {
  const buf = Buffer.alloc(BATCH_HEADER_SIZE + records.length);
  buf.writeInt32BE(0, 0);
  buf.writeInt32BE(0, 4); // base offset 0
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt32BE(-1, 12);
  buf.writeInt8(2, 16);
  buf.writeInt16BE(0, 21);
  buf.writeInt32BE(lastOffsetDelta, 23);
  buf.writeBigInt64BE(BigInt(maxTimestamp), 27);
  buf.writeBigInt64BE(BigInt(maxTimestamp), 35);
  buf.writeBigInt64BE(-1n, 43);
  buf.writeInt16BE(-1, 51);
  buf.writeInt32BE(-1, 53);
  buf.writeInt32BE(lastOffsetDelta + 1, 57);
  records.copy(buf, BATCH_HEADER_SIZE);
  buf.writeUInt32BE(crc32c(buf, 21), 17);
  return buf;
}

describe('record batches', () => {
  it('splits consecutive batches and reads their headers', () => {
    const data = Buffer.concat([batch(2, Buffer.from('abc'), 5), batch(0, Buffer.from('defgh'), 9)]);
    const { batches, problem, validEnd } = scanBatches(data);
    expect(problem).toBeNull();
    expect(validEnd).toBe(data.length);
    expect(batches.map((b) => [b.start, b.size, b.lastOffsetDelta, b.recordCount, b.maxTimestamp])).toEqual([
      [0, 64, 2, 3, 5],
      [64, 66, 0, 1, 9],
    ]);
  });

  it('keeps the CRC valid when the base offset is rewritten', () => {
    const data = batch(4, Buffer.from('payload'));
    assignBaseOffset(data, 0, 123456789012);
    expect(readInt64(data, 0)).toBe(123456789012);
    const { batches, problem } = scanBatches(data);
    expect(problem).toBeNull();
    expect(batches[0].baseOffset).toBe(123456789012);
  });

  it('reports a torn tail, a corrupted batch and an old message format', () => {
    const good = batch(0, Buffer.from('x'));
    const torn = Buffer.concat([good, good.subarray(0, 40)]);
    expect(scanBatches(torn)).toMatchObject({ problem: 'truncated', validEnd: good.length });
    const corrupt = Buffer.from(good);
    corrupt[corrupt.length - 1] ^= 0xff;
    expect(scanBatches(Buffer.concat([good, corrupt]))).toMatchObject({ problem: 'bad-crc', validEnd: good.length });
    const old = Buffer.from(good);
    old[16] = 1;
    expect(scanBatches(old)).toMatchObject({ problem: 'bad-magic', validEnd: 0 });
  });
});
