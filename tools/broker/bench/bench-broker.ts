// npm run bench:broker [-- --messages 500000 --size 200 --batch 1000 --producers 2 --concurrency 8 --partitions 12]
//
// Produce and consume throughput of the development broker through kafkajs, 200-byte messages
// sent in batches of 1,000 with acks=-1 (the broker fdatasyncs before acknowledging). The broker
// runs as a child process (the real `npm run broker` command), so its CPU time and peak RSS are
// measured apart from the clients'. Producers run in their own processes too (`--producers`), so
// that the kafkajs encoding work, which takes a whole core per client, can use both cores; the
// CPU column shows which process is saturated: when the client is at ~100% and the broker is not,
// kafkajs is the limit.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

const root = path.resolve(__dirname, '../../..');
const self = path.relative(root, __filename);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const TOPIC = 'bench';

function procStatus(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** user+system CPU seconds of a process, from /proc/<pid>/stat */
function procCpu(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ = 100)
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const pct = (cpu: number, secs: number): string => `${((cpu / secs) * 100).toFixed(0)}%`;

/** Producer process: connects, says "ready", waits for "go" on stdin, sends its share, prints its result. */
async function producerRole(): Promise<void> {
  const port = arg('port', 0);
  const count = arg('count', 0);
  const size = arg('size', 200);
  const batch = arg('batch', 1000);
  const concurrency = arg('concurrency', 8);
  const kafka = new Kafka({ clientId: `bench-producer-${process.pid}`, brokers: [`127.0.0.1:${port}`], logLevel: logLevel.ERROR });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const value = Buffer.alloc(size, 'x');
  const messages = Array.from({ length: batch }, () => ({ value }));
  await producer.send({ topic: TOPIC, acks: -1, messages: messages.slice(0, 1) }); // warm up metadata
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const sends = Math.ceil(count / batch);
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < sends) {
        next++;
        await producer.send({ topic: TOPIC, acks: -1, messages });
      }
    }),
  );
  const secs = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ messages: sends * batch, secs, cpu: (cpu.user + cpu.system) / 1e6 })}\n`);
  await producer.disconnect();
  process.exit(0);
}

function lines(child: ChildProcess, onLine: (line: string) => void): void {
  let buf = '';
  child.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    parts.forEach(onLine);
  });
}

async function main(): Promise<void> {
  const total = arg('messages', 500_000);
  const size = arg('size', 200);
  const batch = arg('batch', 1000);
  const producers = arg('producers', 2);
  const concurrency = arg('concurrency', 8);
  const partitions = arg('partitions', 12);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-broker-'));
  const broker = spawn(process.execPath, ['tools/run-ts.mjs', 'tools/broker/src/cli.ts', '--port', '0', '--data-dir', dataDir, '--partitions', String(partitions)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pid = broker.pid as number;
  const port = await new Promise<number>((resolve, reject) => {
    lines(broker, (line) => {
      const m = /listening on [^\s:]+:(\d+)/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    broker.once('exit', (code) => reject(new Error(`broker exited with ${code}`)));
  });
  const kafka = new Kafka({ clientId: 'bench', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: partitions }] });
  await admin.disconnect();
  const idleRss = procStatus(pid, 'VmRSS');

  console.log(`development broker pid ${pid} on 127.0.0.1:${port} (data in ${dataDir}); ${os.cpus().length} CPUs`);
  console.log(
    `${total} messages of ${size} bytes, batches of ${batch}, acks=-1, ${partitions} partitions; ` +
      `${producers} producer process(es) with ${concurrency} sends in flight each; 1 consumer`,
  );

  // ---- produce
  const share = Math.ceil(total / producers / batch) * batch;
  const children = Array.from({ length: producers }, () =>
    spawn(process.execPath, ['tools/run-ts.mjs', self, '--role', 'producer', '--port', String(port), '--count', String(share), '--size', String(size), '--batch', String(batch), '--concurrency', String(concurrency)], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const results: Array<{ messages: number; secs: number; cpu: number }> = [];
  let ready = 0;
  let resolveReady: () => void = () => undefined;
  let resolveDone: () => void = () => undefined;
  const allReady = new Promise<void>((r) => (resolveReady = r));
  const allDone = new Promise<void>((r) => (resolveDone = r));
  for (const c of children) {
    lines(c, (line) => {
      if (line === 'ready') {
        if (++ready === producers) resolveReady();
      } else if (line.startsWith('{')) {
        results.push(JSON.parse(line) as { messages: number; secs: number; cpu: number });
        if (results.length === producers) resolveDone();
      }
    });
  }
  await allReady;
  const brokerCpu0 = procCpu(pid);
  const t0 = Date.now();
  for (const c of children) c.stdin?.write('go\n');
  await allDone;
  const produceSecs = (Date.now() - t0) / 1000;
  const brokerCpuP = procCpu(pid) - brokerCpu0;
  const produced = results.reduce((n, r) => n + r.messages, 0);
  console.log(
    `produce: ${Math.round(produced / produceSecs)} msg/s, ${mb((produced * size) / produceSecs)} MB/s of message values ` +
      `(${produced} messages in ${produceSecs.toFixed(2)} s); CPU: broker ${pct(brokerCpuP, produceSecs)} ` +
      `(${((brokerCpuP / produced) * 1e5).toFixed(2)} CPU-s per 100k messages), ` +
      `producers ${results.map((r) => `${pct(r.cpu, r.secs)} (${Math.round(r.messages / r.secs)} msg/s)`).join(', ')}`,
  );

  // ---- consume (in this process)
  const consumer = kafka.consumer({ groupId: 'bench', maxBytes: 64 * 1024 * 1024, maxBytesPerPartition: 2 * 1024 * 1024, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  let consumed = 0;
  const brokerCpu1 = procCpu(pid);
  const cpu1 = process.cpuUsage();
  const c0 = Date.now();
  await new Promise<void>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch: b }) => {
        consumed += b.messages.length;
        if (consumed >= produced) resolve();
      },
    });
  });
  const consumeSecs = (Date.now() - c0) / 1000;
  const brokerCpuC = procCpu(pid) - brokerCpu1;
  const cpuC = process.cpuUsage(cpu1);
  console.log(
    `consume: ${Math.round(consumed / consumeSecs)} msg/s, ${mb((consumed * size) / consumeSecs)} MB/s of message values ` +
      `(${consumed} messages in ${consumeSecs.toFixed(2)} s, group join included); CPU: broker ${pct(brokerCpuC, consumeSecs)} ` +
      `(${((brokerCpuC / consumed) * 1e5).toFixed(2)} CPU-s per 100k messages), consumer ${pct((cpuC.user + cpuC.system) / 1e6, consumeSecs)}`,
  );
  await consumer.disconnect();
  console.log(`broker RSS: idle ${mb(idleRss)} MB, peak (VmHWM) ${mb(procStatus(pid, 'VmHWM'))} MB`);
  broker.kill('SIGTERM');
  await new Promise((r) => broker.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const role = process.argv.includes('--role') ? process.argv[process.argv.indexOf('--role') + 1] : 'main';
(role === 'producer' ? producerRole() : main()).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
