import * as fs from 'node:fs';
import * as path from 'node:path';
import { startBroker } from '../src/index';
import { silentLogger } from '../src/logger';
import { GroupCommit } from '../src/storage/group-commit';
import { OffsetsStore } from '../src/storage/offsets-store';
import { collectingConsumer, kafkaFor, spawnBroker, tempDir, uniqueName, waitFor, withAdmin, type Received } from './helpers';

describe('durability of the development broker', () => {
  it('keeps every acknowledged record and committed offset across kill -9 of the broker process', async () => {
    const dataDir = tempDir('kill9');
    const topic = uniqueName('durable');
    const groupId = uniqueName('durable-group');
    let broker = await spawnBroker(dataDir, ['--partitions', '3']);
    try {
      let kafka = kafkaFor(broker.port);
      const producer = kafka.producer();
      await producer.connect();
      for (let i = 0; i < 10; i++) {
        await producer.send({ topic, acks: i % 2 === 0 ? -1 : 1, messages: Array.from({ length: 20 }, (_, j) => ({ key: `k${j % 5}`, value: `first-${i * 20 + j}` })) });
      }
      const first: Received[] = [];
      const c1 = await collectingConsumer(kafka, groupId, topic, first);
      await waitFor(() => first.length >= 200, 20_000, 'the first 200 messages');
      await c1.disconnect(); // commits
      // acknowledged after the group's commits: these must be there after the crash, unconsumed
      for (let i = 0; i < 5; i++) {
        await producer.send({ topic, acks: -1, messages: Array.from({ length: 20 }, (_, j) => ({ key: `k${j % 5}`, value: `second-${i * 20 + j}` })) });
      }
      const offsetsBefore = await withAdmin(kafka, (admin) => admin.fetchTopicOffsets(topic));
      await producer.disconnect();

      await broker.kill('SIGKILL');
      expect(broker.child.signalCode).toBe('SIGKILL');

      broker = await spawnBroker(dataDir, ['--partitions', '3']);
      kafka = kafkaFor(broker.port);
      const offsetsAfter = await withAdmin(kafka, (admin) => admin.fetchTopicOffsets(topic));
      const bySum = (os: Array<{ high: string }>): number => os.reduce((n, o) => n + Number(o.high), 0);
      expect(bySum(offsetsAfter)).toBe(300);
      expect(offsetsAfter.sort((a, b) => a.partition - b.partition)).toEqual(offsetsBefore.sort((a, b) => a.partition - b.partition));

      const committed = await withAdmin(kafka, (admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
      expect(committed[0].partitions.reduce((n, p) => n + Number(p.offset), 0)).toBe(200);

      const second: Received[] = [];
      const c2 = await collectingConsumer(kafka, groupId, topic, second);
      try {
        await waitFor(() => second.length >= 100, 20_000, 'the 100 messages produced after the commit');
        await new Promise((r) => setTimeout(r, 500));
      } finally {
        await c2.disconnect();
      }
      expect(second.map((m) => m.value).sort()).toEqual(Array.from({ length: 100 }, (_, i) => `second-${i}`).sort());
      // per-key order survived too
      for (let k = 0; k < 5; k++) {
        const seq = second.filter((m) => m.key === `k${k}`).map((m) => Number((m.value ?? '').split('-')[1]));
        expect(seq).toEqual([...seq].sort((a, b) => a - b));
      }
    } finally {
      await broker.kill('SIGKILL');
    }
  }, 90_000);

  it('keeps every acknowledged record when killed with -9 in the middle of a produce stream', async () => {
    const dataDir = tempDir('kill9-stream');
    const topic = uniqueName('stream');
    let broker = await spawnBroker(dataDir, ['--partitions', '4']);
    const acknowledged: string[] = [];
    try {
      const kafka = kafkaFor(broker.port);
      await withAdmin(kafka, (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 4 }] }));
      const producer = kafka.producer({ retry: { retries: 0 } });
      await producer.connect();
      let seq = 0;
      let stop = false;
      const senders = Array.from({ length: 4 }, async () => {
        while (!stop) {
          const values = Array.from({ length: 50 }, () => `s-${seq++}`);
          try {
            await producer.send({ topic, acks: -1, messages: values.map((v) => ({ key: v, value: v })) });
            acknowledged.push(...values);
          } catch {
            return; // the broker died under this request: not acknowledged
          }
        }
      });
      await waitFor(() => acknowledged.length >= 3000, 30_000, '3000 acknowledged messages');
      await broker.kill('SIGKILL');
      stop = true;
      await Promise.all(senders);
      await producer.disconnect().catch(() => undefined);
    } finally {
      await broker.kill('SIGKILL');
    }

    broker = await spawnBroker(dataDir, ['--partitions', '4']);
    try {
      const kafka = kafkaFor(broker.port);
      const offsets = await withAdmin(kafka, (admin) => admin.fetchTopicOffsets(topic));
      const total = offsets.reduce((n, o) => n + Number(o.high), 0);
      expect(total).toBeGreaterThanOrEqual(acknowledged.length);
      const got: Received[] = [];
      const consumer = await collectingConsumer(kafka, uniqueName('g'), topic, got);
      try {
        await waitFor(() => got.length >= total, 30_000, `all ${total} stored messages`);
      } finally {
        await consumer.disconnect();
      }
      const stored = new Set(got.map((m) => m.value));
      expect(stored.size).toBe(got.length); // nothing stored twice
      expect(acknowledged.filter((v) => !stored.has(v))).toEqual([]);
    } finally {
      await broker.kill('SIGKILL');
    }
  }, 90_000);

  it('stops cleanly on SIGTERM', async () => {
    const broker = await spawnBroker(tempDir('sigterm'));
    await broker.kill('SIGTERM');
    expect({ code: broker.child.exitCode, signal: broker.child.signalCode, output: broker.output() }).toEqual({ code: 0, signal: null, output: expect.stringMatching(/listening on/) });
  }, 30_000);

  it('truncates a torn tail on start and keeps serving the records before it', async () => {
    const dataDir = tempDir('torn');
    const topic = uniqueName('torn');
    let broker = await startBroker({ port: 0, dataDir, partitions: 1 });
    let kafka = kafkaFor(broker.port);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: 'a' }, { value: 'b' }] });
    await producer.send({ topic, acks: -1, messages: [{ value: 'c' }] });
    await producer.disconnect();
    await broker.stop();

    // simulate a crash in the middle of writing a batch: the first 30 bytes of a copy of the last batch
    const segment = path.join(dataDir, 'topics', topic, '0', `${'0'.padStart(20, '0')}.log`);
    const data = fs.readFileSync(segment);
    fs.appendFileSync(segment, data.subarray(0, 30));
    const corruptedSize = fs.statSync(segment).size;

    broker = await startBroker({ port: 0, dataDir, partitions: 1 });
    try {
      expect(fs.statSync(segment).size).toBe(corruptedSize - 30);
      kafka = kafkaFor(broker.port);
      const p2 = kafka.producer();
      await p2.connect();
      const [res] = await p2.send({ topic, acks: -1, messages: [{ value: 'd' }] });
      await p2.disconnect();
      expect(res.baseOffset).toBe('3');
      const got: Received[] = [];
      const c = await collectingConsumer(kafka, uniqueName('g'), topic, got);
      try {
        await waitFor(() => got.length >= 4, 15_000, 'four messages');
      } finally {
        await c.disconnect();
      }
      expect(got.map((m) => [m.offset, m.value])).toEqual([
        ['0', 'a'],
        ['1', 'b'],
        ['2', 'c'],
        ['3', 'd'],
      ]);
    } finally {
      await broker.stop();
    }
  }, 60_000);

  it('rolls segments and reads across them after a restart', async () => {
    const dataDir = tempDir('segments');
    const topic = uniqueName('seg');
    let broker = await startBroker({ port: 0, dataDir, partitions: 1, segmentBytes: 4096 });
    const values = Array.from({ length: 60 }, (_, i) => `${i}:${'y'.repeat(300)}`);
    try {
      const producer = kafkaFor(broker.port).producer();
      await producer.connect();
      for (const v of values) await producer.send({ topic, acks: 1, messages: [{ value: v }] });
      await producer.disconnect();
    } finally {
      await broker.stop();
    }
    const segments = fs.readdirSync(path.join(dataDir, 'topics', topic, '0')).filter((f) => f.endsWith('.log'));
    expect(segments.length).toBeGreaterThan(3);
    broker = await startBroker({ port: 0, dataDir, partitions: 1, segmentBytes: 4096 });
    try {
      const got: Received[] = [];
      const c = await collectingConsumer(kafkaFor(broker.port), uniqueName('g'), topic, got);
      try {
        await waitFor(() => got.length >= 60, 15_000, 'sixty messages');
      } finally {
        await c.disconnect();
      }
      expect(got.map((m) => m.value)).toEqual(values);
    } finally {
      await broker.stop();
    }
  }, 60_000);
});

describe('data dir ownership', () => {
  it('refuses a data dir held by another live broker process and takes over a stale lock after kill -9', async () => {
    const dataDir = tempDir('lock');
    const first = await spawnBroker(dataDir);
    try {
      await expect(startBroker({ port: 0, dataDir })).rejects.toThrow(new RegExp(`in use by another broker \\(pid ${first.child.pid}\\)`));
    } finally {
      await first.kill('SIGKILL');
    }
    const second = await startBroker({ port: 0, dataDir });
    await second.stop();
  }, 30_000);
});

describe('committed offsets log', () => {
  it('compacts itself while running and replays to the latest commits after a restart', async () => {
    const dataDir = tempDir('offsets');
    const commit = new GroupCommit();
    const store = new OffsetsStore(dataDir, commit, silentLogger, 50);
    for (let i = 0; i < 200; i++) {
      await store.commitOffsets(`group-${i % 3}`, [
        { topic: 't', partition: i % 4, offset: i, metadata: null },
        { topic: 'u', partition: 0, offset: 1000 + i, metadata: `m${i}` },
      ]);
    }
    store.deleteTopic('gone');
    await commit.waitDurable();
    const lines = fs.readFileSync(path.join(dataDir, 'group-offsets.log'), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(50);
    expect(store.lineCount).toBe(lines.length);
    store.close();

    const reopened = new OffsetsStore(dataDir, new GroupCommit(), silentLogger, 50);
    try {
      expect(reopened.get('group-2', 'u', 0)).toEqual({ offset: 1000 + 197, metadata: 'm197' });
      expect(reopened.get('group-0', 't', 3)).toEqual({ offset: 195, metadata: null });
      expect(reopened.get('group-1', 't', 1)).toEqual({ offset: 193, metadata: null });
      expect(reopened.get('group-2', 't', 0)).toEqual({ offset: 188, metadata: null });
    } finally {
      reopened.close();
    }
  });
});
