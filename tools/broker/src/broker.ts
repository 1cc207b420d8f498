import * as fs from 'node:fs';
import * as net from 'node:net';
import { GroupCoordinator } from './groups/coordinator';
import { silentLogger, type BrokerLogger } from './logger';
import { Connection } from './server/connection';
import { handleFrame, type BrokerContext } from './server/handlers';
import { GroupCommit } from './storage/group-commit';
import { OffsetsStore } from './storage/offsets-store';
import { TopicStore } from './storage/topics';

export interface BrokerOptions {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Directory holding the log segments and committed offsets (created if missing). */
  readonly dataDir: string;
  /** Partitions of auto-created topics (default 12). */
  readonly partitions?: number;
  /** Address to listen on and to advertise in metadata (default 127.0.0.1). */
  readonly host?: string;
  readonly logger?: BrokerLogger;
  /** Segment size before a new segment file is started (default 64 MiB). */
  readonly segmentBytes?: number;
  /** Create topics named in Metadata requests that allow it (default true). */
  readonly autoCreateTopics?: boolean;
}

export interface RunningBroker {
  readonly port: number;
  readonly host: string;
  stop(): Promise<void>;
}

/** pid of another live process holding the data dir, or null (no lock, or a stale one left by a crash) */
function lockHolder(lockFile: string): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(lockFile, 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const partitions = options.partitions ?? 12;
  if (!Number.isInteger(partitions) || partitions < 1) throw new Error(`partitions must be a positive integer, got ${partitions}`);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const lockFile = `${options.dataDir}/broker.lock`;
  const holder = lockHolder(lockFile);
  if (holder !== null) throw new Error(`data dir ${options.dataDir} is in use by another broker (pid ${holder}); stop it or use another --data-dir`);
  const commit = new GroupCommit();
  const topics = new TopicStore(options.dataDir, commit, options.segmentBytes ?? 64 * 1024 * 1024, logger);
  const offsets = new OffsetsStore(options.dataDir, commit, logger);
  const groups = new GroupCoordinator(logger);
  const ctx: BrokerContext = {
    nodeId: 1,
    host,
    port: options.port,
    clusterId: 'leadstream-dev-broker',
    defaultPartitions: partitions,
    autoCreateTopics: options.autoCreateTopics ?? true,
    topics,
    offsets,
    groups,
    commit,
    logger,
    stopping: false,
  };
  const connections = new Set<Connection>();
  const server = net.createServer((socket) => {
    const conn = new Connection(
      socket,
      (frame, c) => handleFrame(ctx, frame, c),
      (err) => logger.error(`connection ${socket.remoteAddress ?? ''}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    );
    connections.add(conn);
    socket.on('close', () => connections.delete(conn));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    topics.close();
    offsets.close();
    throw new Error(`broker could not listen on ${host}:${options.port}: ${(err as Error).message}`);
  }
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('broker did not get a TCP address');
  ctx.port = address.port;
  fs.writeFileSync(lockFile, `${process.pid}\n`);
  logger.info(`listening on ${host}:${ctx.port}, data in ${options.dataDir}`);

  let stopped: Promise<void> | null = null;
  return {
    port: ctx.port,
    host,
    stop: () => {
      stopped ??= (async () => {
        ctx.stopping = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const c of connections) c.socket.destroy();
        await closed;
        groups.close();
        await commit.drain();
        topics.close();
        offsets.close();
        fs.rmSync(lockFile, { force: true });
        logger.info('stopped');
      })();
      return stopped;
    },
  };
}
