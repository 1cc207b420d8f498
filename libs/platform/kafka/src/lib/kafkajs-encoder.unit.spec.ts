import { randomBytes } from 'node:crypto';
import { EXACT_GROWTH_BYTES, kafkajsEncoder, tuneKafkajsEncoder } from './kafkajs-encoder';

// The originals, taken before anything in this file tunes the Encoder.
const Encoder = kafkajsEncoder();
const original = { ensureAvailable: Encoder.prototype.ensureAvailable, writeUVarInt: Encoder.prototype.writeUVarInt };

type AnyEncoder = Record<string, (...args: unknown[]) => AnyEncoder> & { buffer: Buffer };

function useOriginal(): void {
  Encoder.prototype.ensureAvailable = original.ensureAvailable;
  Encoder.prototype.writeUVarInt = original.writeUVarInt;
  delete (Encoder.prototype as unknown as Record<symbol, unknown>)[Symbol.for('leadstream.kafkajs-encoder-tuned')];
}

/** Runs `encode` once with kafkajs's own methods and once tuned; both must give the same bytes. */
async function bothWays(encode: () => Buffer | Promise<Buffer>): Promise<[Buffer, Buffer]> {
  useOriginal();
  const theirs = await encode();
  expect(tuneKafkajsEncoder(Encoder)).toBe(true);
  const ours = await encode();
  useOriginal();
  return [theirs, ours];
}

// A deterministic mix of every kind of write, with sizes that cross the growth boundaries.
function writeScript(seed: number): () => Buffer {
  return () => {
    let state = seed;
    const next = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state;
    };
    const encoder = new (Encoder as unknown as new () => AnyEncoder)();
    const varints = [0, 1, -1, 63, 64, 127, 128, 255, 16_383, 16_384, -16_384, 2 ** 31 - 1, -(2 ** 31)];
    for (let step = 0; step < 300; step++) {
      switch (next() % 9) {
        case 0:
          encoder['writeVarInt']?.(varints[next() % varints.length] as number);
          break;
        case 1:
          encoder['writeUVarInt']?.(next());
          break;
        case 2:
          encoder['writeInt32']?.(next() | 0);
          break;
        case 3:
          encoder['writeVarIntString']?.(next() % 5 === 0 ? null : 'ünïcødé '.repeat(next() % 40));
          break;
        case 4:
          encoder['writeVarIntBytes']?.(next() % 7 === 0 ? null : Buffer.alloc(next() % 3000, next() % 256));
          break;
        case 5:
          encoder['writeString']?.('x'.repeat(next() % 700));
          break;
        case 6:
          encoder['writeVarLong']?.(next() % 1_000_000);
          break;
        case 7:
          encoder['writeInt8']?.((next() % 256) - 128);
          break;
        default:
          encoder['writeBytes']?.(randomBytesFrom(next, next() % 1500));
      }
    }
    return encoder.buffer;
  };
}

function randomBytesFrom(next: () => number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = next() & 0xff;
  return bytes;
}

describe('tuneKafkajsEncoder', () => {
  afterAll(() => useOriginal());

  it.each([1, 2, 3, 42, 2026])('writes the same bytes as kafkajs for a mixed script of writes (seed %i)', async (seed) => {
    const [theirs, ours] = await bothWays(writeScript(seed));
    expect(theirs.length).toBeGreaterThan(1000);
    expect(ours.equals(theirs)).toBe(true);
  });

  it('encodes a produce request (record batches with keys, values and headers) byte for byte as kafkajs does', async () => {
    const produceV3 = require('kafkajs/src/protocol/requests/produce/v3/request') as (args: object) => { encode(): Promise<{ buffer: Buffer }> };
    const messages = Array.from({ length: 500 }, (_, i) => ({
      key: `lead-${i}`,
      value: JSON.stringify({ i, text: 'ü'.repeat(i % 300), blob: randomBytes(8).toString('hex') }),
      headers: { 'event-type': 'lead.received', 'event-id': `id-${i}`, traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
      timestamp: String(1_700_000_000_000 + i),
    }));
    const request = produceV3({
      acks: -1,
      timeout: 30_000,
      topicData: [
        { topic: 'lead.received.v1', partitions: [{ partition: 0, firstSequence: 0, messages: messages.slice(0, 300) }] },
        { topic: 'activity.recorded.v1', partitions: [{ partition: 7, firstSequence: 0, messages: messages.slice(300) }] },
      ],
    });
    const [theirs, ours] = await bothWays(async () => (await request.encode()).buffer);
    expect(theirs.length).toBeGreaterThan(100_000);
    expect(ours.equals(theirs)).toBe(true);
  });

  it('gives a write of 64 KiB or more exactly the room it needs, and writes the same bytes around it', async () => {
    const payload = randomBytes(EXACT_GROWTH_BYTES * 3 + 17);
    let grownTo = 0;
    const frame = (): Buffer => {
      const encoder = new (Encoder as unknown as new () => AnyEncoder & { buf: Buffer })();
      encoder['writeInt16']?.(0);
      encoder['writeString']?.('leadstream-ingestion');
      encoder['writeBuffer']?.(payload); // kafkajs's request framing copies the encoded request like this
      grownTo = encoder.buf.length;
      encoder['writeInt32']?.(7); // a small write after it still fits by doubling
      return encoder.buffer;
    };
    const [theirs, ours] = await bothWays(frame);
    expect(ours.equals(theirs)).toBe(true);
    useOriginal();
    frame();
    expect(grownTo).toBe(2 ** 18); // kafkajs: the next power of two
    expect(tuneKafkajsEncoder(Encoder)).toBe(true);
    frame();
    useOriginal();
    expect(grownTo).toBe(2 + 2 + 'leadstream-ingestion'.length + payload.length);
  });

  it('installs once and refuses an Encoder that is not the one it was written for', () => {
    useOriginal();
    expect(tuneKafkajsEncoder(Encoder)).toBe(true);
    const tuned = Encoder.prototype.writeUVarInt;
    expect(tuned).not.toBe(original.writeUVarInt);
    expect(tuneKafkajsEncoder(Encoder)).toBe(true);
    expect(Encoder.prototype.writeUVarInt).toBe(tuned);
    useOriginal();

    const unlike = { prototype: { ensureAvailable: original.ensureAvailable, writeUVarInt: original.writeUVarInt }, nextPowerOfTwo: (v: number) => v };
    expect(tuneKafkajsEncoder(unlike)).toBe(false);
    expect(unlike.prototype.writeUVarInt).toBe(original.writeUVarInt);
  });
});
