// Topics on disk: dataDir/topics/<name>/topic.json (written atomically) and one directory of
// segments per partition.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PartitionLog } from './partition-log';
import type { GroupCommit } from './group-commit';
import type { BrokerLogger } from '../logger';

export interface Topic {
  readonly name: string;
  readonly partitions: PartitionLog[];
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export function isValidTopicName(name: string): boolean {
  return TOPIC_NAME.test(name) && name !== '.' && name !== '..';
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export class TopicStore {
  private readonly topics = new Map<string, Topic>();
  private readonly root: string;

  constructor(
    dataDir: string,
    private readonly commit: GroupCommit,
    private readonly segmentBytes: number,
    private readonly logger: BrokerLogger,
  ) {
    this.root = path.join(dataDir, 'topics');
    fs.mkdirSync(this.root, { recursive: true });
    for (const name of fs.readdirSync(this.root)) {
      const dir = path.join(this.root, name);
      const metaFile = path.join(dir, 'topic.json');
      if (!fs.existsSync(metaFile)) {
        // creation interrupted before the topic existed, or deletion interrupted
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
      const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as { name: string; partitions: number };
      const partitions: PartitionLog[] = [];
      for (let p = 0; p < meta.partitions; p++) {
        partitions.push(PartitionLog.open(path.join(dir, String(p)), commit, segmentBytes, logger));
      }
      this.topics.set(meta.name, { name: meta.name, partitions });
    }
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  partition(name: string, partition: number): PartitionLog | undefined {
    return this.topics.get(name)?.partitions[partition];
  }

  names(): string[] {
    return [...this.topics.keys()].sort();
  }

  create(name: string, partitionCount: number): Topic {
    const existing = this.topics.get(name);
    if (existing) return existing;
    const dir = path.join(this.root, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const partitions: PartitionLog[] = [];
    for (let p = 0; p < partitionCount; p++) {
      partitions.push(PartitionLog.open(path.join(dir, String(p)), this.commit, this.segmentBytes, this.logger));
    }
    const tmp = path.join(dir, 'topic.json.tmp');
    const fd = fs.openSync(tmp, 'w');
    fs.writeSync(fd, JSON.stringify({ name, partitions: partitionCount, createdAt: new Date().toISOString() }));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, path.join(dir, 'topic.json'));
    fsyncDir(dir);
    fsyncDir(this.root);
    const topic = { name, partitions };
    this.topics.set(name, topic);
    this.logger.info(`created topic ${name} with ${partitionCount} partitions`);
    return topic;
  }

  delete(name: string): boolean {
    const topic = this.topics.get(name);
    if (!topic) return false;
    this.topics.delete(name);
    for (const p of topic.partitions) p.close();
    const dir = path.join(this.root, name);
    fs.rmSync(path.join(dir, 'topic.json'), { force: true });
    fsyncDir(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    this.logger.info(`deleted topic ${name}`);
    return true;
  }

  close(): void {
    for (const t of this.topics.values()) for (const p of t.partitions) p.close();
  }
}
