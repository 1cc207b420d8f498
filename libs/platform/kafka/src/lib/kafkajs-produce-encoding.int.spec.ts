// The produce path every service runs, under Jest as in production: EventPublisher -> kafkajs producer ->
// the installed (patched, patches/kafkajs+2.2.4.patch) produce request and framing -> the socket, against
// the development broker. What went over the socket must be the one-buffer request framed in place, and
// byte for byte what kafkajs as published would have sent for the same records.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type RunningBroker } from '@leadstream/broker';
import { TOPICS } from '@leadstream/contracts';
import type { Logger } from '@leadstream/platform-observability';
import { aLead, aLeadReceivedEvent, resetTestIds } from '@leadstream/testing';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { ensureTopics } from './ensure-topics';
import { EventPublisher } from './event-publisher';
import { kafkajsModule } from './kafkajs-upstream';

jest.setTimeout(60_000);

const PRODUCE_API_KEY = 0;
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

let broker: RunningBroker | undefined;
let dataDir: string;

beforeEach(async () => {
  resetTestIds();
  dataDir = mkdtempSync(join(tmpdir(), 'leadstream-produce-path-int-'));
  broker = await startBroker({ port: 0, dataDir });
});

afterEach(async () => {
  jest.restoreAllMocks();
  await broker?.stop();
  broker = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

async function readBack(brokers: string[], topic: string, count: number): Promise<KafkaMessage[]> {
  const reader = new Kafka({ clientId: 'produce-path-reader', brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: 'produce-path-reader', maxWaitTimeInMs: 200 });
  const messages: KafkaMessage[] = [];
  await reader.connect();
  try {
    await reader.subscribe({ topics: [topic], fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void messages.push(message) });
    const deadline = Date.now() + 20_000;
    while (messages.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return messages;
  } finally {
    await reader.disconnect();
  }
}

/** A request as kafkajs frames it: size, api key, api version, correlation id, client id (the broker's answers share the socket class). */
function isProduceRequestOf(clientId: string, bytes: Buffer): boolean {
  const idSize = Buffer.byteLength(clientId);
  return bytes.length > 14 + idSize && bytes.readInt16BE(4) === PRODUCE_API_KEY && bytes.readInt16BE(12) === idSize && bytes.toString('utf8', 14, 14 + idSize) === clientId;
}

type CreateRequest = (args: { correlationId: number; clientId: string; request: { apiKey: number; apiVersion: number; encode(): Promise<unknown> } }) => Promise<{ buffer: Buffer }>;
type ProduceRequestFunction = (input: object) => { apiKey: number; apiVersion: number; encode(): Promise<unknown> };

describe('the produce path under Jest', () => {
  it('sends the one-buffer request framed in place, with the bytes kafkajs as published sends', async () => {
    const brokers = [`127.0.0.1:${(broker as RunningBroker).port}`];
    const clientId = 'produce-path-int';
    // One partition, so one send is one batch that the records read back describe completely.
    await ensureTopics({ brokers, clientId }, [TOPICS.leadReceived], 1);
    const written: Buffer[] = [];
    const write = net.Socket.prototype.write;
    jest.spyOn(net.Socket.prototype, 'write').mockImplementation(function (this: net.Socket, ...args: Parameters<net.Socket['write']>) {
      const [chunk] = args;
      if (Buffer.isBuffer(chunk) && isProduceRequestOf(clientId, chunk)) written.push(chunk);
      return write.apply(this, args);
    });

    const publisher = new EventPublisher({ brokers, clientId }, { logger: quiet });
    await publisher.connect();
    const events = Array.from({ length: 60 }, (_, i) => aLeadReceivedEvent(aLead().withEmail(`ada.${i}@example.com`).build()).build());
    try {
      await publisher.publish(events);
    } finally {
      await publisher.disconnect();
    }

    expect(written).toHaveLength(1);
    const sent = written[0] as Buffer;
    expect(sent.length).toBeGreaterThan(8 * 1024); // past Buffer's pool, so the allocation is the request's own
    // Framed in place: the header sits in front of the encoded request, inside the one allocation that
    // ends where the request ends. kafkajs as published sends a fresh buffer, from its start.
    expect(sent.byteOffset).toBeGreaterThan(0);
    expect(sent.byteOffset + sent.length).toBe(sent.buffer.byteLength);

    const messages = await readBack(brokers, TOPICS.leadReceived, events.length);
    expect(messages.map((message) => message.key?.toString())).toEqual(events.map((event) => event.metadata.leadId));

    // What kafkajs as published sends for those records, at the batch's time, with the request's ids.
    const upstream = {
      createRequest: kafkajsModule<CreateRequest>('src/protocol/request', 'upstream'),
      produce: kafkajsModule<ProduceRequestFunction>('src/protocol/requests/produce/v3/request', 'upstream'),
    };
    const headerSize = 4 + 2 + 2 + 4 + 2 + Buffer.byteLength(clientId);
    const input = {
      acks: sent.readInt16BE(headerSize + 2),
      timeout: sent.readInt32BE(headerSize + 4),
      topicData: [{ topic: TOPICS.leadReceived, partitions: [{ partition: 0, messages: messages.map(({ key, value, headers }) => ({ key, value, headers })) }] }],
    };
    jest.spyOn(Date, 'now').mockReturnValue(Number((messages[0] as KafkaMessage).timestamp));
    const request = { ...upstream.produce(input), apiVersion: sent.readInt16BE(6) };
    const expected = await upstream.createRequest({ correlationId: sent.readInt32BE(8), clientId, request });
    expect(sent.equals(expected.buffer)).toBe(true);
  });
});
