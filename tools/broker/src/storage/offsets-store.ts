// Committed group offsets: an append-only log of JSON lines (one line per commit request, so a
// request is all-or-nothing), replayed on start and compacted into a snapshot when it grows.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Flushable, GroupCommit } from './group-commit';
import type { BrokerLogger } from '../logger';

export interface CommittedOffset {
  readonly offset: number;
  readonly metadata: string | null;
}

type Entry = { t: string; p: number; o: number; m: string | null };
type Line = { g: string; c: Entry[] } | { dt: string } | { dg: string };

const COMPACT_AFTER_LINES = 100_000;

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed
  }
}

export class OffsetsStore implements Flushable {
  private readonly groups = new Map<string, Map<string, Map<number, CommittedOffset>>>();
  private fd: number;
  private lines = 0;
  private readonly file: string;
  /** descriptors replaced by a compaction; closed once a later sync round no longer uses them */
  private retired: number[] = [];

  constructor(
    dataDir: string,
    private readonly commit: GroupCommit,
    logger: BrokerLogger,
    private readonly compactAfterLines = COMPACT_AFTER_LINES,
  ) {
    this.file = path.join(dataDir, 'group-offsets.log');
    if (fs.existsSync(this.file)) {
      const text = fs.readFileSync(this.file, 'utf8');
      const parts = text.split('\n');
      let validBytes = 0;
      for (let i = 0; i < parts.length; i++) {
        const line = parts[i];
        const complete = i < parts.length - 1; // a line without its newline was torn
        if (!complete) break;
        try {
          this.applyLine(JSON.parse(line) as Line);
        } catch {
          logger.warn(`group offsets log: ignoring corrupt tail from line ${i + 1}`);
          break;
        }
        validBytes += Buffer.byteLength(line) + 1;
        this.lines++;
      }
      if (validBytes < Buffer.byteLength(text)) {
        fs.truncateSync(this.file, validBytes);
      }
    }
    if (this.lines > this.compactAfterLines) this.compact();
    const created = !fs.existsSync(this.file);
    this.fd = fs.openSync(this.file, 'a');
    if (created) {
      const dirFd = fs.openSync(dataDir, 'r');
      fs.fsyncSync(dirFd);
      fs.closeSync(dirFd);
    }
  }

  private applyLine(line: Line): void {
    if ('g' in line) {
      let topics = this.groups.get(line.g);
      if (!topics) this.groups.set(line.g, (topics = new Map()));
      for (const e of line.c) {
        let parts = topics.get(e.t);
        if (!parts) topics.set(e.t, (parts = new Map()));
        parts.set(e.p, { offset: e.o, metadata: e.m });
      }
    } else if ('dt' in line) {
      for (const topics of this.groups.values()) topics.delete(line.dt);
    } else if ('dg' in line) {
      this.groups.delete(line.dg);
    }
  }

  private compact(): void {
    const tmp = `${this.file}.tmp`;
    const out: string[] = [];
    for (const [g, topics] of this.groups) {
      const c: Entry[] = [];
      for (const [t, parts] of topics) for (const [p, v] of parts) c.push({ t, p, o: v.offset, m: v.metadata });
      if (c.length > 0) out.push(JSON.stringify({ g, c }));
    }
    const fd = fs.openSync(tmp, 'w');
    fs.writeSync(fd, out.map((l) => `${l}\n`).join(''));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, this.file);
    const dirFd = fs.openSync(path.dirname(this.file), 'r');
    fs.fsyncSync(dirFd);
    fs.closeSync(dirFd);
    this.lines = out.length;
  }

  private append(line: Line): void {
    this.applyLine(line);
    if (this.lines >= this.compactAfterLines) {
      // the snapshot already holds this line's effect, durably
      this.compact();
      this.retired.push(this.fd);
      this.fd = fs.openSync(this.file, 'a');
    } else {
      fs.writeSync(this.fd, `${JSON.stringify(line)}\n`);
      this.lines++;
    }
    this.commit.markDirty(this);
  }

  /** lines in the log file (for tests) */
  get lineCount(): number {
    return this.lines;
  }

  /** Stores the commits; resolves once they are durable. */
  async commitOffsets(group: string, entries: ReadonlyArray<{ topic: string; partition: number; offset: number; metadata: string | null }>): Promise<void> {
    if (entries.length === 0) return;
    this.append({ g: group, c: entries.map((e) => ({ t: e.topic, p: e.partition, o: e.offset, m: e.metadata })) });
    await this.commit.waitDurable();
  }

  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(group)?.get(topic)?.get(partition);
  }

  /** All committed offsets of a group, by topic. */
  all(group: string): Map<string, Map<number, CommittedOffset>> {
    return this.groups.get(group) ?? new Map();
  }

  hasGroup(group: string): boolean {
    return this.groups.has(group);
  }

  groupIds(): string[] {
    return [...this.groups.keys()];
  }

  deleteTopic(topic: string): void {
    this.append({ dt: topic });
  }

  /** Forgets a group's committed offsets; resolves once that is durable. */
  async deleteGroup(group: string): Promise<void> {
    this.append({ dg: group });
    await this.commit.waitDurable();
  }

  prepareFlush(): { fd: number; done(): void } {
    const retired = this.retired;
    this.retired = [];
    return { fd: this.fd, done: () => retired.forEach(closeQuietly) };
  }

  close(): void {
    closeQuietly(this.fd);
    this.retired.forEach(closeQuietly);
    this.retired = [];
  }
}
