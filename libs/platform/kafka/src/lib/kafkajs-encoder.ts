// kafkajs 2.2.4 encodes every request through one Encoder class (src/protocol/encoder.js). Three of its
// methods allocate far more than the bytes they write: ensureAvailable() grows the buffer with a
// zero-filled Buffer.alloc (zeroing memory that is overwritten at once), writeUVarInt(), called about
// a dozen times per record, builds a JS array and a Buffer.from() copy for one to five bytes, and
// writeEncoder() copies a whole payload behind a few bytes of framing. On a CSV import, Buffer allocation
// alone (FastBuffer) was 11 % of the samples of a CPU profile of ingestion; the framing copied each
// produce request twice (kafkajs/src/protocol/request.js: the request header, then the size).
//
// tuneKafkajsEncoder() replaces those three methods on the prototype with versions that write the same
// bytes without the extra allocations (checked byte for byte against the originals in
// kafkajs-encoder.unit.spec.ts). Nothing else of kafkajs changes. See docs/adr/0005-service-memory.md
// and docs/adr/0009-memory-peaks.md.
//
// kafkajs is pinned to 2.2.4 in package.json; if it moves, the guard below refuses to patch an Encoder
// that does not look like the one these methods were written for, and kafkajs keeps its own.

interface EncoderInstance {
  buf: Buffer;
  offset: number;
}

interface EncoderClass {
  prototype: {
    ensureAvailable(this: EncoderInstance, length: number): void;
    writeUVarInt(this: EncoderInstance, value: number): EncoderInstance;
    writeEncoder(this: EncoderInstance, value: EncoderInstance): EncoderInstance;
  };
  nextPowerOfTwo(value: number): number;
}

const TUNED = Symbol.for('leadstream.kafkajs-encoder-tuned');

/** kafkajs's Encoder class (internal module; kafkajs 2.x has no exports map, so it can be required). */
export function kafkajsEncoder(): EncoderClass {
  return require('kafkajs/src/protocol/encoder') as EncoderClass;
}

/**
 * A write at least this large gets a buffer of exactly the size needed: it is the framing of a request
 * around an encoded payload that had no room in front (kafkajs copies such a request twice), where
 * rounding up to a power of two wasted up to half of each copy. Smaller writes grow by doubling, as in kafkajs.
 */
export const EXACT_GROWTH_BYTES = 64 * 1024;

/** Grows the buffer without zero-filling what the writes overwrite: to fit a large write, else to the next power of two. */
function ensureAvailable(this: EncoderInstance, length: number): void {
  if (this.offset + length > this.buf.length) {
    const needed = this.offset + length;
    const grown = Buffer.allocUnsafe(length >= EXACT_GROWTH_BYTES ? needed : 1 << (32 - Math.clz32(needed)));
    this.buf.copy(grown, 0, 0, this.offset);
    this.buf = grown;
  }
}

/**
 * Bytes left free in front of a produce request's payload (oneBufferProduceRequest), enough for what
 * kafkajs puts in front of it: size 4, api key 2, api version 2, correlation id 4, client id 2 + its
 * UTF-8 bytes. A client id over 242 bytes still works; its requests are copied as kafkajs copies them.
 */
export const FRAMING_ROOM_BYTES = 256;

/** Where an encoder's buf sits in a larger allocation with free bytes in front of it. */
interface RoomInFront {
  /** The buf this applies to: a write that regrows the encoder's buf ends the room. */
  readonly buf: Buffer;
  readonly whole: Buffer;
  /** Free bytes of `whole` in front of `buf`. */
  readonly room: number;
}

const ROOM = Symbol('leadstream.kafkajs-room-in-front');
type WithRoom = EncoderInstance & { [ROOM]?: RoomInFront };

/**
 * Records that `encoder.buf` starts `room` bytes into `whole`, which nothing else writes, and that
 * `encoder` is complete (its buf holds exactly its bytes). The tuned writeEncoder() then frames it in
 * place instead of copying it.
 */
export function markRoomInFront(encoder: EncoderInstance, whole: Buffer, room: number): void {
  (encoder as WithRoom)[ROOM] = { buf: encoder.buf, whole, room };
}

/**
 * kafkajs's writeEncoder(value) appends a copy of value's bytes. When this encoder holds only a short
 * prefix and `value` has that much room in front, the prefix is copied into the room instead and this
 * encoder takes over value's memory, with the room that is left. `value` gives its room up, so the same
 * bytes are never framed twice; its own bytes are unchanged. Anything else goes to kafkajs's own method.
 */
function framingInPlace(appendCopy: EncoderClass['prototype']['writeEncoder']): EncoderClass['prototype']['writeEncoder'] {
  return function writeEncoder(this: EncoderInstance, value: EncoderInstance): EncoderInstance {
    const room = (value as WithRoom | null | undefined)?.[ROOM];
    if (room === undefined || room.buf !== value.buf || value.offset !== value.buf.length || this.offset > room.room) {
      return appendCopy.call(this, value);
    }
    const start = room.room - this.offset;
    this.buf.copy(room.whole, start, 0, this.offset);
    delete (value as WithRoom)[ROOM];
    this.buf = room.whole.subarray(start, room.room + value.offset);
    this.offset = this.buf.length;
    markRoomInFront(this, room.whole, start);
    return this;
  };
}

/** Unsigned LEB128 varint of a 32-bit value, written in place (same bytes as kafkajs's writeUVarInt). */
function writeUVarInt(this: EncoderInstance, value: number): EncoderInstance {
  ensureAvailable.call(this, 5);
  let rest = value;
  while ((rest & 0xffffff80) !== 0) {
    this.buf[this.offset++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  this.buf[this.offset++] = rest & 0x7f;
  return this;
}

/**
 * Installs the allocation-free ensureAvailable/writeUVarInt/writeEncoder on kafkajs's Encoder, once per process.
 * Returns false (and changes nothing) when the Encoder is not the shape it was written for.
 */
export function tuneKafkajsEncoder(encoder: EncoderClass = kafkajsEncoder()): boolean {
  const proto = encoder.prototype as EncoderClass['prototype'] & { [TUNED]?: boolean };
  if (proto[TUNED]) return true;
  const looksRight =
    typeof proto.ensureAvailable === 'function' &&
    typeof proto.writeUVarInt === 'function' &&
    typeof proto.writeEncoder === 'function' &&
    typeof encoder.nextPowerOfTwo === 'function' &&
    encoder.nextPowerOfTwo(511) === 512 &&
    encoder.nextPowerOfTwo(512) === 1024;
  if (!looksRight) return false;
  proto.ensureAvailable = ensureAvailable;
  proto.writeUVarInt = writeUVarInt;
  proto.writeEncoder = framingInPlace(proto.writeEncoder);
  proto[TUNED] = true;
  return true;
}
