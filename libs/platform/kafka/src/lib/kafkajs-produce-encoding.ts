// kafkajs 2.2.4 builds a produce request out of nested Encoders: one per record (a zero-filled 512-byte
// ArrayBuffer, grown by copying) and one per header. Each partition's batch is then copied into a
// batch, the batch into a record set, the record set into a partition, the partitions into a topic and
// the topics into the request, and every one of those grows by doubling. So every record's bytes are
// copied again at each of those levels, into buffers that die at once: GC time, and memory held until
// collected (ADR 0007 has the CPU and RSS measured before and after).
//
// tuneKafkajsProduceEncoding() puts a replacement for kafkajs's produce request v3 (which v4-v7 reuse)
// into Node's module cache, where kafkajs loads it on the first send. The replacement sizes the whole
// request first and writes it into one buffer: records, batches and the CRC-32C in place (eight bytes
// per step, where kafkajs's took one: its CRC was 15 % of the busy samples of a CPU profile of
// ingestion during a CSV import).
// - It produces exactly kafkajs's bytes; kafkajs-produce-encoding.unit.spec.ts compares them.
// - It leaves FRAMING_ROOM_BYTES free in front of the request, where the tuned Encoder writes kafkajs's
//   request header and size instead of copying the request twice to put them in front (ADR 0009).
// - What it was not written for goes to kafkajs's own request, which also gives kafkajs's own errors:
//   compression, transactions, the idempotent producer, message timestamps, and keys, values or header
//   values that are not strings or Buffers (null keys and values are fine).

import { crc32c } from '@leadstream/platform-checksum';
import { FRAMING_ROOM_BYTES, markRoomInFront } from './kafkajs-encoder';

interface EncoderLike {
  buf: Buffer;
  offset: number;
}

interface ProduceMessage {
  readonly key?: unknown;
  readonly value?: unknown;
  readonly headers?: Readonly<Record<string, unknown>>;
  readonly timestamp?: unknown;
}

/** What kafkajs's Produce v3-v7 requests are called with. */
export interface ProduceRequestInput {
  readonly acks: number;
  readonly timeout: number;
  readonly transactionalId?: string | null;
  readonly producerId?: unknown;
  readonly producerEpoch?: number;
  readonly compression?: number;
  readonly topicData: readonly {
    readonly topic: string;
    readonly partitions: readonly { readonly partition: number; readonly firstSequence?: number; readonly messages: readonly ProduceMessage[] }[];
  }[];
}

export interface ProduceRequest {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly apiName: string;
  expectResponse(): boolean;
  encode(): Promise<EncoderLike>;
}

export type ProduceRequestFunction = (input: ProduceRequestInput) => ProduceRequest;

const REQUEST_MODULE = 'kafkajs/src/protocol/requests/produce/v3/request';
// The modules that capture v3 when they load (v4 and v5 require it, v6 and v7 require v5).
const REQUEST_USERS = [4, 5, 6, 7].map((version) => `kafkajs/src/protocol/requests/produce/v${version}/request`);
const ENCODER_MODULE = 'kafkajs/src/protocol/encoder';
const MARK = Symbol.for('leadstream.kafkajs-produce-encoding');

const MAGIC_BYTE = 2;
const NO_COMPRESSION = 0;
// The fixed part of a record batch after its length field: leader epoch 4, magic 1, crc 4, attributes 2,
// last offset delta 4, first and max timestamp 8 + 8, producer id 8, producer epoch 2, first sequence 4,
// record count 4.
const BATCH_FIXED_AFTER_LENGTH = 4 + 1 + 4 + 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;

/** Signed 32-bit zigzag varint size, as kafkajs's Encoder.sizeOfVarInt. */
function varIntSize(value: number): number {
  let rest = (value << 1) ^ (value >> 31);
  let size = 1;
  while ((rest & 0xffffff80) !== 0) {
    size += 1;
    rest >>>= 7;
  }
  return size;
}

function writeVarInt(buf: Buffer, at: number, value: number): number {
  let rest = (value << 1) ^ (value >> 31);
  while ((rest & 0xffffff80) !== 0) {
    buf[at++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  buf[at++] = rest & 0x7f;
  return at;
}

/** A non-negative safe integer (a timestamp in ms) as a big-endian int64. */
function writeInt64(buf: Buffer, at: number, value: number): number {
  buf.writeUInt32BE(Math.floor(value / 0x100000000), at);
  buf.writeUInt32BE(value >>> 0, at + 4);
  return at + 8;
}

/** Bytes of a key, value or header value: a Buffer as is, a string as UTF-8, null/undefined as none (-1). */
function byteSize(value: Buffer | string | null | undefined): number {
  if (value == null) return -1;
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
}

function writeBytes(buf: Buffer, at: number, value: Buffer | string | null | undefined, size: number): number {
  at = writeVarInt(buf, at, size);
  if (value == null) return at;
  if (typeof value === 'string') buf.write(value, at, size, 'utf8');
  else value.copy(buf, at);
  return at + size;
}

const isText = (value: unknown): value is Buffer | string => typeof value === 'string' || Buffer.isBuffer(value);

/** One record, sized: what the second pass writes. */
interface SizedRecord {
  readonly key: Buffer | string | null | undefined;
  readonly value: Buffer | string | null | undefined;
  readonly keySize: number;
  readonly valueSize: number;
  readonly headers: readonly (readonly [string, Buffer | string, number, number])[];
  readonly bodySize: number;
}

/** Sizes one message as kafkajs's recordBatch/record/v0 encodes it; undefined for what it does not handle. */
function sizeRecord(message: ProduceMessage, offsetDelta: number): SizedRecord | undefined {
  const { key, value, headers = {} } = message;
  if ((key != null && !isText(key)) || (value != null && !isText(value))) return undefined;
  const keySize = byteSize(key as Buffer | string | null | undefined);
  const valueSize = byteSize(value as Buffer | string | null | undefined);
  // attributes, timestamp delta (always 0: every record has the batch's time), offset delta
  let bodySize = 1 + 1 + varIntSize(offsetDelta);
  bodySize += varIntSize(keySize) + Math.max(keySize, 0) + varIntSize(valueSize) + Math.max(valueSize, 0);
  const sized: [string, Buffer | string, number, number][] = [];
  for (const headerKey of Object.keys(headers)) {
    const raw = headers[headerKey];
    // kafkajs writes one header per value of an array; it cannot size anything but strings and Buffers.
    for (const headerValue of Array.isArray(raw) ? (raw as unknown[]) : [raw]) {
      if (!isText(headerValue)) return undefined;
      const headerKeySize = Buffer.byteLength(headerKey, 'utf8');
      const headerValueSize = byteSize(headerValue);
      sized.push([headerKey, headerValue, headerKeySize, headerValueSize]);
      bodySize += varIntSize(headerKeySize) + headerKeySize + varIntSize(headerValueSize) + headerValueSize;
    }
  }
  bodySize += varIntSize(sized.length);
  return { key: key as SizedRecord['key'], value: value as SizedRecord['value'], keySize, valueSize, headers: sized, bodySize };
}

function writeRecord(buf: Buffer, at: number, record: SizedRecord, offsetDelta: number): number {
  at = writeVarInt(buf, at, record.bodySize);
  buf[at++] = 0; // attributes: none used
  buf[at++] = 0; // timestamp delta 0 (a zigzag varlong)
  at = writeVarInt(buf, at, offsetDelta);
  at = writeBytes(buf, at, record.key, record.keySize);
  at = writeBytes(buf, at, record.value, record.valueSize);
  at = writeVarInt(buf, at, record.headers.length);
  for (const [headerKey, headerValue, headerKeySize, headerValueSize] of record.headers) {
    at = writeBytes(buf, at, headerKey, headerKeySize);
    at = writeBytes(buf, at, headerValue, headerValueSize);
  }
  return at;
}

interface SizedPartition {
  readonly partition: number;
  readonly timestamp: number;
  readonly records: readonly SizedRecord[];
  /** Bytes of the batch after its length field. */
  readonly batchLength: number;
}

const isDefaultProducerId = (producerId: unknown): boolean =>
  producerId === undefined || producerId === -1 || (typeof producerId === 'object' && producerId !== null && (producerId as { value?: unknown }).value === -1n);

/**
 * The produce request kafkajs's v3 module would make, encoded in one buffer; `fallback` (kafkajs's own)
 * for what this was not written for. `encoderPrototype` makes the result a kafkajs Encoder.
 */
export function oneBufferProduceRequest(fallback: ProduceRequestFunction, encoderPrototype: object): ProduceRequestFunction {
  return (input) => {
    const simple =
      input.transactionalId == null &&
      (input.compression ?? NO_COMPRESSION) === NO_COMPRESSION &&
      isDefaultProducerId(input.producerId) &&
      (input.producerEpoch ?? 0) === 0 &&
      input.topicData.every((topic) => topic.partitions.every((partition) => (partition.firstSequence ?? 0) === 0 && partition.messages.every((message) => message.timestamp == null)));
    if (!simple) return fallback(input);
    return {
      apiKey: 0,
      apiVersion: 3,
      apiName: 'Produce',
      expectResponse: () => input.acks !== 0,
      encode: async () => encode(input) ?? (await fallback(input).encode()),
    };
  };

  function encode(input: ProduceRequestInput): EncoderLike | undefined {
    // Pass 1: sizes. transactional id (null: int16 -1), acks, timeout, topic count.
    let total = 2 + 2 + 4 + 4;
    const topics: { topic: string; topicSize: number; partitions: SizedPartition[] }[] = [];
    for (const { topic, partitions } of input.topicData) {
      const topicSize = Buffer.byteLength(topic, 'utf8');
      total += 2 + topicSize + 4;
      const sizedPartitions: SizedPartition[] = [];
      for (const { partition, messages } of partitions) {
        // Without message timestamps every record has the time of encoding, and a delta of 0.
        const timestamp = Date.now();
        const records: SizedRecord[] = [];
        let batchLength = BATCH_FIXED_AFTER_LENGTH;
        for (let i = 0; i < messages.length; i++) {
          const record = sizeRecord(messages[i] as ProduceMessage, i);
          if (!record) return undefined;
          records.push(record);
          batchLength += varIntSize(record.bodySize) + record.bodySize;
        }
        sizedPartitions.push({ partition, timestamp, records, batchLength });
        // partition, record set size, base offset, batch length, the batch.
        total += 4 + 4 + 8 + 4 + batchLength;
      }
      topics.push({ topic, topicSize, partitions: sizedPartitions });
    }

    // Pass 2: bytes, after room for the framing kafkajs puts in front (written there, not copied).
    const whole = Buffer.allocUnsafe(FRAMING_ROOM_BYTES + total);
    const buf = whole.subarray(FRAMING_ROOM_BYTES);
    let at = buf.writeInt16BE(-1, 0);
    at = buf.writeInt16BE(input.acks, at);
    at = buf.writeInt32BE(input.timeout, at);
    at = buf.writeInt32BE(topics.length, at);
    for (const { topic, topicSize, partitions } of topics) {
      at = buf.writeInt16BE(topicSize, at);
      at += buf.write(topic, at, topicSize, 'utf8');
      at = buf.writeInt32BE(partitions.length, at);
      for (const { partition, timestamp, records, batchLength } of partitions) {
        at = buf.writeInt32BE(partition, at);
        at = buf.writeInt32BE(8 + 4 + batchLength, at); // the record set: base offset, length, batch
        at = writeInt64(buf, at, 0); // base offset
        at = buf.writeInt32BE(batchLength, at);
        at = buf.writeInt32BE(0, at); // partition leader epoch
        at = buf.writeInt8(MAGIC_BYTE, at);
        const crcAt = at;
        at += 4;
        const crcFrom = at;
        at = buf.writeInt16BE(NO_COMPRESSION, at); // attributes: no compression, create time, not transactional
        at = buf.writeInt32BE(records.length - 1, at); // last offset delta
        at = writeInt64(buf, at, timestamp); // first timestamp
        at = writeInt64(buf, at, timestamp); // max timestamp
        at = buf.writeInt32BE(-1, at); // producer id -1, as int64
        at = buf.writeInt32BE(-1, at);
        at = buf.writeInt16BE(0, at); // producer epoch
        at = buf.writeInt32BE(0, at); // first sequence
        at = buf.writeInt32BE(records.length, at);
        for (let i = 0; i < records.length; i++) at = writeRecord(buf, at, records[i] as SizedRecord, i);
        buf.writeUInt32BE(crc32c(buf, crcFrom, at), crcAt);
      }
    }
    const encoder = Object.create(encoderPrototype) as EncoderLike;
    encoder.buf = buf;
    encoder.offset = at;
    markRoomInFront(encoder, whole, FRAMING_ROOM_BYTES);
    return encoder;
  }
}

/**
 * Installs the one-buffer produce request where kafkajs will load it, once per process. Call it before
 * the first send (createKafkaClient does). Returns false, changing nothing, when kafkajs already holds
 * its own (a produce request of v4-v7 was loaded first).
 */
export function tuneKafkajsProduceEncoding(): boolean {
  const path = require.resolve(REQUEST_MODULE);
  require(path);
  const cached = require.cache[path];
  if (!cached) return false;
  if ((cached.exports as { [MARK]?: boolean })[MARK]) return true;
  if (REQUEST_USERS.some((id) => require.cache[require.resolve(id)] !== undefined)) return false;
  const encoderPrototype = (require(ENCODER_MODULE) as { prototype: object }).prototype;
  const original = cached.exports as ProduceRequestFunction;
  const replacement = oneBufferProduceRequest(original, encoderPrototype) as ProduceRequestFunction & { [MARK]?: boolean };
  replacement[MARK] = true;
  cached.exports = replacement;
  // OpenTelemetry's require hook (require-in-the-middle) keeps each module's exports under a private
  // symbol on its require.cache entry and answers later requires from there: point that at the
  // replacement too, or kafkajs would still get its own request.
  const entry = cached as unknown as Record<symbol, unknown>;
  for (const key of Object.getOwnPropertySymbols(entry)) {
    if (entry[key] === original) entry[key] = replacement;
  }
  return true;
}

/** kafkajs's own produce request v3, for comparisons (loaded from its file, never the replacement). */
export function kafkajsProduceRequest(): ProduceRequestFunction {
  const path = require.resolve(REQUEST_MODULE);
  const cached = require.cache[path];
  delete require.cache[path];
  try {
    return require(path) as ProduceRequestFunction;
  } finally {
    if (cached) require.cache[path] = cached;
    else delete require.cache[path];
  }
}
