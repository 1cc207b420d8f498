// librdkafka compatibility through kcat. Runs when `kcat` is on PATH (CI installs it:
// `apt-get install -y kcat`); otherwise the suite reports itself skipped and says why.
import { execFile, spawnSync } from 'node:child_process';
import { CompressionTypes, type Kafka } from 'kafkajs';
import { startBroker } from '../src/index';
import { collectingConsumer, kafkaFor, tempDir, uniqueName, waitFor, withAdmin, type Received } from './helpers';

const kcatFound = spawnSync('kcat', ['-V'], { encoding: 'utf8' }).status === 0;
if (!kcatFound) {
  console.warn('[broker kcat suite] SKIPPED: kcat not found on PATH (install it with `apt-get install -y kcat`)');
}
const describeIfKcat = kcatFound ? describe : describe.skip;

describeIfKcat(kcatFound ? 'librdkafka (kcat) against the development broker' : 'librdkafka (kcat) against the development broker [SKIPPED: kcat not found on PATH]', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let kafka: Kafka;
  let bootstrap: string;

  beforeAll(async () => {
    broker = await startBroker({ port: 0, dataDir: tempDir('kcat'), partitions: 3 });
    kafka = kafkaFor(broker.port);
    bootstrap = `127.0.0.1:${broker.port}`;
  });

  afterAll(async () => {
    await broker.stop();
  });

  // asynchronous: the broker runs in this process, so the event loop must stay free
  function kcat(args: string[], input?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile('kcat', ['-b', bootstrap, ...args], { encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`kcat ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        else resolve(stdout);
      });
      child.stdin?.end(input ?? '');
    });
  }

  it('produces with kcat (keys and headers) and consumes with kafkajs', async () => {
    const topic = uniqueName('kcat-in');
    await kcat(['-P', '-t', topic, '-K:', '-H', 'origin=kcat'], 'lead-1:first\nlead-2:second\nlead-1:third\n');
    const got: Received[] = [];
    const consumer = await collectingConsumer(kafka, uniqueName('g'), topic, got);
    try {
      await waitFor(() => got.length >= 3, 15_000, 'three kcat messages');
    } finally {
      await consumer.disconnect();
    }
    expect(got.map((m) => `${m.key}=${m.value}`).sort()).toEqual(['lead-1=first', 'lead-1=third', 'lead-2=second']);
    expect(got.every((m) => m.headers.origin === 'kcat')).toBe(true);
    const lead1 = got.filter((m) => m.key === 'lead-1').map((m) => m.value);
    expect(lead1).toEqual(['first', 'third']);
  });

  it('consumes kafkajs messages (plain and gzip) with kcat, standalone and in a group that commits', async () => {
    const topic = uniqueName('kcat-out');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'a', value: 'plain-1', headers: { h: 'x' } }, { key: 'b', value: 'plain-2' }] });
    await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: [{ key: 'c', value: 'gzip-1' }] });
    await producer.disconnect();

    const standalone = await kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k|%s|%h\n']);
    expect(standalone.trim().split('\n').sort()).toEqual(['a|plain-1|h=x', 'b|plain-2|', 'c|gzip-1|']);

    const groupId = uniqueName('kcat-group');
    const grouped = await kcat(['-G', groupId, '-X', 'auto.offset.reset=earliest', '-e', '-q', '-f', '%s\n', topic]);
    expect(grouped.trim().split('\n').sort()).toEqual(['gzip-1', 'plain-1', 'plain-2']);
    const committed = await withAdmin(kafka, (admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
    expect(committed[0].partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0)).toBe(3);
  });

  it('lists metadata for kcat -L', async () => {
    const topic = uniqueName('kcat-meta');
    await kcat(['-P', '-t', topic], 'x\n');
    const listing = await kcat(['-L', '-t', topic]);
    expect(listing).toContain(`topic "${topic}" with 3 partitions`);
  });
});
