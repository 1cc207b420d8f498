import * as net from 'node:net';
import { CompressionTypes, type Kafka } from 'kafkajs';
import { startBroker } from '../src/index';
import { Reader, Writer } from '../src/protocol/codec';
import { collectingConsumer, kafkaFor, tempDir, uniqueName, waitFor, withAdmin, type Received } from './helpers';

describe('development broker with kafkajs over TCP', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let kafka: Kafka;

  beforeAll(async () => {
    broker = await startBroker({ port: 0, dataDir: tempDir('produce'), partitions: 4 });
    kafka = kafkaFor(broker.port);
  });

  afterAll(async () => {
    await broker.stop();
  });

  it('round-trips keys, values and headers, and keeps per-key order within a partition', async () => {
    const topic = uniqueName('orders');
    const producer = kafka.producer();
    await producer.connect();
    const keys = ['lead-a', 'lead-b', 'lead-c', 'lead-d', 'lead-e'];
    const sent: Array<{ key: string; value: string; seq: number }> = [];
    for (let round = 0; round < 20; round++) {
      const messages = keys.map((key) => {
        const seq = round;
        sent.push({ key, value: `${key}:${seq}`, seq });
        return { key, value: `${key}:${seq}`, headers: { 'trace-id': `t-${key}-${seq}`, binary: Buffer.from([0, 1, 2, 255]) } };
      });
      await producer.send({ topic, acks: -1, messages });
    }
    await producer.disconnect();

    const received: Received[] = [];
    const consumer = await collectingConsumer(kafka, uniqueName('g'), topic, received);
    try {
      await waitFor(() => received.length >= sent.length, 15_000, 'all messages');
    } finally {
      await consumer.disconnect();
    }
    expect(received).toHaveLength(sent.length);
    for (const m of received) {
      const [key, seq] = (m.value ?? '').split(':');
      expect(m.key).toBe(key);
      expect(m.headers['trace-id']).toBe(`t-${key}-${seq}`);
      expect(m.headers.binary).toBe(Buffer.from([0, 1, 2, 255]).toString());
    }
    for (const key of keys) {
      const forKey = received.filter((m) => m.key === key);
      expect(new Set(forKey.map((m) => m.partition)).size).toBe(1);
      expect(forKey.map((m) => Number((m.value ?? '').split(':')[1]))).toEqual([...Array(20).keys()]);
      const offsets = forKey.map((m) => Number(m.offset));
      expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
    }
  });

  it('accepts acks 0, 1 and -1 and passes compressed batches through', async () => {
    const topic = uniqueName('acks');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: 1, messages: [{ key: 'k', value: 'one' }] });
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'minus-one' }] });
    await producer.send({ topic, acks: 0, messages: [{ key: 'k', value: 'zero' }] });
    await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: [{ key: 'k', value: 'gzip-1' }, { key: 'k', value: 'gzip-2' }] });
    await producer.disconnect();
    const received: Received[] = [];
    const consumer = await collectingConsumer(kafka, uniqueName('g'), topic, received);
    try {
      await waitFor(() => received.length >= 5, 15_000, 'five messages');
    } finally {
      await consumer.disconnect();
    }
    expect(received.map((m) => m.value)).toEqual(['one', 'minus-one', 'zero', 'gzip-1', 'gzip-2']);
    expect(received.map((m) => m.offset)).toEqual(['0', '1', '2', '3', '4']);
  });

  it('delivers a batch larger than the consumer maxBytes whole', async () => {
    const topic = uniqueName('big');
    await withAdmin(kafka, (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }));
    const producer = kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `${i}:${'x'.repeat(2000)}` }));
    await producer.send({ topic, acks: -1, messages }); // one ~100 KB batch
    await producer.send({ topic, acks: -1, messages: [{ key: 'after', value: 'after' }] });
    await producer.disconnect();
    const received: Received[] = [];
    const consumer = await collectingConsumer(kafka, uniqueName('g'), topic, received, { maxBytes: 10_000, maxBytesPerPartition: 10_000 });
    try {
      await waitFor(() => received.length >= 51, 15_000, 'the big batch and the message after it');
    } finally {
      await consumer.disconnect();
    }
    expect(received.map((m) => m.offset)).toEqual(Array.from({ length: 51 }, (_, i) => String(i)));
    expect(received[50].value).toBe('after');
  });

  it('starts a consumer in the middle of a batch at the offset an admin set for its group', async () => {
    const topic = uniqueName('mid');
    const groupId = uniqueName('mid-group');
    await withAdmin(kafka, (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 1 }] }));
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}` })) }); // one batch
    await producer.disconnect();
    // (kafkajs's setOffsets runs a paused consumer that waits its 5 s maxWaitTime before finishing)
    await withAdmin(kafka, (admin) => admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '4' }] }));
    const received: Received[] = [];
    const consumer = await collectingConsumer(kafka, groupId, topic, received);
    try {
      await waitFor(() => received.length >= 6, 15_000, 'six messages');
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await consumer.disconnect();
    }
    expect(received.map((m) => [m.offset, m.value])).toEqual([4, 5, 6, 7, 8, 9].map((i) => [String(i), `v${i}`]));
  }, 30_000);

  it('serves the admin operations: createTopics, listTopics, fetchTopicOffsets, fetchOffsets, describeGroups, listGroups, deleteGroups, deleteTopics', async () => {
    const topic = uniqueName('admin');
    const groupId = uniqueName('admin-group');
    await withAdmin(kafka, async (admin) => {
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).toBe(true);
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).toBe(false); // already exists
      await expect(admin.createTopics({ topics: [{ topic: uniqueName('rf'), numPartitions: 1, replicationFactor: 3 }] })).rejects.toThrow();
      expect(await admin.listTopics()).toContain(topic);
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ value: 'a', partition: 0 }, { value: 'b', partition: 0 }, { value: 'c', partition: 2 }] });
      await producer.disconnect();
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets.sort((a, b) => a.partition - b.partition).map((o) => [o.partition, o.low, o.high])).toEqual([
        [0, '0', '2'],
        [1, '0', '0'],
        [2, '0', '1'],
      ]);
      const received: Received[] = [];
      const consumer = await collectingConsumer(kafka, groupId, topic, received);
      await waitFor(() => received.length >= 3, 15_000, 'three messages');
      const described = await admin.describeGroups([groupId]);
      expect(described.groups[0].state).toBe('Stable');
      expect(described.groups[0].members).toHaveLength(1);
      expect(described.groups[0].protocol).toBe('RoundRobinAssigner');
      await consumer.disconnect();
      const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(committed[0].partitions.sort((a, b) => a.partition - b.partition).map((p) => [p.partition, p.offset])).toEqual([
        [0, '2'],
        [1, '-1'],
        [2, '1'],
      ]);
      expect((await admin.describeGroups([groupId])).groups[0].state).toBe('Empty');
      expect((await admin.listGroups()).groups.map((g) => g.groupId)).toContain(groupId);
      await admin.deleteGroups([groupId]);
      expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(groupId);
      const afterDelete = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(afterDelete[0].partitions.every((p) => p.offset === '-1')).toBe(true);
      await expect(admin.deleteGroups([uniqueName('never-existed')])).rejects.toThrow();
      await admin.deleteTopics({ topics: [topic] });
      expect(await admin.listTopics()).not.toContain(topic);
    });
  });

  it('creates topics named in metadata requests that allow it, never for the all-topics request or when not allowed', async () => {
    const topic = uniqueName('auto');
    const producer = kafka.producer(); // kafkajs producers allow auto-creation
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'x' }] });
    await producer.disconnect();
    await withAdmin(kafka, async (admin) => {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(meta.topics[0].partitions).toHaveLength(4); // the broker's default for this test
      const before = await admin.listTopics(); // the all-topics request
      expect(before).toContain(topic);
      const missing = uniqueName('missing');
      // kafkajs admin clients do not allow auto-creation
      await expect(admin.fetchTopicMetadata({ topics: [missing] })).rejects.toThrow(/does not host this topic-partition/);
      const after = await admin.listTopics();
      expect(after).not.toContain(missing);
      expect(after.sort()).toEqual(before.sort());
    });
  });

  it('answers an unsupported API version with an UNSUPPORTED_VERSION error instead of hanging', async () => {
    const reply = await rawRequest(broker.port, (correlationId) => {
      const body = Buffer.alloc(2 + 2 + 4 + 2);
      body.writeInt16BE(1, 0); // Fetch
      body.writeInt16BE(99, 2); // version 99
      body.writeInt32BE(correlationId, 4);
      body.writeInt16BE(-1, 8); // null client id
      return body;
    });
    expect(reply.readInt32BE(0)).toBe(7);
    expect(reply.readInt16BE(4)).toBe(35);
  });

  it('answers a malformed request with INVALID_REQUEST instead of closing the connection', async () => {
    const reply = await rawRequest(broker.port, (correlationId) => {
      const body = Buffer.alloc(2 + 2 + 4 + 2 + 4);
      body.writeInt16BE(3, 0); // Metadata
      body.writeInt16BE(1, 2);
      body.writeInt32BE(correlationId, 4);
      body.writeInt16BE(-1, 8);
      body.writeInt32BE(5, 10); // five topic names follow... but none do
      return body;
    });
    expect(reply.readInt32BE(0)).toBe(7);
    expect(reply.readInt16BE(4)).toBe(42);
  });

  it('replies on one connection in request order while a JoinGroup is parked', async () => {
    const groupId = uniqueName('ordered');
    const joinV0 = (correlationId: number): Buffer => {
      const group = Buffer.from(groupId);
      const parts = [Buffer.alloc(10), Buffer.alloc(2), group, Buffer.alloc(4 + 2 + 2), Buffer.from('consumer'), Buffer.alloc(4 + 2), Buffer.from('p'), Buffer.alloc(4)];
      parts[0].writeInt16BE(11, 0); // JoinGroup v0
      parts[0].writeInt16BE(0, 2);
      parts[0].writeInt32BE(correlationId, 4);
      parts[0].writeInt16BE(-1, 8);
      parts[1].writeInt16BE(group.length, 0);
      parts[3].writeInt32BE(800, 0); // session timeout (= rebalance timeout in v0)
      parts[3].writeInt16BE(0, 4); // empty member id
      parts[3].writeInt16BE(8, 6);
      parts[5].writeInt32BE(1, 0); // one protocol
      parts[5].writeInt16BE(1, 4);
      parts[7].writeInt32BE(0, 0); // empty metadata
      return Buffer.concat(parts);
    };
    const apiVersionsV0 = (correlationId: number): Buffer => {
      const b = Buffer.alloc(10);
      b.writeInt16BE(18, 0);
      b.writeInt16BE(0, 2);
      b.writeInt32BE(correlationId, 4);
      b.writeInt16BE(-1, 8);
      return b;
    };
    // a first member forms the group and then goes silent
    const [first] = await rawRequests(broker.port, [joinV0(1)], 1);
    expect(first.readInt16BE(4)).toBe(0);
    // a second member's JoinGroup is parked until the first is evicted (~800 ms);
    // the ApiVersions request sent right after it must not be answered before it
    const started = Date.now();
    const replies = await rawRequests(broker.port, [joinV0(2), apiVersionsV0(3)], 2);
    expect(replies.map((r) => r.readInt32BE(0))).toEqual([2, 3]);
    expect(replies[0].readInt16BE(4)).toBe(0);
    expect(replies[0].readInt32BE(6)).toBe(2); // generation 2, formed without the silent member
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('long-polls a fetch until minBytes are available or maxWaitTime passes', async () => {
    const topic = uniqueName('poll');
    await withAdmin(kafka, (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 1 }] }));
    const fetchV4 = (correlationId: number, maxWaitMs: number, minBytes: number): Buffer => {
      const w = new Writer();
      w.int16(1).int16(4).int32(correlationId).nullableString('raw');
      w.int32(-1).int32(maxWaitMs).int32(minBytes).int32(1024 * 1024).int8(0);
      w.array([topic], (w, t) => {
        w.string(t).array([0], (w, p) => void w.int32(p).int64(0).int32(1024 * 1024));
      });
      return w.toBuffer();
    };
    const recordsLength = (reply: Buffer): number => {
      const r = new Reader(reply, 4 + 4); // correlation id, throttle time
      r.int32(); // topics
      r.string();
      r.int32(); // partitions
      r.int32();
      expect(r.int16()).toBe(0);
      r.int64();
      r.int64();
      r.int32(); // aborted transactions
      return r.bytes().length;
    };
    // nothing to read: the reply comes when maxWaitTime has passed, with an empty record set
    let started = Date.now();
    const [empty] = await rawRequests(broker.port, [fetchV4(1, 1500, 1)], 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(recordsLength(empty)).toBe(0);

    // data arriving while the fetch waits wakes it once minBytes are there
    const producer = kafka.producer();
    await producer.connect();
    try {
      started = Date.now();
      const pending = rawRequests(broker.port, [fetchV4(2, 20_000, 5000)], 1);
      await new Promise((r) => setTimeout(r, 300));
      await producer.send({ topic, acks: -1, messages: [{ value: 'small' }] }); // below minBytes: keeps waiting
      await new Promise((r) => setTimeout(r, 300));
      await producer.send({ topic, acks: -1, messages: [{ value: 'z'.repeat(6000) }] });
      const [full] = await pending;
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(recordsLength(full)).toBeGreaterThanOrEqual(5000);
    } finally {
      await producer.disconnect();
    }
  }, 30_000);

  it('answers librdkafka-style ApiVersions v3 (flexible request) with a v0 response header', async () => {
    const reply = await rawRequest(broker.port, (correlationId) => {
      const clientId = Buffer.from('rdkafka');
      const parts = [Buffer.alloc(8), Buffer.alloc(2), clientId, Buffer.from([0]), Buffer.from([11]), Buffer.from('librdkafka'), Buffer.from([6]), Buffer.from('2.0.2'), Buffer.from([0])];
      parts[0].writeInt16BE(18, 0);
      parts[0].writeInt16BE(3, 2);
      parts[0].writeInt32BE(correlationId, 4);
      parts[1].writeInt16BE(clientId.length, 0);
      return Buffer.concat(parts);
    });
    expect(reply.readInt32BE(0)).toBe(7); // correlation id, then directly the body (no header tagged fields)
    expect(reply.readInt16BE(4)).toBe(0); // error code
    const count = reply[6] - 1; // compact array length
    const apis = new Map<number, [number, number]>();
    let pos = 7;
    for (let i = 0; i < count; i++) {
      apis.set(reply.readInt16BE(pos), [reply.readInt16BE(pos + 2), reply.readInt16BE(pos + 4)]);
      pos += 7; // 3 int16 + empty tagged fields
    }
    expect(apis.get(0)?.[1]).toBeGreaterThanOrEqual(7); // Produce
    expect(apis.get(1)?.[1]).toBeGreaterThanOrEqual(11); // Fetch
    expect(apis.get(18)).toEqual([0, 3]);
  });
});

/** Sends the request frames on one connection and collects `expected` reply frames in arrival order. */
function rawRequests(port: number, requests: Buffer[], expected: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    const replies: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`only ${replies.length} of ${expected} replies within 10 s`));
    }, 10_000);
    socket.on('connect', () => {
      for (const body of requests) {
        const size = Buffer.alloc(4);
        size.writeInt32BE(body.length, 0);
        socket.write(Buffer.concat([size, body]));
      }
    });
    socket.on('data', (d) => {
      data = Buffer.concat([data, d]);
      while (data.length >= 4 && data.length >= 4 + data.readInt32BE(0)) {
        const size = data.readInt32BE(0);
        replies.push(data.subarray(4, 4 + size));
        data = data.subarray(4 + size);
      }
      if (replies.length >= expected) {
        clearTimeout(timer);
        socket.destroy();
        resolve(replies);
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

function rawRequest(port: number, build: (correlationId: number) => Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no reply within 5 s'));
    }, 5000);
    socket.on('connect', () => {
      const body = build(7);
      const size = Buffer.alloc(4);
      size.writeInt32BE(body.length, 0);
      socket.write(Buffer.concat([size, body]));
    });
    socket.on('data', (d) => {
      data = Buffer.concat([data, d]);
      if (data.length >= 4 && data.length >= 4 + data.readInt32BE(0)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data.subarray(4, 4 + data.readInt32BE(0)));
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error('connection closed without a reply'));
    });
  });
}
