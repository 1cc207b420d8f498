// kafkajs's Encoder and request framing, installed (with patches/kafkajs+2.2.4.patch) and as published:
// the same bytes, with fewer allocations and copies.
import { randomBytes } from 'node:crypto';
import { kafkajsModule } from './kafkajs-upstream';

type AnyEncoder = Record<string, (...args: unknown[]) => AnyEncoder> & { buffer: Buffer; buf: Buffer; offset: number };
type EncoderClass = new () => AnyEncoder;
const Encoder = { installed: kafkajsModule<EncoderClass>('src/protocol/encoder', 'installed'), upstream: kafkajsModule<EncoderClass>('src/protocol/encoder', 'upstream') };

/** Runs `encode` with kafkajs as published and as installed; both must give the same bytes. */
async function bothWays(encode: (Encoder: EncoderClass) => Buffer | Promise<Buffer>): Promise<[Buffer, Buffer]> {
  return [await encode(Encoder.upstream), await encode(Encoder.installed)];
}

// A deterministic mix of every kind of write, with sizes that cross the growth boundaries.
function writeScript(seed: number): (Encoder: EncoderClass) => Buffer {
  return (Encoder) => {
    let state = seed;
    const next = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state;
    };
    const encoder = new Encoder();
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

describe('the installed Encoder', () => {
  it.each([1, 2, 3, 42, 2026])('writes the same bytes as kafkajs for a mixed script of writes (seed %i)', async (seed) => {
    const [theirs, ours] = await bothWays(writeScript(seed));
    expect(theirs.length).toBeGreaterThan(1000);
    expect(ours.equals(theirs)).toBe(true);
  });

  it('gives a write of 64 KiB or more exactly the room it needs, and writes the same bytes around it', async () => {
    const payload = randomBytes(64 * 1024 * 3 + 17);
    const grownTo = new Map<EncoderClass, number>();
    const [theirs, ours] = await bothWays((Encoder) => {
      const encoder = new Encoder();
      encoder['writeInt16']?.(0);
      encoder['writeString']?.('leadstream-ingestion');
      encoder['writeBuffer']?.(payload); // how kafkajs's request framing copies an encoded request
      grownTo.set(Encoder, encoder.buf.length);
      encoder['writeInt32']?.(7); // a small write after it still fits by doubling
      return encoder.buffer;
    });
    expect(ours.equals(theirs)).toBe(true);
    expect(grownTo.get(Encoder.upstream)).toBe(2 ** 18); // the next power of two
    expect(grownTo.get(Encoder.installed)).toBe(2 + 2 + 'leadstream-ingestion'.length + payload.length);
  });
});

// kafkajs/src/protocol/request.js: what a connection sends, the request header and size around encode().
interface ProduceRequest {
  apiKey: number;
  apiVersion: number;
  encode(): Promise<AnyEncoder & { roomInFront?: unknown }>;
}
type CreateRequest = (args: { correlationId: number; clientId: string; request: ProduceRequest }) => Promise<{ buffer: Buffer }>;
type ProduceRequestFunction = (input: object) => ProduceRequest;
const kafkajs = (from: 'installed' | 'upstream') => ({
  createRequest: kafkajsModule<CreateRequest>('src/protocol/request', from),
  produce: kafkajsModule<ProduceRequestFunction>('src/protocol/requests/produce/v3/request', from),
});
const installed = kafkajs('installed');
const upstream = kafkajs('upstream');

describe('framing a produce request in place', () => {
  const input = {
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

  /** The installed produce request, encoded once, as a request that answers that same encoding every time. */
  async function encodedOnce(): Promise<{ request: ProduceRequest; payload: Awaited<ReturnType<ProduceRequest['encode']>> }> {
    const request = installed.produce(input);
    const payload = await request.encode();
    return { request: { ...request, encode: async () => payload }, payload };
  }

  /** What kafkajs as published sends for `input`. */
  const kafkajsBytes = async (clientId: string): Promise<Buffer> => (await upstream.createRequest({ correlationId: 4242, clientId, request: upstream.produce(input) })).buffer;
  const send = async (clientId: string, request: ProduceRequest): Promise<Buffer> => (await installed.createRequest({ correlationId: 4242, clientId, request })).buffer;

  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(1_763_900_000_123));
  afterEach(() => jest.restoreAllMocks());

  it('sends the bytes kafkajs sends, written around the encoded request instead of copying it twice', async () => {
    const expected = await kafkajsBytes('leadstream-ingestion');
    expect(expected.length).toBeGreaterThan(100_000);
    const { request, payload } = await encodedOnce();
    const sent = await send('leadstream-ingestion', request);
    expect(sent.equals(expected)).toBe(true);
    // The same memory as the encoded request: the header went into the room in front of it.
    expect(sent.buffer).toBe(payload.buf.buffer);
    expect(sent.byteOffset + sent.length).toBe(payload.buf.byteOffset + payload.buf.length);
  });

  it('copies, with the same bytes, a client id too long for the room and a request framed a second time', async () => {
    const longId = 'ü'.repeat(256);
    const long = await encodedOnce();
    const sentLong = await send(longId, long.request);
    expect(sentLong.equals(await kafkajsBytes(longId))).toBe(true);
    expect(sentLong.buffer).not.toBe(long.payload.buf.buffer);

    const expected = await kafkajsBytes('leadstream-ingestion');
    const { request, payload } = await encodedOnce();
    const first = await send('leadstream-ingestion', request);
    const second = await send('leadstream-ingestion', request);
    expect(first.equals(expected)).toBe(true);
    expect(second.equals(expected)).toBe(true);
    expect(second.buffer).not.toBe(payload.buf.buffer);
  });

  it('copies a request written to after it was encoded, and leaves the room in front of it alone', async () => {
    for (const extra of [Buffer.from([5]), randomBytes(64 * 1024)]) {
      const { request, payload } = await encodedOnce();
      const room = Buffer.from(payload.buf.buffer, payload.buf.byteOffset - 256, 256).fill(0xee);
      const before = Buffer.from(payload.buffer);
      payload['writeBuffer']?.(extra); // regrows: by doubling, or to exactly its size
      const sent = await send('leadstream-ingestion', request);
      const header = sent.subarray(0, sent.length - before.length - extra.length);
      expect(Buffer.concat([header, before, extra]).equals(sent)).toBe(true);
      expect(header.readInt32BE(0)).toBe(sent.length - 4);
      expect(room.equals(Buffer.alloc(256, 0xee))).toBe(true);
    }
  });
});
