// kafkajs 2.2.4 encodes every request through one Encoder class (src/protocol/encoder.js). Two of its
// methods allocate far more than the bytes they write: ensureAvailable() grows the buffer with a
// zero-filled Buffer.alloc (zeroing memory that is overwritten at once), and writeUVarInt(), called about
// a dozen times per record, builds a JS array and a Buffer.from() copy for one to five bytes. On a CSV
// import, Buffer allocation alone (FastBuffer) was 11 % of the samples of a CPU profile of ingestion.
//
// tuneKafkajsEncoder() replaces those two methods on the prototype with versions that write the same
// bytes without the extra allocations (checked byte for byte against the originals in
// kafkajs-encoder.unit.spec.ts). Nothing else of kafkajs changes. See docs/adr/0005-service-memory.md.
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
 * around an encoded payload (kafkajs copies a produce request twice that way), where rounding up to a
 * power of two wasted up to half of each copy. Smaller writes grow by doubling, as in kafkajs.
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
 * Installs the allocation-free ensureAvailable/writeUVarInt on kafkajs's Encoder, once per process.
 * Returns false (and changes nothing) when the Encoder is not the shape it was written for.
 */
export function tuneKafkajsEncoder(encoder: EncoderClass = kafkajsEncoder()): boolean {
  const proto = encoder.prototype as EncoderClass['prototype'] & { [TUNED]?: boolean };
  if (proto[TUNED]) return true;
  const looksRight =
    typeof proto.ensureAvailable === 'function' &&
    typeof proto.writeUVarInt === 'function' &&
    typeof encoder.nextPowerOfTwo === 'function' &&
    encoder.nextPowerOfTwo(511) === 512 &&
    encoder.nextPowerOfTwo(512) === 1024;
  if (!looksRight) return false;
  proto.ensureAvailable = ensureAvailable;
  proto.writeUVarInt = writeUVarInt;
  proto[TUNED] = true;
  return true;
}
