// Binary encoding of the Kafka wire protocol primitives (big-endian integers, length-prefixed
// strings and bytes, arrays, and the compact/tagged forms used by flexible versions).

const TWO_32 = 4294967296;

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** Sequential reader over one request body. Throws ProtocolError on truncated input. */
export class Reader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    offset = 0,
  ) {
    this.pos = offset;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new ProtocolError(`truncated request: need ${n} bytes at ${this.pos}`);
  }

  remaining(): number {
    return this.buf.length - this.pos;
  }

  int8(): number {
    this.need(1);
    return this.buf.readInt8(this.pos++);
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** int64 as a JS number (offsets and timestamps stay far below 2^53). */
  int64(): number {
    this.need(8);
    const hi = this.buf.readInt32BE(this.pos);
    const lo = this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return hi * TWO_32 + lo;
  }

  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      this.need(1);
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new ProtocolError('varint too long');
    }
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    this.need(len);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  string(): string {
    const s = this.nullableString();
    if (s === null) throw new ProtocolError('unexpected null string');
    return s;
  }

  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    this.need(len);
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }

  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }

  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    if (n > this.remaining()) throw new ProtocolError(`array length ${n} exceeds request`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }

  array<T>(item: (r: Reader) => T): T[] {
    return this.nullableArray(item) ?? [];
  }

  compactNullableString(): string | null {
    const n = this.uvarint();
    if (n === 0) return null;
    const len = n - 1;
    this.need(len);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  compactString(): string {
    return this.compactNullableString() ?? '';
  }

  compactArray<T>(item: (r: Reader) => T): T[] {
    const n = this.uvarint();
    if (n === 0) return [];
    const out: T[] = [];
    for (let i = 0; i < n - 1; i++) out.push(item(this));
    return out;
  }

  skipTaggedFields(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint(); // tag
      const size = this.uvarint();
      this.need(size);
      this.pos += size;
    }
  }
}

/**
 * Growable writer. Large byte payloads (record batches) are kept by reference as separate chunks,
 * so a fetch response is written to the socket without copying the log data.
 */
export class Writer {
  private readonly chunks: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;
  private total = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  get length(): number {
    return this.total + this.pos;
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  int64(v: number): this {
    this.ensure(8);
    if (v >= 0 && v <= Number.MAX_SAFE_INTEGER) {
      this.buf.writeUInt32BE(Math.floor(v / TWO_32), this.pos);
      this.buf.writeUInt32BE(v % TWO_32, this.pos + 4);
    } else {
      this.buf.writeBigInt64BE(BigInt(Math.trunc(v)), this.pos);
    }
    this.pos += 8;
    return this;
  }

  uvarint(v: number): this {
    this.ensure(5);
    let n = v;
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
    return this;
  }

  nullableString(s: string | null): this {
    if (s === null) return this.int16(-1);
    const len = Buffer.byteLength(s);
    this.int16(len);
    this.ensure(len);
    this.buf.write(s, this.pos, 'utf8');
    this.pos += len;
    return this;
  }

  string(s: string): this {
    return this.nullableString(s);
  }

  compactNullableString(s: string | null): this {
    if (s === null) return this.uvarint(0);
    const len = Buffer.byteLength(s);
    this.uvarint(len + 1);
    this.ensure(len);
    this.buf.write(s, this.pos, 'utf8');
    this.pos += len;
    return this;
  }

  compactString(s: string): this {
    return this.compactNullableString(s);
  }

  /** Appends raw bytes; big ones are referenced, not copied. */
  raw(b: Buffer): this {
    if (b.length >= 1024) {
      this.flushBuf();
      this.chunks.push(b);
      this.total += b.length;
      return this;
    }
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
    return this;
  }

  nullableBytes(b: Buffer | null): this {
    if (b === null) return this.int32(-1);
    this.int32(b.length);
    return this.raw(b);
  }

  bytes(b: Buffer): this {
    return this.nullableBytes(b);
  }

  array<T>(items: readonly T[], item: (w: Writer, v: T, index: number) => void): this {
    this.int32(items.length);
    for (let i = 0; i < items.length; i++) item(this, items[i], i);
    return this;
  }

  nullableArray<T>(items: readonly T[] | null, item: (w: Writer, v: T, index: number) => void): this {
    if (items === null) return this.int32(-1);
    return this.array(items, item);
  }

  compactArray<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    this.uvarint(items.length + 1);
    for (const v of items) item(this, v);
    return this;
  }

  emptyTaggedFields(): this {
    return this.uvarint(0);
  }

  private flushBuf(): void {
    if (this.pos === 0) return;
    this.chunks.push(this.buf.subarray(0, this.pos));
    this.total += this.pos;
    this.buf = Buffer.allocUnsafe(Math.max(256, this.buf.length - this.pos));
    this.pos = 0;
  }

  /** The encoded bytes as chunks, in order. */
  finish(): Buffer[] {
    this.flushBuf();
    return this.chunks;
  }

  /** The encoded bytes as one buffer (copies; for tests and small messages). */
  toBuffer(): Buffer {
    return Buffer.concat(this.finish());
  }
}
