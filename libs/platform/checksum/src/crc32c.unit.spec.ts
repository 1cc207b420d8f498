import { crc32c } from './crc32c';

/** The textbook bit-at-a-time CRC-32C, to check the table-driven one against. */
function bitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('gives the published check values', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('covers only buf[start..end)', () => {
    expect(crc32c(Buffer.from('xx123456789yy'), 2, 11)).toBe(0xe3069283);
  });

  it('equals the bit-at-a-time computation for every length up to 70 and at random offsets', () => {
    const data = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + (i >> 3)) & 0xff));
    for (let length = 0; length <= 70; length++) expect(crc32c(data.subarray(0, length))).toBe(bitwise(data.subarray(0, length)));
    for (const [start, end] of [[1, 4096], [3, 1000], [17, 18], [100, 3333]] as const) expect(crc32c(data, start, end)).toBe(bitwise(data.subarray(start, end)));
  });
});
