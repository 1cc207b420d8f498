import { randomBytes } from 'node:crypto';
import { EXACT_GROWTH_BYTES, FRAMING_ROOM_BYTES, kafkajsEncoder, markRoomInFront, tuneKafkajsEncoder } from './kafkajs-encoder';
import { kafkajsProduceRequest, oneBufferProduceRequest, type ProduceRequestInput } from './kafkajs-produce-encoding';

// The originals, taken before anything in this file tunes the Encoder.
const Encoder = kafkajsEncoder();
const original = { ensureAvailable: Encoder.prototype.ensureAvailable, writeUVarInt: Encoder.prototype.writeUVarInt, writeEncoder: Encoder.prototype.writeEncoder };

type AnyEncoder = Record<string, (...args: unknown[]) => AnyEncoder> & { buffer: Buffer };

function useOriginal(): void {
  Encoder.prototype.ensureAvailable = original.ensureAvailable;
  Encoder.prototype.writeUVarInt = original.writeUVarInt;
  Encoder.prototype.writeEncoder = original.writeEncoder;
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

    const unlike = { prototype: { ...original }, nextPowerOfTwo: (v: number) => v };
    expect(tuneKafkajsEncoder(unlike)).toBe(false);
    expect(unlike.prototype.writeUVarInt).toBe(original.writeUVarInt);
  });
});

// kafkajs/src/protocol/request.js: what a connection sends, the request header and size around encode().
type CreateRequest = (args: { correlationId: number; clientId: string; request: { apiKey: number; apiVersion: number; encode(): Promise<unknown> } }) => Promise<{ buffer: Buffer }>;
const createRequest = require('kafkajs/src/protocol/request') as CreateRequest;

describe('framing a produce request in place', () => {
  afterAll(() => useOriginal());

  const input: ProduceRequestInput = {
    acks: -1,
    timeout: 30_000,
    topicData: [
      {
        topic: 'lead.received.bulk.v1',
        partitions: [0, 5].map((partition) => ({
          partition,
          messages: Array.from({ length: 400 }, (_, i) => ({
            key: `lead-${partition}-${i}`,
            value: JSON.stringify({ i, company: 'Ünïcødé GmbH', note: 'x'.repeat(i) }),
            headers: { 'event-type': 'lead.received' },
          })),
        })),
      },
    ],
  };
  const ours = oneBufferProduceRequest(kafkajsProduceRequest(), Encoder.prototype);
  const send = (clientId: string, request = ours(input)): Promise<{ buffer: Buffer }> => createRequest({ correlationId: 4242, clientId, request });

  /** What kafkajs alone sends for `input`: its own produce request, framed by its own Encoder. */
  async function kafkajsBytes(clientId: string): Promise<Buffer> {
    useOriginal();
    return (await createRequest({ correlationId: 4242, clientId, request: kafkajsProduceRequest()(input) })).buffer;
  }

  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(1_763_900_000_123));
  afterEach(() => jest.restoreAllMocks());

  it('sends the bytes kafkajs sends, written around the encoded request instead of copying it twice', async () => {
    const expected = await kafkajsBytes('leadstream-ingestion');
    expect(expected.length).toBeGreaterThan(100_000);
    expect(tuneKafkajsEncoder(Encoder)).toBe(true);
    const request = ours(input);
    const payload = await request.encode();
    const sent = await send('leadstream-ingestion', { ...request, encode: async () => payload });
    expect(sent.buffer.equals(expected)).toBe(true);
    // The same memory as the encoded request: the header went into the room in front of it.
    expect(sent.buffer.buffer).toBe(payload.buf.buffer);
    expect(sent.buffer.byteOffset + sent.buffer.length).toBe(payload.buf.byteOffset + payload.buf.length);
  });

  it('copies, with the same bytes, a client id too long for the room and a request framed a second time', async () => {
    const longId = 'ü'.repeat(FRAMING_ROOM_BYTES);
    const expectedLong = await kafkajsBytes(longId);
    const expected = await kafkajsBytes('leadstream-ingestion');
    expect(tuneKafkajsEncoder(Encoder)).toBe(true);
    const long = (await send(longId)).buffer;
    expect(long.equals(expectedLong)).toBe(true);

    const request = ours(input);
    const payload = await request.encode();
    const once = { ...request, encode: async () => payload };
    const first = (await send('leadstream-ingestion', once)).buffer;
    const second = (await send('leadstream-ingestion', once)).buffer;
    expect(first.equals(expected)).toBe(true);
    expect(second.equals(expected)).toBe(true);
    expect(second.buffer).not.toBe(payload.buf.buffer);
  });

  /** An encoder of `bytes` (written by `write`) that starts `room` bytes into a buffer of 0xee, marked as such. */
  function markedEncoder(room: number, bytes: number, write: (encoder: AnyEncoder) => void): { whole: Buffer; encoder: AnyEncoder } {
    const whole = Buffer.alloc(room + bytes, 0xee);
    const encoder = new (Encoder as unknown as new () => AnyEncoder & { buf: Buffer; offset: number })();
    encoder.buf = whole.subarray(room);
    encoder.offset = 0;
    write(encoder);
    markRoomInFront(encoder as unknown as { buf: Buffer; offset: number }, whole, room);
    return { whole, encoder };
  }

  it('copies an encoder written to after it was marked (regrown by doubling, or to exactly its size), and one marked with too little room', async () => {
    expect(tuneKafkajsEncoder(Encoder)).toBe(true);
    const written = markedEncoder(8, 4, (encoder) => encoder['writeInt32']?.(0x01020304));
    written.encoder['writeInt8']?.(5); // regrows: the room no longer applies
    const framed = new (Encoder as unknown as new () => AnyEncoder)();
    framed['writeInt16']?.(0x0a0b)?.['writeEncoder']?.(written.encoder);
    expect(framed.buffer.toString('hex')).toBe('0a0b0102030405');
    expect(written.whole.subarray(0, 8).toString('hex')).toBe('eeeeeeeeeeeeeeee');

    // A large write regrows to exactly the size needed (EXACT_GROWTH_BYTES): full again, but not the marked memory.
    const tail = randomBytes(EXACT_GROWTH_BYTES);
    const grown = markedEncoder(8, 4, (encoder) => encoder['writeInt32']?.(0x01020304));
    grown.encoder['writeBuffer']?.(tail);
    const framedGrown = new (Encoder as unknown as new () => AnyEncoder)();
    framedGrown['writeInt16']?.(0x0a0b)?.['writeEncoder']?.(grown.encoder);
    expect(framedGrown.buffer.equals(Buffer.concat([Buffer.from('0a0b01020304', 'hex'), tail]))).toBe(true);

    const small = markedEncoder(1, 2, (encoder) => encoder['writeInt16']?.(0x0c0d));
    const prefixed = new (Encoder as unknown as new () => AnyEncoder)();
    prefixed['writeInt16']?.(0x0a0b)?.['writeEncoder']?.(small.encoder);
    expect(prefixed.buffer.toString('hex')).toBe('0a0b0c0d');
    expect(small.whole[0]).toBe(0xee);
  });
});
