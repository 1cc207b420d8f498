import { Reader, Writer, ProtocolError } from './codec';

describe('codec', () => {
  it('round-trips the primitive types', () => {
    const w = new Writer(4);
    w.int8(-3).int16(-300).int32(-70000).int64(2 ** 40 + 5).int64(-1).bool(true).string('héllo').nullableString(null).bytes(Buffer.from([1, 2, 3])).nullableBytes(null);
    w.array([1, 2, 3], (w, v) => w.int32(v)).nullableArray(null, (w, v: number) => w.int32(v));
    w.uvarint(300).compactString('abc').compactNullableString(null).compactArray(['x', 'y'], (w, v) => w.compactString(v)).emptyTaggedFields();
    const r = new Reader(w.toBuffer());
    expect(r.int8()).toBe(-3);
    expect(r.int16()).toBe(-300);
    expect(r.int32()).toBe(-70000);
    expect(r.int64()).toBe(2 ** 40 + 5);
    expect(r.int64()).toBe(-1);
    expect(r.bool()).toBe(true);
    expect(r.string()).toBe('héllo');
    expect(r.nullableString()).toBeNull();
    expect([...r.bytes()]).toEqual([1, 2, 3]);
    expect(r.nullableBytes()).toBeNull();
    expect(r.array((r) => r.int32())).toEqual([1, 2, 3]);
    expect(r.nullableArray((r) => r.int32())).toBeNull();
    expect(r.uvarint()).toBe(300);
    expect(r.compactString()).toBe('abc');
    expect(r.compactNullableString()).toBeNull();
    expect(r.compactArray((r) => r.compactString())).toEqual(['x', 'y']);
    r.skipTaggedFields();
    expect(r.remaining()).toBe(0);
  });

  it('keeps large byte payloads by reference instead of copying them', () => {
    const big = Buffer.alloc(10_000, 7);
    const w = new Writer();
    w.int32(1).bytes(big).int16(2);
    const chunks = w.finish();
    expect(chunks).toContain(big);
    const all = Buffer.concat(chunks);
    expect(all.length).toBe(4 + 4 + 10_000 + 2);
    expect(all.readInt32BE(4)).toBe(10_000);
    expect(all.readInt16BE(all.length - 2)).toBe(2);
  });

  it('throws a ProtocolError on truncated input rather than reading garbage', () => {
    const r = new Reader(Buffer.from([0, 5, 65]));
    expect(() => r.string()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([0x7f, 0xff, 0xff, 0xff])).array((r) => r.int8())).toThrow(ProtocolError);
  });

  it('skips unknown tagged fields', () => {
    const r = new Reader(Buffer.from([2, 0, 2, 0xaa, 0xbb, 5, 1, 0xcc, 9]));
    r.skipTaggedFields();
    expect(r.int8()).toBe(9);
  });
});
