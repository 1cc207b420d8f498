// kafkajs's request framing (src/protocol/request.js), installed (with patches/kafkajs+2.2.4.patch:
// the header and size written into the room the one-buffer produce request leaves in front) and as
// published (the request copied twice): the same bytes.
import { randomBytes } from 'node:crypto';
import { kafkajsModule } from './kafkajs-upstream';

type AnyEncoder = Record<string, (...args: unknown[]) => AnyEncoder> & { buffer: Buffer; buf: Buffer; offset: number };

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
      payload['writeBuffer']?.(extra); // regrows its buf: the room in front no longer belongs to it
      const sent = await send('leadstream-ingestion', request);
      const header = sent.subarray(0, sent.length - before.length - extra.length);
      expect(Buffer.concat([header, before, extra]).equals(sent)).toBe(true);
      expect(header.readInt32BE(0)).toBe(sent.length - 4);
      expect(room.equals(Buffer.alloc(256, 0xee))).toBe(true);
    }
  });
});
