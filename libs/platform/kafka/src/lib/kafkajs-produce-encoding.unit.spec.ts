// kafkajs's produce request v3 (which v4-v7 reuse), installed (with patches/kafkajs+2.2.4.patch: one
// buffer for the whole request) and as published (nested Encoders): the same bytes, whichever way.
import { kafkajsModule } from './kafkajs-upstream';

/** What kafkajs's Produce v3-v7 requests are called with. */
interface ProduceRequestInput {
  readonly acks: number;
  readonly timeout: number;
  readonly transactionalId?: string | null;
  readonly producerId?: unknown;
  readonly producerEpoch?: number;
  readonly compression?: number;
  readonly topicData: readonly {
    readonly topic: string;
    readonly partitions: readonly { readonly partition: number; readonly firstSequence?: number; readonly messages: readonly Record<string, unknown>[] }[];
  }[];
}
interface EncodedRequest {
  buf: Buffer;
  offset: number;
  buffer: Buffer;
  roomInFront?: unknown;
}
type ProduceRequestFunction = (input: ProduceRequestInput) => { apiKey: number; apiVersion: number; apiName: string; expectResponse(): boolean; encode(): Promise<EncodedRequest> };

const REQUEST = 'src/protocol/requests/produce/v3/request';
const theirs = kafkajsModule<ProduceRequestFunction>(REQUEST, 'upstream');
const ours = kafkajsModule<ProduceRequestFunction>(REQUEST, 'installed');
const Encoder = kafkajsModule<new () => object>('src/protocol/encoder', 'installed');
/** How many of the installed requests encoded so far took the one-buffer path. */
let oneBuffer = 0;

async function bytesOf(request: ReturnType<ProduceRequestFunction>, installed = false): Promise<Buffer> {
  const encoder = await request.encode();
  if (installed) {
    expect(encoder).toBeInstanceOf(Encoder);
    // The one-buffer request is exactly its bytes, with room for the framing in front; nested Encoders grow by doubling.
    if (encoder.roomInFront !== undefined && encoder.buf.length === encoder.offset) oneBuffer += 1;
  }
  return encoder.buffer;
}

const NOW = 1_763_900_000_123;

/** Encodes `input` both ways: the same bytes, and the same request fields. */
async function expectSameRequest(input: ProduceRequestInput): Promise<void> {
  const expected = theirs(input);
  const actual = ours(input);
  expect({ apiKey: actual.apiKey, apiVersion: actual.apiVersion, apiName: actual.apiName, expectResponse: actual.expectResponse() }).toEqual({
    apiKey: expected.apiKey,
    apiVersion: expected.apiVersion,
    apiName: expected.apiName,
    expectResponse: expected.expectResponse(),
  });
  expect((await bytesOf(actual, true)).toString('hex')).toBe((await bytesOf(expected)).toString('hex'));
}

// Deterministic pseudo-random values.
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state;
  };
}

const message = (i: number): { key: string; value: string; headers: Record<string, string> } => ({
  key: `6f1c2a4e-8b5d-4c3e-9a7f-${String(i).padStart(12, '0')}`,
  value: JSON.stringify({ type: 'lead.received', data: { lead: { email: `ada.${i}@example.com`, company: 'Ünïcødé GmbH' } } }),
  headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'event-type': 'lead.received' },
});

describe('the installed produce request', () => {
  beforeEach(() => {
    oneBuffer = 0;
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('writes the bytes kafkajs writes for event records over two topics and several partitions', async () => {
    await expectSameRequest({
      acks: -1,
      timeout: 30_000,
      topicData: [
        { topic: 'lead.received.v1', partitions: [0, 3, 7].map((partition) => ({ partition, messages: Array.from({ length: 50 }, (_, i) => message(partition * 100 + i)) })) },
        { topic: 'lead.rejected.v1', partitions: [{ partition: 1, messages: [message(1)] }] },
      ],
    });
    expect(oneBuffer).toBe(1);
  });

  it('writes the same bytes for null and Buffer keys and values, empty and array headers, acks 0 and 1, an empty partition', async () => {
    for (const acks of [0, 1, -1]) {
      await expectSameRequest({
        acks,
        timeout: 5,
        topicData: [
          {
            topic: 'tópic',
            partitions: [
              { partition: 0, messages: [{ value: 'only a value' }, { key: null, value: null }, { key: Buffer.from([0, 1, 255]), value: Buffer.alloc(0), headers: {} }] },
              { partition: 1, messages: [{ key: '', value: '', headers: { empty: '', bytes: Buffer.from('xyz'), many: ['a', Buffer.from('b'), ''], none: [] } }] },
              { partition: 2, messages: [] },
            ],
          },
        ],
      });
    }
    await expectSameRequest({ acks: -1, timeout: 1, topicData: [] });
    expect(oneBuffer).toBe(4);
  });

  it('writes the same bytes across varint size boundaries and for 3,000 random records', async () => {
    const lengths = [0, 1, 63, 64, 65, 127, 128, 8_191, 8_192, 8_193, 70_000];
    await expectSameRequest({
      acks: -1,
      timeout: 1000,
      topicData: [{ topic: 't', partitions: [{ partition: 0, messages: lengths.map((length) => ({ key: 'k'.repeat(length), value: Buffer.alloc(length, 7), headers: { h: 'é'.repeat(length) } })) }] }],
    });
    // 200 records in one partition: the offset delta crosses 63/64 and 127/128.
    await expectSameRequest({ acks: -1, timeout: 1000, topicData: [{ topic: 't', partitions: [{ partition: 9, messages: Array.from({ length: 200 }, (_, i) => message(i)) }] }] });

    const next = generator(42);
    const text = (): string => 'aé€😀 '.repeat(next() % 50).slice(0, next() % 200);
    const bytes = (): Buffer | string => (next() % 2 === 0 ? text() : Buffer.alloc(next() % 300, next() % 256));
    const nullable = (): Buffer | string | null => (next() % 6 === 0 ? null : bytes());
    const randomMessage = (): ProduceRequestInput['topicData'][number]['partitions'][number]['messages'][number] => {
      const headers: Record<string, unknown> = {};
      for (let h = next() % 4; h > 0; h--) headers[`h${next() % 10}-${text()}`] = next() % 5 === 0 ? [bytes(), bytes()] : bytes();
      return { key: nullable(), value: nullable(), headers };
    };
    await expectSameRequest({
      acks: -1,
      timeout: 30_000,
      topicData: Array.from({ length: 3 }, (_, t) => ({
        topic: `topic-${t}`,
        partitions: Array.from({ length: 4 }, (_, p) => ({ partition: p, messages: Array.from({ length: 250 }, randomMessage) })),
      })),
    });
    expect(oneBuffer).toBe(3);
  });

  it("leaves compression, transactions, the idempotent producer and timestamps to kafkajs's own request", async () => {
    const topicData = [{ topic: 't', partitions: [{ partition: 0, messages: [message(1)] }] }];
    await expectSameRequest({ acks: -1, timeout: 1, compression: 1, topicData });
    await expectSameRequest({ acks: -1, timeout: 1, transactionalId: 'tx', topicData });
    await expectSameRequest({ acks: -1, timeout: 1, producerId: 7, producerEpoch: 2, topicData: [{ topic: 't', partitions: [{ partition: 0, firstSequence: 5, messages: [message(1)] }] }] });
    await expectSameRequest({ acks: -1, timeout: 1, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ ...message(1), timestamp: NOW - 5 }] }] }] });
    expect(oneBuffer).toBe(0);
  });

  it("gives kafkajs's own error for what kafkajs cannot encode (a number value, a null header value)", async () => {
    for (const bad of [{ value: 42 }, { value: 'x', headers: { h: null } }, { value: 'x', headers: { h: ['a', undefined] } }]) {
      const input = { acks: -1, timeout: 1, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [bad] }] }] };
      const expected = await theirs(input).encode().then(() => 'encoded', (error: Error) => error.message);
      const actual = await ours(input).encode().then(() => 'encoded', (error: Error) => error.message);
      expect(expected).not.toBe('encoded');
      expect(actual).toBe(expected);
    }
  });
});

describe('the installed CRC-32C of record batches', () => {
  type Crc32C = (buffer: Buffer, start?: number, end?: number) => number;
  const CRC = 'src/protocol/recordBatch/crc32C/crc32C';
  const installed = kafkajsModule<Crc32C>(CRC, 'installed');
  const upstream = kafkajsModule<Crc32C>(CRC, 'upstream');

  it('gives the published check value and what kafkajs computes, for every length up to 70 and for ranges', () => {
    expect(installed(Buffer.from('123456789'))).toBe(0xe3069283);
    const data = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + (i >> 3)) & 0xff));
    for (let length = 0; length <= 70; length++) expect(installed(data.subarray(0, length))).toBe(upstream(data.subarray(0, length)));
    for (const [start, end] of [[1, 4096], [3, 1000], [17, 18], [100, 3333]] as const) expect(installed(data, start, end)).toBe(upstream(data.subarray(start, end)));
  });
});
