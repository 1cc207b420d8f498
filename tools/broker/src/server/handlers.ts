// Request decoding, handling and response encoding for every API the broker serves.
import { Reader, Writer, ProtocolError } from '../protocol/codec';
import { API_NAMES, ApiKey, ErrorCode, SUPPORTED_VERSIONS, isSupported } from '../protocol/constants';
import { scanBatches } from '../protocol/record-batch';
import type { GroupCoordinator } from '../groups/coordinator';
import type { GroupCommit } from '../storage/group-commit';
import type { OffsetsStore } from '../storage/offsets-store';
import { isValidTopicName, type TopicStore } from '../storage/topics';
import type { PartitionLog } from '../storage/partition-log';
import type { BrokerLogger } from '../logger';
import type { Connection } from './connection';

export interface BrokerContext {
  readonly nodeId: number;
  readonly host: string;
  port: number;
  readonly clusterId: string;
  readonly defaultPartitions: number;
  readonly autoCreateTopics: boolean;
  readonly topics: TopicStore;
  readonly offsets: OffsetsStore;
  readonly groups: GroupCoordinator;
  readonly commit: GroupCommit;
  readonly logger: BrokerLogger;
  stopping: boolean;
}

interface Request {
  readonly apiKey: number;
  readonly version: number;
  readonly clientId: string;
  readonly conn: Connection;
}

type Handler = (ctx: BrokerContext, req: Request, r: Reader, w: Writer) => Promise<boolean> | boolean;

/** Decodes one request frame and produces the reply frame (without its size prefix), or null for none. */
export async function handleFrame(ctx: BrokerContext, frame: Buffer, conn: Connection): Promise<Buffer[] | null> {
  const r = new Reader(frame);
  const apiKey = r.int16();
  const version = r.int16();
  const correlationId = r.int32();
  const w = new Writer(512);
  w.int32(correlationId); // response header v0 (no flexible response header is ever used)
  const name = API_NAMES[apiKey] ?? `unknown API ${apiKey}`;
  if (apiKey === ApiKey.ApiVersions && !isSupported(apiKey, version)) {
    // The protocol asks for a v0 reply carrying UNSUPPORTED_VERSION and the versions we do serve.
    ctx.logger.warn(`ApiVersions v${version} is not supported; answering with the v0 error reply`);
    writeApiVersions(w, 0, ErrorCode.UNSUPPORTED_VERSION);
    return w.finish();
  }
  if (!isSupported(apiKey, version)) {
    ctx.logger.warn(`request ${name} v${version} from ${conn.clientHost} is not supported; replying UNSUPPORTED_VERSION`);
    w.int16(ErrorCode.UNSUPPORTED_VERSION);
    return w.finish();
  }
  try {
    const clientId = r.nullableString() ?? '';
    if (apiKey === ApiKey.ApiVersions && version >= 3) r.skipTaggedFields(); // request header v2
    const handler = HANDLERS[apiKey];
    const reply = await handler(ctx, { apiKey, version, clientId, conn }, r, w);
    return reply ? w.finish() : null;
  } catch (err) {
    // Never a silent close: the client gets an error code right after the correlation id.
    const protocol = err instanceof ProtocolError;
    if (protocol) ctx.logger.warn(`malformed ${name} v${version} request from ${conn.clientHost}: ${err.message}; replying INVALID_REQUEST`);
    else ctx.logger.error(`${name} v${version} request from ${conn.clientHost} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    const e = new Writer(16);
    e.int32(correlationId).int16(protocol ? ErrorCode.INVALID_REQUEST : ErrorCode.UNKNOWN_SERVER_ERROR);
    return e.finish();
  }
}

function writeApiVersions(w: Writer, version: number, errorCode: number): void {
  w.int16(errorCode);
  if (version >= 3) {
    w.compactArray(SUPPORTED_VERSIONS, (w, v) => {
      w.int16(v.apiKey).int16(v.min).int16(v.max).emptyTaggedFields();
    });
    w.int32(0); // throttle
    w.emptyTaggedFields();
    return;
  }
  w.array(SUPPORTED_VERSIONS, (w, v) => {
    w.int16(v.apiKey).int16(v.min).int16(v.max);
  });
  if (version >= 1) w.int32(0);
}

const apiVersions: Handler = (_ctx, req, r, w) => {
  if (req.version >= 3) {
    r.compactString(); // client software name
    r.compactString(); // client software version
    r.skipTaggedFields();
  }
  writeApiVersions(w, req.version, ErrorCode.NONE);
  return true;
};

function ensureTopic(ctx: BrokerContext, name: string, allowCreate: boolean): number {
  if (ctx.topics.get(name)) return ErrorCode.NONE;
  if (!isValidTopicName(name)) return ErrorCode.INVALID_TOPIC_EXCEPTION;
  if (!allowCreate || !ctx.autoCreateTopics) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  ctx.topics.create(name, ctx.defaultPartitions);
  return ErrorCode.NONE;
}

const metadata: Handler = (ctx, req, r, w) => {
  const v = req.version;
  let requested: string[] | null = v === 0 ? r.array((r) => r.string()) : r.nullableArray((r) => r.string());
  if (v === 0 && requested !== null && requested.length === 0) requested = null;
  const allowCreate = v >= 4 ? r.bool() : true;
  if (v >= 8) {
    r.bool();
    r.bool();
  }
  if (v >= 3) w.int32(0);
  w.array([ctx.nodeId], (w, id) => {
    w.int32(id).string(ctx.host).int32(ctx.port);
    if (v >= 1) w.nullableString(null);
  });
  if (v >= 2) w.nullableString(ctx.clusterId);
  if (v >= 1) w.int32(ctx.nodeId);
  const names = requested === null ? ctx.topics.names() : requested;
  w.array(names, (w, name) => {
    const error = requested === null ? ErrorCode.NONE : ensureTopic(ctx, name, allowCreate);
    const topic = ctx.topics.get(name);
    w.int16(error).string(name);
    if (v >= 1) w.bool(false);
    w.array(topic?.partitions ?? [], (w, _log, index) => {
      w.int16(ErrorCode.NONE).int32(index).int32(ctx.nodeId);
      if (v >= 7) w.int32(0); // leader epoch
      w.array([ctx.nodeId], (w, id) => w.int32(id)); // replicas
      w.array([ctx.nodeId], (w, id) => w.int32(id)); // in-sync replicas
      if (v >= 5) w.int32(0); // offline replicas: empty array
    });
    if (v >= 8) w.int32(-2147483648);
  });
  if (v >= 8) w.int32(-2147483648);
  return true;
};

// ---------------------------------------------------------------------------------- produce

const produce: Handler = async (ctx, req, r, w) => {
  const v = req.version;
  if (v >= 3) r.nullableString(); // transactional id (transactions are out of scope; batches are stored as sent)
  const acks = r.int16();
  r.int32(); // timeout
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({ index: r.int32(), records: r.nullableBytes() })),
  }));
  const results = topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      const out = { index: p.index, error: ErrorCode.NONE as number, baseOffset: -1, logStartOffset: -1, log: null as PartitionLog | null };
      if (acks !== 0 && acks !== 1 && acks !== -1) {
        out.error = ErrorCode.INVALID_REQUIRED_ACKS;
        return out;
      }
      const log = ctx.topics.partition(t.name, p.index);
      if (!log) {
        out.error = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        return out;
      }
      const records = p.records;
      const scan = records ? scanBatches(records) : null;
      if (!records || !scan || scan.batches.length === 0 || scan.problem) {
        out.error = scan?.problem === 'bad-magic' ? ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT : ErrorCode.CORRUPT_MESSAGE;
        ctx.logger.warn(`produce to ${t.name}/${p.index} rejected: ${scan?.problem ?? 'no record batch'}`);
        return out;
      }
      try {
        out.baseOffset = log.append(records, scan.batches);
        out.logStartOffset = log.logStartOffset;
        out.log = log;
      } catch (err) {
        ctx.logger.error(`append to ${t.name}/${p.index} failed: ${String(err)}`);
        out.error = ErrorCode.KAFKA_STORAGE_ERROR;
      }
      return out;
    }),
  }));
  if (acks === 0) return false;
  try {
    await ctx.commit.waitDurable();
  } catch (err) {
    ctx.logger.error(`fdatasync failed: ${String(err)}`);
    for (const t of results) for (const p of t.partitions) if (p.log) p.error = ErrorCode.KAFKA_STORAGE_ERROR;
  }
  w.array(results, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      w.int32(p.index).int16(p.error).int64(p.error === ErrorCode.NONE ? p.baseOffset : -1);
      if (v >= 2) w.int64(-1); // log append time: CreateTime is used
      if (v >= 5) w.int64(p.logStartOffset);
    });
  });
  if (v >= 1) w.int32(0);
  return true;
};

// ------------------------------------------------------------------------------------ fetch

interface FetchPartition {
  readonly index: number;
  readonly offset: number;
  readonly maxBytes: number;
}

const fetch: Handler = async (ctx, req, r, w) => {
  const v = req.version;
  r.int32(); // replica id
  const maxWaitMs = Math.max(0, r.int32());
  const minBytes = r.int32();
  const maxBytes = v >= 3 ? r.int32() : 0x7fffffff;
  if (v >= 4) r.int8(); // isolation level: everything stored is committed
  if (v >= 7) {
    r.int32(); // session id: sessions are not kept, every fetch is a full one
    r.int32(); // session epoch
  }
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r): FetchPartition => {
      const index = r.int32();
      if (v >= 9) r.int32(); // current leader epoch
      const offset = r.int64();
      if (v >= 5) r.int64(); // log start offset (followers only)
      return { index, offset, maxBytes: r.int32() };
    }),
  }));
  // forgotten topics (v7+) and rack id (v11+) need no handling without sessions or replicas

  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    let total = 0;
    const results = topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const log = ctx.topics.partition(t.name, p.index);
        if (!log) return { index: p.index, error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, hw: -1, start: -1, records: EMPTY_RECORDS, log: null };
        if (p.offset < log.logStartOffset || p.offset > log.highWatermark) {
          return { index: p.index, error: ErrorCode.OFFSET_OUT_OF_RANGE, hw: log.highWatermark, start: log.logStartOffset, records: EMPTY_RECORDS, log };
        }
        const records = log.read(p.offset, Math.min(p.maxBytes, maxBytes - total));
        total += records.length;
        return { index: p.index, error: ErrorCode.NONE, hw: log.highWatermark, start: log.logStartOffset, records, log };
      }),
    }));
    const remaining = deadline - Date.now();
    if (total >= minBytes || remaining <= 0 || req.conn.isClosed || ctx.stopping) {
      if (v >= 1) w.int32(0);
      if (v >= 7) w.int16(ErrorCode.NONE).int32(0);
      w.array(results, (w, t) => {
        w.string(t.name);
        w.array(t.partitions, (w, p) => {
          w.int32(p.index).int16(p.error).int64(p.hw);
          if (v >= 4) {
            w.int64(p.hw); // last stable offset
            if (v >= 5) w.int64(p.start);
            w.int32(0); // aborted transactions: none
          }
          if (v >= 11) w.int32(-1); // preferred read replica
          w.bytes(p.records); // an empty record set is empty bytes, never null
        });
      });
      return true;
    }
    // long poll: wait for any of the partitions to receive data, or the deadline
    await new Promise<void>((resolve) => {
      const unsubscribe: Array<() => void> = [];
      let timer: NodeJS.Timeout | null = null;
      const wake = (): void => {
        if (timer) clearTimeout(timer);
        for (const u of unsubscribe) u();
        resolve();
      };
      for (const t of results) for (const p of t.partitions) if (p.log) unsubscribe.push(p.log.onAppend(wake));
      timer = setTimeout(wake, remaining);
      req.conn.socket.once('close', wake);
      unsubscribe.push(() => req.conn.socket.off('close', wake));
    });
  }
};

const EMPTY_RECORDS = Buffer.alloc(0);

// ------------------------------------------------------------------------------ list offsets

const listOffsets: Handler = (ctx, req, r, w) => {
  const v = req.version;
  r.int32(); // replica id
  if (v >= 2) r.int8(); // isolation level
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => {
      const index = r.int32();
      if (v >= 4) r.int32(); // current leader epoch
      const timestamp = r.int64();
      if (v === 0) r.int32(); // max number of offsets
      return { index, timestamp };
    }),
  }));
  if (v >= 2) w.int32(0);
  w.array(topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      const log = ctx.topics.partition(t.name, p.index);
      const found = log ? log.offsetForTimestamp(p.timestamp) : { offset: -1, timestamp: -1 };
      w.int32(p.index).int16(log ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      if (v === 0) {
        w.array(found.offset >= 0 ? [found.offset] : [], (w, o) => w.int64(o));
      } else {
        w.int64(found.timestamp).int64(found.offset);
        if (v >= 4) w.int32(0);
      }
    });
  });
  return true;
};

// --------------------------------------------------------------------------------- offsets

const offsetCommit: Handler = async (ctx, req, r, w) => {
  const v = req.version;
  const groupId = r.string();
  const generationId = v >= 1 ? r.int32() : -1;
  const memberId = v >= 1 ? r.string() : '';
  if (v >= 7) r.nullableString(); // group instance id
  if (v >= 2 && v <= 4) r.int64(); // retention time
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => {
      const index = r.int32();
      const offset = r.int64();
      if (v === 1) r.int64(); // commit timestamp
      if (v >= 6) r.int32(); // leader epoch
      return { index, offset, metadata: r.nullableString() };
    }),
  }));
  const groupError = ctx.groups.validateCommit(groupId, generationId, memberId);
  const errors = topics.map((t) =>
    t.partitions.map((p) => {
      if (groupError !== ErrorCode.NONE) return groupError;
      return ctx.topics.partition(t.name, p.index) ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    }),
  );
  const entries = topics.flatMap((t, ti) =>
    t.partitions.filter((_p, pi) => errors[ti][pi] === ErrorCode.NONE).map((p) => ({ topic: t.name, partition: p.index, offset: p.offset, metadata: p.metadata })),
  );
  try {
    await ctx.offsets.commitOffsets(groupId, entries);
  } catch (err) {
    ctx.logger.error(`offset commit for ${groupId} failed: ${String(err)}`);
    for (const e of errors) e.fill(ErrorCode.KAFKA_STORAGE_ERROR);
  }
  if (v >= 3) w.int32(0);
  w.array(topics, (w, t, ti) => {
    w.string(t.name);
    w.array(t.partitions, (w, p, pi) => {
      w.int32(p.index).int16(errors[ti][pi]);
    });
  });
  return true;
};

const offsetFetch: Handler = (ctx, req, r, w) => {
  const v = req.version;
  const groupId = r.string();
  const read = (r: Reader): { name: string; partitions: number[] } => ({ name: r.string(), partitions: r.array((r) => r.int32()) });
  let topics = v >= 2 ? r.nullableArray(read) : r.array(read);
  if (topics === null) {
    topics = [...ctx.offsets.all(groupId)].map(([name, parts]) => ({ name, partitions: [...parts.keys()].sort((a, b) => a - b) }));
  }
  if (v >= 3) w.int32(0);
  w.array(topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      const c = ctx.offsets.get(groupId, t.name, p);
      w.int32(p).int64(c ? c.offset : -1);
      if (v >= 5) w.int32(-1);
      w.nullableString(c ? (c.metadata ?? '') : '').int16(ErrorCode.NONE);
    });
  });
  if (v >= 2) w.int16(ErrorCode.NONE);
  return true;
};

// ---------------------------------------------------------------------------------- groups

const findCoordinator: Handler = (ctx, req, r, w) => {
  r.string(); // key
  if (req.version >= 1) r.int8(); // key type
  if (req.version >= 1) w.int32(0);
  w.int16(ErrorCode.NONE);
  if (req.version >= 1) w.nullableString(null);
  w.int32(ctx.nodeId).string(ctx.host).int32(ctx.port);
  return true;
};

const joinGroup: Handler = async (ctx, req, r, w) => {
  const v = req.version;
  const groupId = r.string();
  const sessionTimeoutMs = r.int32();
  const rebalanceTimeoutMs = v >= 1 ? r.int32() : sessionTimeoutMs;
  const memberId = r.string();
  const groupInstanceId = v >= 5 ? r.nullableString() : null;
  const protocolType = r.string();
  const protocols = r.array((r) => ({ name: r.string(), metadata: Buffer.from(r.bytes()) }));
  const result = await ctx.groups.join(groupId, {
    memberId,
    groupInstanceId,
    clientId: req.clientId,
    clientHost: req.conn.clientHost,
    sessionTimeoutMs,
    rebalanceTimeoutMs,
    protocolType,
    protocols,
  });
  if (v >= 2) w.int32(0);
  w.int16(result.errorCode).int32(result.generationId).string(result.protocolName).string(result.leader).string(result.memberId);
  w.array(result.members, (w, m) => {
    w.string(m.memberId);
    if (v >= 5) w.nullableString(m.groupInstanceId);
    w.bytes(m.metadata);
  });
  return true;
};

const syncGroup: Handler = async (ctx, req, r, w) => {
  const v = req.version;
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  if (v >= 3) r.nullableString();
  const assignments = r.array((r) => ({ memberId: r.string(), assignment: Buffer.from(r.bytes()) }));
  const result = await ctx.groups.sync(groupId, generationId, memberId, assignments);
  if (v >= 1) w.int32(0);
  w.int16(result.errorCode).bytes(result.assignment);
  return true;
};

const heartbeat: Handler = (ctx, req, r, w) => {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  if (req.version >= 3) r.nullableString();
  if (req.version >= 1) w.int32(0);
  w.int16(ctx.groups.heartbeat(groupId, generationId, memberId));
  return true;
};

const leaveGroup: Handler = (ctx, req, r, w) => {
  const groupId = r.string();
  if (req.version <= 2) {
    const memberId = r.string();
    if (req.version >= 1) w.int32(0);
    w.int16(ctx.groups.leave(groupId, memberId));
    return true;
  }
  const members = r.array((r) => ({ memberId: r.string(), groupInstanceId: r.nullableString() }));
  w.int32(0).int16(ErrorCode.NONE);
  w.array(members, (w, m) => {
    w.string(m.memberId).nullableString(m.groupInstanceId).int16(ctx.groups.leave(groupId, m.memberId));
  });
  return true;
};

const describeGroups: Handler = (ctx, req, r, w) => {
  const ids = r.array((r) => r.string());
  if (req.version >= 1) w.int32(0);
  w.array(ids, (w, id) => {
    const d = ctx.groups.describe(id, ctx.offsets.hasGroup(id));
    w.int16(d.errorCode).string(d.groupId).string(d.state).string(d.protocolType).string(d.protocol);
    w.array(d.members, (w, m) => {
      w.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment);
    });
  });
  return true;
};

const listGroups: Handler = (ctx, req, _r, w) => {
  const groups = new Map(ctx.groups.list().map((g) => [g.groupId, g.protocolType]));
  for (const id of ctx.offsets.groupIds()) if (!groups.has(id)) groups.set(id, 'consumer');
  if (req.version >= 1) w.int32(0);
  w.int16(ErrorCode.NONE);
  w.array([...groups], (w, [id, type]) => {
    w.string(id).string(type);
  });
  return true;
};

// ---------------------------------------------------------------------------------- topics

const createTopics: Handler = (ctx, req, r, w) => {
  const v = req.version;
  const topics = r.array((r) => ({
    name: r.string(),
    numPartitions: r.int32(),
    replicationFactor: r.int16(),
    assignments: r.array((r) => ({ index: r.int32(), brokers: r.array((r) => r.int32()) })),
    configs: r.array((r) => ({ name: r.string(), value: r.nullableString() })),
  }));
  r.int32(); // timeout
  const validateOnly = v >= 1 ? r.bool() : false;
  const results = topics.map((t) => {
    const partitions = t.assignments.length > 0 ? t.assignments.length : t.numPartitions === -1 ? ctx.defaultPartitions : t.numPartitions;
    if (!isValidTopicName(t.name)) return { name: t.name, error: ErrorCode.INVALID_TOPIC_EXCEPTION, message: `invalid topic name '${t.name}'` };
    if (ctx.topics.get(t.name)) return { name: t.name, error: ErrorCode.TOPIC_ALREADY_EXISTS, message: `topic '${t.name}' already exists` };
    if (partitions <= 0 || partitions > 10_000) return { name: t.name, error: ErrorCode.INVALID_PARTITIONS, message: `invalid number of partitions ${partitions}` };
    if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
      return { name: t.name, error: ErrorCode.INVALID_REPLICATION_FACTOR, message: `replication factor ${t.replicationFactor} is impossible on this single-node development broker (use 1 or -1)` };
    }
    if (!validateOnly) ctx.topics.create(t.name, partitions);
    return { name: t.name, error: ErrorCode.NONE, message: null };
  });
  if (v >= 2) w.int32(0);
  w.array(results, (w, t) => {
    w.string(t.name).int16(t.error);
    if (v >= 1) w.nullableString(t.message);
  });
  return true;
};

const deleteTopics: Handler = (ctx, req, r, w) => {
  const names = r.array((r) => r.string());
  r.int32(); // timeout
  const results = names.map((name) => {
    if (!ctx.topics.delete(name)) return { name, error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
    ctx.offsets.deleteTopic(name);
    return { name, error: ErrorCode.NONE };
  });
  if (req.version >= 1) w.int32(0);
  w.array(results, (w, t) => {
    w.string(t.name).int16(t.error);
  });
  return true;
};

const deleteGroups: Handler = async (ctx, req, r, w) => {
  const ids = r.array((r) => r.string());
  const results: Array<{ id: string; error: number }> = [];
  for (const id of ids) {
    if (!ctx.groups.has(id) && !ctx.offsets.hasGroup(id)) {
      results.push({ id, error: ErrorCode.GROUP_ID_NOT_FOUND });
      continue;
    }
    const error = ctx.groups.delete(id);
    if (error === ErrorCode.NONE) await ctx.offsets.deleteGroup(id);
    results.push({ id, error });
  }
  if (req.version >= 1) w.int32(0);
  w.array(results, (w, g) => {
    w.string(g.id).int16(g.error);
  });
  return true;
};

const HANDLERS: Record<number, Handler> = {
  [ApiKey.Produce]: produce,
  [ApiKey.Fetch]: fetch,
  [ApiKey.ListOffsets]: listOffsets,
  [ApiKey.Metadata]: metadata,
  [ApiKey.OffsetCommit]: offsetCommit,
  [ApiKey.OffsetFetch]: offsetFetch,
  [ApiKey.FindCoordinator]: findCoordinator,
  [ApiKey.JoinGroup]: joinGroup,
  [ApiKey.Heartbeat]: heartbeat,
  [ApiKey.LeaveGroup]: leaveGroup,
  [ApiKey.SyncGroup]: syncGroup,
  [ApiKey.DescribeGroups]: describeGroups,
  [ApiKey.ListGroups]: listGroups,
  [ApiKey.ApiVersions]: apiVersions,
  [ApiKey.CreateTopics]: createTopics,
  [ApiKey.DeleteTopics]: deleteTopics,
  [ApiKey.DeleteGroups]: deleteGroups,
};
