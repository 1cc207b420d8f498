import { spawn } from 'node:child_process';
import type { Consumer, Kafka } from 'kafkajs';
import { startBroker } from '../src/index';
import { REPO_ROOT, kafkaFor, tempDir, toReceived, uniqueName, waitFor, withAdmin, type Received } from './helpers';

interface Delivery {
  readonly who: string;
  readonly partition: number;
  readonly offset: string;
  readonly value: string;
  readonly at: number;
}

describe('consumer groups on the development broker', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let kafka: Kafka;

  beforeAll(async () => {
    broker = await startBroker({ port: 0, dataDir: tempDir('groups'), partitions: 6 });
    kafka = kafkaFor(broker.port);
  });

  afterAll(async () => {
    await broker.stop();
  });

  async function produce(topic: string, from: number, count: number): Promise<string[]> {
    const producer = kafka.producer();
    await producer.connect();
    const values = Array.from({ length: count }, (_, i) => `m-${from + i}`);
    await producer.send({ topic, acks: -1, messages: values.map((v, i) => ({ key: `key-${(from + i) % 17}`, value: v })) });
    await producer.disconnect();
    return values;
  }

  it('rebalances three members when one joins and when one is killed without leaving, losing nothing', async () => {
    const topic = uniqueName('group-topic');
    const groupId = uniqueName('three');
    await withAdmin(kafka, (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 6 }] }));
    const deliveries: Delivery[] = [];
    const joins: Array<{ who: string; at: number; partitions: number }> = [];

    const startMember = async (who: string): Promise<Consumer> => {
      const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, rebalanceTimeout: 8000, heartbeatInterval: 300, maxWaitTimeInMs: 200 });
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        const assigned = Object.values(e.payload.memberAssignment).reduce((n, ps) => n + ps.length, 0);
        joins.push({ who, at: Date.now(), partitions: assigned });
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async (payload) => {
          const r = toReceived(payload);
          deliveries.push({ who, partition: r.partition, offset: r.offset, value: r.value ?? '', at: r.at });
        },
      });
      return consumer;
    };

    const a = await startMember('a');
    const b = await startMember('b');
    const sent = await produce(topic, 0, 300);
    await waitFor(() => new Set(deliveries.map((d) => d.value)).size >= 300, 20_000, 'first 300 messages');
    await waitFor(async () => (await withAdmin(kafka, (ad) => ad.describeGroups([groupId]))).groups[0].members.length === 2, 20_000, 'two members');

    // a third member joins, as a separate process
    const child = spawn(process.execPath, ['tools/run-ts.mjs', 'tools/broker/test/fixtures/group-member.ts', String(broker.port), groupId, topic], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let childOut = '';
    let childJoined = false;
    const childExited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdout.on('data', (d: Buffer) => {
      childOut += d.toString();
      const lines = childOut.split('\n');
      childOut = lines.pop() ?? '';
      for (const line of lines) {
        const e = JSON.parse(line) as { event: string; partition: number; offset: string; value: string };
        if (e.event === 'join') childJoined = true;
        else deliveries.push({ who: 'c', partition: e.partition, offset: e.offset, value: e.value, at: Date.now() });
      }
    });
    let childErr = '';
    child.stderr.on('data', (d: Buffer) => (childErr += d.toString()));
    try {
      await waitFor(() => childJoined, 30_000, `the third member to join (${childErr})`);
      await waitFor(async () => {
        const g = (await withAdmin(kafka, (ad) => ad.describeGroups([groupId]))).groups[0];
        return g.state === 'Stable' && g.members.length === 3;
      }, 20_000, 'a stable group of three');
      const joinsAfterThird = joins.length;
      expect(joins.filter((j) => j.who === 'a').length).toBeGreaterThanOrEqual(2); // a rejoined: rebalance on join
      expect(joins.filter((j) => j.who === 'b').length).toBeGreaterThanOrEqual(2);

      sent.push(...(await produce(topic, 300, 300)));
      await waitFor(() => deliveries.some((d) => d.who === 'c'), 20_000, 'the third member to process messages');
      await waitFor(() => new Set(deliveries.map((d) => d.value)).size >= 600, 20_000, 'the second 300 messages');

      // kill the third member without a LeaveGroup: the broker must evict it after its session timeout
      child.kill('SIGKILL');
      await childExited;
      const killedAt = Date.now();
      await waitFor(() => joins.length >= joinsAfterThird + 2, 30_000, 'a and b to rejoin after the eviction');
      const rebalancedAt = Math.max(...joins.slice(joinsAfterThird).map((j) => j.at));
      expect(rebalancedAt - killedAt).toBeGreaterThanOrEqual(4000); // waited for the 6 s session timeout
      const group = (await withAdmin(kafka, (ad) => ad.describeGroups([groupId]))).groups[0];
      expect(group.members).toHaveLength(2);
      // the two survivors now own all six partitions
      const latest = new Map(joins.map((j) => [j.who, j.partitions]));
      expect((latest.get('a') ?? 0) + (latest.get('b') ?? 0)).toBe(6);

      sent.push(...(await produce(topic, 600, 300)));
      await waitFor(() => sent.every((v) => deliveries.some((d) => d.value === v)), 30_000, 'every message to be processed');
      // no loss; any duplicate was first delivered before the last rebalance completed
      const seen = new Map<string, Delivery[]>();
      for (const d of deliveries) seen.set(d.value, [...(seen.get(d.value) ?? []), d]);
      for (const v of sent) expect(seen.get(v)?.length ?? 0).toBeGreaterThanOrEqual(1);
      for (const [, ds] of seen) if (ds.length > 1) expect(ds[0].at).toBeLessThanOrEqual(rebalancedAt);
      // messages produced after the last rebalance are processed exactly once
      for (const v of sent.slice(600)) expect(seen.get(v)).toHaveLength(1);
    } finally {
      child.kill('SIGKILL');
      await a.disconnect();
      await b.disconnect();
    }
  }, 120_000);

  it('resumes from committed offsets after a consumer restart', async () => {
    const topic = uniqueName('resume');
    const groupId = uniqueName('resume-group');
    await withAdmin(kafka, (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 3 }] }));
    await produce(topic, 0, 100);
    const first: Received[] = [];
    const c1 = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 300, maxWaitTimeInMs: 200 });
    await c1.connect();
    await c1.subscribe({ topic, fromBeginning: true });
    await c1.run({ eachMessage: async (p) => void first.push(toReceived(p)) });
    await waitFor(() => first.length >= 100, 15_000, 'first 100 messages');
    await c1.disconnect(); // commits and leaves
    expect(first).toHaveLength(100);

    await produce(topic, 100, 50);
    const second: Received[] = [];
    const c2 = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 300, maxWaitTimeInMs: 200 });
    await c2.connect();
    await c2.subscribe({ topic, fromBeginning: true });
    await c2.run({ eachMessage: async (p) => void second.push(toReceived(p)) });
    try {
      await waitFor(() => second.length >= 50, 15_000, 'the 50 new messages');
      await new Promise((r) => setTimeout(r, 500)); // nothing else may arrive
    } finally {
      await c2.disconnect();
    }
    expect(second.map((m) => m.value).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `m-${100 + i}`).sort());
  }, 60_000);
});
