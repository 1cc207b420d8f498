// CSV imports on several ingestion replicas: two ingestion apps in this process share the test
// PostgreSQL, the development broker and one import directory, as replicas of a Deployment share the
// database and a ReadWriteMany volume. Exactly one replica processes an import (advisory lock per
// import); when it stops, or loses its database session, the other takes the import over from the last
// committed chunk. Counts are read back from Kafka, line by line.
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Client } from 'pg';
import { startBroker, silentLogger, type RunningBroker } from '@leadstream/broker';
import { bootstrapService, type ServiceConfig } from '@leadstream/platform-service';
import { until as waitUntil } from '@leadstream/testing';
import { IngestionModule } from '../ingestion.module';
import { IMPORT_LOCK_NAMESPACE, importLockKey } from './csv-import.lock';
import { CsvImportRepository } from './csv-import.repository';
import { CsvImportRunner } from './csv-import.runner';
import { readImportSettings } from './import-settings';
import { IMPORTED, IMPORT_REJECTED, importIdOf, importStatus, kafkaRecordsOfImport, recordsOfImport, type ImportStatus, type SeenRecord } from './imports-int-kit.spec';

const databaseUrl = process.env['LEADSTREAM_TEST_DATABASE_URL'];
if (!databaseUrl) throw new Error('LEADSTREAM_TEST_DATABASE_URL is not set: run through the integration Jest project');

const ADMIN_KEY = 'imports-replicas-int-admin-key-0123456789abcdef';
const CHUNK_ROWS = 100;
const CHUNKS_IN_FLIGHT = 2;
// Short, so that takeovers happen quickly and a replica scans many times while the other one imports.
const SCAN_MS = 300;
const auth = { authorization: `Bearer ${ADMIN_KEY}` };

interface Replica {
  readonly name: string;
  readonly app: INestApplication;
  readonly baseUrl: string;
  readonly runner: CsvImportRunner;
  closed: boolean;
}

let dataDir: string;
let importDir: string;
let broker: RunningBroker;
let kafkaConsumer: Consumer;
let db: Client;
const replicas: Replica[] = [];
const seen: SeenRecord[] = [];

/** Imports take longer than a request: wait up to 90,000 ms unless told otherwise. */
const until = <T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> => waitUntil(probe, what, timeoutMs, 50);

async function bootReplica(name: string): Promise<Replica> {
  const config: ServiceConfig = {
    name: 'ingestion',
    port: 0,
    databaseUrl: databaseUrl!,
    databaseSchema: 'ingestion',
    kafkaBrokers: [`127.0.0.1:${broker.port}`],
    logLevel: 'error',
  };
  const app = await bootstrapService({ name: 'ingestion', module: IngestionModule.forRoot(config), port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  await until(async () => ((await fetch(`${baseUrl}/health/ready`)).status === 200 ? true : undefined), `replica ${name} to be ready`, 60_000);
  const replica: Replica = { name, app, baseUrl, runner: app.get(CsvImportRunner), closed: false };
  replicas.push(replica);
  return replica;
}

async function closeReplica(replica: Replica): Promise<void> {
  if (replica.closed) return;
  replica.closed = true;
  await replica.app.close();
}

const alive = (): Replica[] => replicas.filter((replica) => !replica.closed);

/** A file of `rows` rows; every 25th has an invalid email and is rejected. Row i is on line i + 2. */
function csvFile(prefix: string, rows: number): { body: string; accepted: number; rejected: number } {
  const lines = ['email,firstName,company'];
  let rejected = 0;
  for (let i = 0; i < rows; i++) {
    if (i % 25 === 24) {
      rejected += 1;
      lines.push(`not-an-email-${prefix}-${i},Row${i},Replica Co`);
    } else {
      lines.push(`${prefix}.${i}@example.com,Row${i},Replica Co`);
    }
  }
  return { body: `${lines.join('\r\n')}\r\n`, accepted: rows - rejected, rejected };
}

async function upload(replica: Replica, body: string): Promise<string> {
  const response = await fetch(`${replica.baseUrl}/v1/imports`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body });
  return importIdOf(response, `POST /v1/imports on replica ${replica.name}`);
}

function status(importId: string): Promise<ImportStatus> {
  const [replica] = alive();
  return importStatus(replica!.baseUrl, importId, auth);
}

/** Which live replicas run the import now (by their own account). */
function runners(importId: string): string[] {
  return alive()
    .filter((replica) => replica.runner.runningHere().includes(importId))
    .map((replica) => replica.name);
}

/** Sessions holding the import's advisory lock, as PostgreSQL sees them. */
async function lockHolders(importId: string): Promise<number[]> {
  const [namespace, key] = importLockKey(importId);
  // pg_locks shows the two keys as oids (unsigned).
  const result = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND granted`,
    [namespace >>> 0, key >>> 0],
  );
  return result.rows.map((row) => row.pid);
}

/**
 * Waits for the import to finish, sampling on the way which replicas run it: never more than one may.
 * Returns the final status and when the import was last seen running.
 */
async function finished(importId: string): Promise<{ result: ImportStatus; runnersSeen: Set<string>; lastSeenRunningAt: number; overlaps: string[][] }> {
  const runnersSeen = new Set<string>();
  const overlaps: string[][] = [];
  let lastSeenRunningAt = 0;
  const result = await until(async () => {
    const here = runners(importId);
    for (const name of here) runnersSeen.add(name);
    if (here.length > 1) overlaps.push(here);
    const current = await status(importId);
    if (current.status !== 'running') return current;
    lastSeenRunningAt = Date.now();
    return undefined;
  }, `import ${importId} to finish`);
  return { result, runnersSeen, lastSeenRunningAt, overlaps };
}

/** Waits until Kafka holds `count` records of the import, and a second more to catch any extra one. */
function kafkaRecords(importId: string, count: number): Promise<SeenRecord[]> {
  return kafkaRecordsOfImport(() => seen, importId, count, 1_000, 90_000);
}

/** Per CSV line: how many records Kafka holds, on which topics, with which event ids. */
function byLine(records: readonly SeenRecord[]): Map<number, { count: number; topics: Set<string>; eventIds: Set<string> }> {
  const lines = new Map<number, { count: number; topics: Set<string>; eventIds: Set<string> }>();
  for (const record of records) {
    const line = Number(record.event.data['line']);
    const entry = lines.get(line) ?? { count: 0, topics: new Set<string>(), eventIds: new Set<string>() };
    entry.count += 1;
    entry.topics.add(record.topic);
    entry.eventIds.add(record.event.metadata.eventId);
    lines.set(line, entry);
  }
  return lines;
}

/** Every line of a `rows`-row csvFile is on Kafka, on the right topic, always with one event id. */
function expectEveryLine(records: readonly SeenRecord[], rows: number): Map<number, { count: number; topics: Set<string>; eventIds: Set<string> }> {
  const lines = byLine(records);
  const missing = Array.from({ length: rows }, (_, i) => i + 2).filter((line) => !lines.has(line));
  expect(missing).toEqual([]);
  expect([...lines.keys()].filter((line) => line < 2 || line > rows + 1)).toEqual([]);
  const wrongTopic = [...lines].filter(([line, entry]) => {
    const expected = (line - 2) % 25 === 24 ? IMPORT_REJECTED : IMPORTED;
    return entry.topics.size !== 1 || !entry.topics.has(expected);
  });
  expect(wrongTopic.map(([line]) => line)).toEqual([]);
  expect([...lines].filter(([, entry]) => entry.eventIds.size !== 1).map(([line]) => line)).toEqual([]);
  return lines;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ingestion-imports-replicas-int-'));
  importDir = path.join(dataDir, 'shared-imports');
  process.env['LEADSTREAM_BOOTSTRAP_ADMIN_KEY'] = ADMIN_KEY;
  process.env['INGESTION_IMPORT_DIR'] = importDir; // one directory for both replicas, like the shared volume
  process.env['INGESTION_IMPORT_CHUNK_ROWS'] = String(CHUNK_ROWS);
  process.env['INGESTION_IMPORT_CHUNKS_IN_FLIGHT'] = String(CHUNKS_IN_FLIGHT);
  process.env['INGESTION_IMPORT_SCAN_MS'] = String(SCAN_MS);
  broker = await startBroker({ port: 0, dataDir: path.join(dataDir, 'broker'), logger: silentLogger });
  db = new Client({ connectionString: databaseUrl });
  await db.connect();

  const kafka = new Kafka({ clientId: 'imports-replicas-int', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: IMPORTED, numPartitions: 3 }, { topic: IMPORT_REJECTED, numPartitions: 3 }] }).catch(() => undefined);
  await admin.disconnect();
  kafkaConsumer = kafka.consumer({ groupId: `imports-replicas-int-${Date.now()}` });
  await kafkaConsumer.connect();
  await kafkaConsumer.subscribe({ topics: [IMPORTED, IMPORT_REJECTED], fromBeginning: true });
  await kafkaConsumer.run({
    eachMessage: async ({ topic, message }) => {
      seen.push({ topic, event: JSON.parse(message.value?.toString() ?? 'null') as SeenRecord['event'] });
    },
  });

  await bootReplica('a');
  await bootReplica('b');
}, 120_000);

afterAll(async () => {
  for (const replica of replicas) await closeReplica(replica).catch(() => undefined);
  await kafkaConsumer?.disconnect();
  await db?.end();
  await broker?.stop();
  for (const name of ['LEADSTREAM_BOOTSTRAP_ADMIN_KEY', 'INGESTION_IMPORT_DIR', 'INGESTION_IMPORT_CHUNK_ROWS', 'INGESTION_IMPORT_CHUNKS_IN_FLIGHT', 'INGESTION_IMPORT_SCAN_MS']) delete process.env[name];
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('import settings and lock keys', () => {
  it('reads INGESTION_IMPORT_SCAN_MS (default 15 s) and refuses a value that is not a positive integer', () => {
    expect(readImportSettings({}).scanMs).toBe(15_000);
    expect(readImportSettings({ INGESTION_IMPORT_SCAN_MS: '2500' }).scanMs).toBe(2_500);
    for (const bad of ['0', '-5', '1.5', '15s', 'soon']) {
      expect(() => readImportSettings({ INGESTION_IMPORT_SCAN_MS: bad })).toThrow(`INGESTION_IMPORT_SCAN_MS must be a positive integer, got '${bad}'`);
    }
  });

  it('reads INGESTION_IMPORT_CHUNK_ROWS (default 1,000) and INGESTION_IMPORT_CHUNKS_IN_FLIGHT (default 3) the same way', () => {
    expect(readImportSettings({}).chunkRows).toBe(1_000);
    expect(readImportSettings({}).chunksInFlight).toBe(3);
    expect(readImportSettings({ INGESTION_IMPORT_CHUNKS_IN_FLIGHT: '4' }).chunksInFlight).toBe(4);
    expect(() => readImportSettings({ INGESTION_IMPORT_CHUNKS_IN_FLIGHT: '0' })).toThrow("INGESTION_IMPORT_CHUNKS_IN_FLIGHT must be a positive integer, got '0'");
  });

  it('derives one namespaced two-int key per import id, the same in every replica', () => {
    const id = '6f1c2a4e-8b5d-4c3e-9a7f-0d1e2f3a4b5c';
    expect(importLockKey(id)).toEqual(importLockKey(id.toUpperCase()));
    expect(importLockKey(id)[0]).toBe(IMPORT_LOCK_NAMESPACE);
    const keys = new Set(Array.from({ length: 1000 }, () => importLockKey(randomUUID())[1]));
    expect(keys.size).toBeGreaterThan(995); // 32-bit keys: a collision among 1,000 is ~1e-4 likely
    for (const key of keys) expect(Number.isInteger(key) && key >= -(2 ** 31) && key < 2 ** 31).toBe(true);
  });
});

describe('two replicas, one upload', () => {
  it('processes the import on one replica only: every line reaches Kafka exactly once and the counters are exact', async () => {
    const [a, b] = replicas;
    const rows = 20_000;
    const file = csvFile('once', rows);
    const startedAt = Date.now();
    const importId = await upload(b!, file.body);

    // While it runs, exactly one database session holds its lock.
    await until(async () => ((await status(importId)).rowsRead > 0 ? true : undefined), 'the first chunk to commit');
    const holders = await lockHolders(importId);
    const during = await status(importId);

    const { result, runnersSeen, lastSeenRunningAt, overlaps } = await finished(importId);
    expect(result).toMatchObject({ status: 'completed', rowsRead: rows, accepted: file.accepted, rejected: file.rejected });
    // The other replica scanned several times while the import ran (else this test proved nothing).
    expect(during.status).toBe('running');
    expect(lastSeenRunningAt - startedAt).toBeGreaterThan(3 * SCAN_MS);
    expect(holders).toHaveLength(1);
    expect(overlaps).toEqual([]);
    expect(runnersSeen.size).toBe(1);
    expect(a!.runner.runningHere()).toEqual([]);
    expect(b!.runner.runningHere()).toEqual([]);

    const records = await kafkaRecords(importId, rows);
    const lines = expectEveryLine(records, rows);
    expect([...lines].filter(([, entry]) => entry.count !== 1).map(([line]) => line)).toEqual([]);
    expect(records).toHaveLength(rows);
    expect(records.filter((record) => record.topic === IMPORT_REJECTED)).toHaveLength(file.rejected);
    expect(await lockHolders(importId)).toEqual([]);
    expect(existsSync(path.join(importDir, `${importId}.csv`))).toBe(false);
  }, 180_000);
});

describe('an import whose lock another session holds', () => {
  it('is skipped by start and by the scans while the lock is held, and taken up by a scan once it is free', async () => {
    const [a, b] = replicas;
    const rows = 2_000;
    const file = csvFile('held', rows);
    const importId = randomUUID();
    const [namespace, key] = importLockKey(importId);
    await db.query('SELECT pg_advisory_lock($1, $2)', [namespace, key]);
    try {
      // Recorded as an upload would be, but by "someone else" holding the lock (another replica).
      mkdirSync(importDir, { recursive: true });
      const filePath = path.join(importDir, `${importId}.csv`);
      writeFileSync(filePath, file.body);
      const record = await a!.app.get(CsvImportRepository).create({ id: importId, filePath, bytesTotal: Buffer.byteLength(file.body) });
      a!.runner.start(record);
      b!.runner.start(record);

      // Several scans of both replicas later, nothing of it ran.
      await new Promise((resolve) => setTimeout(resolve, 6 * SCAN_MS));
      expect(await status(importId)).toMatchObject({ status: 'running', rowsRead: 0, accepted: 0, rejected: 0 });
      expect(runners(importId)).toEqual([]);
      expect(recordsOfImport(seen, importId)).toEqual([]);
      expect(existsSync(filePath)).toBe(true);
    } finally {
      await db.query('SELECT pg_advisory_unlock($1, $2)', [namespace, key]);
    }
    const freedAt = Date.now();
    const takenAt = await until(async () => (runners(importId).length > 0 || (await status(importId)).status !== 'running' ? Date.now() : undefined), 'a replica to take the import', 10_000);

    const { result, overlaps } = await finished(importId);
    expect(result).toMatchObject({ status: 'completed', rowsRead: rows, accepted: file.accepted, rejected: file.rejected });
    expect(overlaps).toEqual([]);
    const records = await kafkaRecords(importId, rows);
    const lines = expectEveryLine(records, rows);
    expect([...lines].filter(([, entry]) => entry.count !== 1).map(([line]) => line)).toEqual([]);
    expect(records).toHaveLength(rows);
    // Taken within about one scan interval of the lock being free (timers on a busy machine run late).
    expect(takenAt - freedAt).toBeLessThan(SCAN_MS + 5_000);
  }, 120_000);
});

describe('the replica running an import stops in the middle of it', () => {
  it('the other replica takes it over from the last committed chunk and completes it with exact counters', async () => {
    const [a] = alive();
    const rows = 20_000;
    const file = csvFile('takeover', rows);
    const importId = await upload(a!, file.body);

    const owner = await until(async () => {
      const current = await status(importId);
      const here = runners(importId);
      return current.rowsRead > 0 && here.length === 1 ? replicas.find((replica) => replica.name === here[0]) : undefined;
    }, 'the first chunk to commit');
    await closeReplica(owner!);
    const stoppedAt = Date.now();
    const atStop = await status(importId);
    // Stopped in the middle (if this fails, the import finished before the stop and the test proved nothing).
    expect(atStop.status).toBe('running');
    expect(atStop.rowsRead).toBeGreaterThan(0);
    expect(atStop.rowsRead).toBeLessThan(rows);

    const [other] = alive();
    const takenAt = await until(async () => (other!.runner.runningHere().includes(importId) || (await status(importId)).status !== 'running' ? Date.now() : undefined), 'the other replica to take the import over', 10_000);
    expect(takenAt - stoppedAt).toBeLessThan(SCAN_MS + 5_000);

    const { result, runnersSeen } = await finished(importId);
    expect(result).toMatchObject({ status: 'completed', rowsRead: rows, accepted: file.accepted, rejected: file.rejected });
    expect([...runnersSeen]).toEqual([other!.name]);

    const records = await kafkaRecords(importId, rows);
    const lines = expectEveryLine(records, rows);
    // At least once; a repeat is the same event (same id), and only the chunks in flight (and the one
    // being handed over) can repeat.
    const repeated = [...lines].filter(([, entry]) => entry.count > 1);
    expect(repeated.length).toBeLessThanOrEqual((CHUNKS_IN_FLIGHT + 1) * CHUNK_ROWS);
    expect(records.length - rows).toBe(repeated.reduce((sum, [, entry]) => sum + entry.count - 1, 0));

    // Back to two replicas for what follows.
    await bootReplica(owner!.name === 'a' ? 'c' : 'd');
  }, 180_000);
});

describe('the database session holding a replica\'s import locks is killed', () => {
  it('that replica stops the import, a scan takes it up on a new session, and it completes with exact counters', async () => {
    const [first] = alive();
    const rows = 20_000;
    const file = csvFile('session', rows);
    const importId = await upload(first!, file.body);

    await until(async () => ((await status(importId)).rowsRead > 0 ? true : undefined), 'the first chunk to commit');
    const holders = await lockHolders(importId);
    expect(holders).toHaveLength(1);
    const killed = await db.query<{ done: boolean }>('SELECT pg_terminate_backend($1) AS done', [holders[0]]);
    expect(killed.rows[0]?.done).toBe(true);
    const atKill = await status(importId);
    expect(atKill.status).toBe('running');
    expect(atKill.rowsRead).toBeLessThan(rows);

    // A new session holds it (on either replica) and the import goes on from its committed line.
    await until(async () => {
      const now = await lockHolders(importId);
      return (now.length === 1 && now[0] !== holders[0]) || (await status(importId)).status !== 'running' ? true : undefined;
    }, 'a new session to hold the lock', 15_000);

    const { result, overlaps } = await finished(importId);
    expect(result).toMatchObject({ status: 'completed', rowsRead: rows, accepted: file.accepted, rejected: file.rejected });
    expect(overlaps).toEqual([]);
    const records = await kafkaRecords(importId, rows);
    const lines = expectEveryLine(records, rows);
    expect([...lines].filter(([, entry]) => entry.count > 1).length).toBeLessThanOrEqual((CHUNKS_IN_FLIGHT + 1) * CHUNK_ROWS);
  }, 180_000);
});
