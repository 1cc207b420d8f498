// One partition's log: append-only segment files named after their base offset, an in-memory
// index of batch positions rebuilt on start by scanning (a torn tail is truncated), and a high
// watermark that only advances once the data is fdatasynced.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assignBaseOffset, scanBatches } from '../protocol/record-batch';
import type { Flushable, GroupCommit } from './group-commit';
import type { BrokerLogger } from '../logger';

const SEGMENT_SUFFIX = '.log';

class Segment {
  readonly baseOffsets: number[] = [];
  readonly lastOffsets: number[] = [];
  readonly positions: number[] = [];
  readonly sizes: number[] = [];
  readonly maxTimestamps: number[] = [];
  size = 0;
  constructor(
    readonly baseOffset: number,
    readonly file: string,
    public fd: number,
  ) {}

  /** index of the batch containing `offset`, or the first batch after it; -1 when none */
  locate(offset: number): number {
    let lo = 0;
    let hi = this.baseOffsets.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.baseOffsets[mid] <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found === -1) return this.baseOffsets.length > 0 ? 0 : -1;
    if (this.lastOffsets[found] >= offset) return found;
    return found + 1 < this.baseOffsets.length ? found + 1 : -1;
  }
}

export interface ReadResult {
  readonly records: Buffer;
}

function segmentName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}${SEGMENT_SUFFIX}`;
}

export class PartitionLog implements Flushable {
  private segments: Segment[] = [];
  /** next offset to assign */
  logEndOffset = 0;
  /** offsets below this are durable and visible to consumers */
  highWatermark = 0;
  logStartOffset = 0;
  private waiters = new Set<() => void>();
  private closed = false;

  get isClosed(): boolean {
    return this.closed;
  }

  private constructor(
    readonly dir: string,
    private readonly commit: GroupCommit,
    private readonly segmentBytes: number,
  ) {}

  static open(dir: string, commit: GroupCommit, segmentBytes: number, logger: BrokerLogger): PartitionLog {
    fs.mkdirSync(dir, { recursive: true });
    const log = new PartitionLog(dir, commit, segmentBytes);
    log.recover(logger);
    return log;
  }

  private recover(logger: BrokerLogger): void {
    const files = fs
      .readdirSync(this.dir)
      .filter((f) => f.endsWith(SEGMENT_SUFFIX))
      .sort();
    let expected: number | null = null;
    for (let i = 0; i < files.length; i++) {
      const file = path.join(this.dir, files[i]);
      const base = Number(files[i].slice(0, -SEGMENT_SUFFIX.length));
      if (expected !== null && base !== expected) {
        logger.warn(`partition ${this.dir}: segment ${files[i]} does not follow offset ${expected}; removing it and later ones`);
        for (const f of files.slice(i)) fs.rmSync(path.join(this.dir, f), { force: true });
        break;
      }
      const data = fs.readFileSync(file);
      const { batches, problem } = scanBatches(data);
      const fd = fs.openSync(file, 'a+');
      const seg = new Segment(base, file, fd);
      let next: number = base;
      let end = 0;
      for (const b of batches) {
        if (b.baseOffset !== next) break;
        seg.baseOffsets.push(b.baseOffset);
        seg.lastOffsets.push(b.baseOffset + b.lastOffsetDelta);
        seg.positions.push(b.start);
        seg.sizes.push(b.size);
        seg.maxTimestamps.push(b.maxTimestamp);
        next = b.baseOffset + b.lastOffsetDelta + 1;
        end = b.start + b.size;
      }
      seg.size = end;
      this.segments.push(seg);
      if (end < data.length) {
        logger.warn(`partition ${this.dir}: truncating torn tail of ${files[i]} at byte ${end} of ${data.length} (${problem ?? 'offset gap'})`);
        fs.ftruncateSync(fd, end);
        fs.fsyncSync(fd);
        for (const f of files.slice(i + 1)) fs.rmSync(path.join(this.dir, f), { force: true });
        expected = next;
        break;
      }
      expected = next;
    }
    if (this.segments.length === 0) {
      this.segments.push(this.createSegment(0));
      expected = 0;
    }
    this.logStartOffset = this.segments[0].baseOffset;
    this.logEndOffset = expected ?? 0;
    this.highWatermark = this.logEndOffset;
  }

  private createSegment(baseOffset: number): Segment {
    const file = path.join(this.dir, segmentName(baseOffset));
    const fd = fs.openSync(file, 'a+');
    // make the new file's directory entry durable before any acknowledged data lands in it
    const dirFd = fs.openSync(this.dir, 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
    return new Segment(baseOffset, file, fd);
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1];
  }

  /**
   * Appends the record batches found in `records` (validated by the caller with scanBatches),
   * rewriting their base offsets. Returns the base offset of the first one. The data is in the
   * page cache when this returns; it becomes visible to fetches once the group commit syncs it.
   */
  append(records: Buffer, batches: ReadonlyArray<{ start: number; size: number; lastOffsetDelta: number; maxTimestamp: number }>): number {
    if (this.closed) throw new Error('partition closed');
    if (this.active.size >= this.segmentBytes && this.active.baseOffsets.length > 0) {
      fs.fdatasyncSync(this.active.fd);
      this.segments.push(this.createSegment(this.logEndOffset));
    }
    const seg = this.active;
    const first = this.logEndOffset;
    const start = batches[0].start;
    let end = start;
    for (const b of batches) {
      const base = this.logEndOffset;
      assignBaseOffset(records, b.start, base);
      seg.baseOffsets.push(base);
      seg.lastOffsets.push(base + b.lastOffsetDelta);
      seg.positions.push(seg.size + (b.start - start));
      seg.sizes.push(b.size);
      seg.maxTimestamps.push(b.maxTimestamp);
      this.logEndOffset = base + b.lastOffsetDelta + 1;
      end = b.start + b.size;
    }
    let written = 0;
    const len = end - start;
    while (written < len) written += fs.writeSync(seg.fd, records, start + written, len - written);
    seg.size += len;
    this.commit.markDirty(this);
    return first;
  }

  prepareFlush(): { fd: number; done(): void } | null {
    if (this.closed) return null;
    const target = this.logEndOffset;
    return {
      fd: this.active.fd,
      done: () => {
        if (target > this.highWatermark) {
          this.highWatermark = target;
          this.notify();
        }
      },
    };
  }

  /** Registers a callback fired once when the high watermark moves (or the log closes). */
  onAppend(cb: () => void): () => void {
    this.waiters.add(cb);
    return () => this.waiters.delete(cb);
  }

  private notify(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }

  /**
   * Whole batches starting with the one containing `offset`, up to `maxBytes` but always at least
   * one batch. Only durable data (below the high watermark) is returned.
   */
  read(offset: number, maxBytes: number): Buffer {
    if (offset >= this.highWatermark) return Buffer.alloc(0);
    let si = this.segments.length - 1;
    while (si > 0 && this.segments[si].baseOffset > offset) si--;
    for (; si < this.segments.length; si++) {
      const seg = this.segments[si];
      const i = seg.locate(offset);
      if (i === -1) continue;
      if (seg.baseOffsets[i] >= this.highWatermark) return Buffer.alloc(0);
      let j = i;
      let bytes = seg.sizes[i];
      while (
        j + 1 < seg.baseOffsets.length &&
        seg.baseOffsets[j + 1] < this.highWatermark &&
        bytes + seg.sizes[j + 1] <= maxBytes
      ) {
        j++;
        bytes += seg.sizes[j];
      }
      const out = Buffer.allocUnsafe(bytes);
      let got = 0;
      while (got < bytes) {
        const n = fs.readSync(seg.fd, out, got, bytes - got, seg.positions[i] + got);
        if (n === 0) throw new Error(`short read in ${seg.file}`);
        got += n;
      }
      return out;
    }
    return Buffer.alloc(0);
  }

  /** Offset for a ListOffsets timestamp: -1 latest, -2 earliest, else first batch with maxTimestamp >= ts. */
  offsetForTimestamp(ts: number): { offset: number; timestamp: number } {
    if (ts === -1) return { offset: this.highWatermark, timestamp: -1 };
    if (ts === -2) return { offset: this.logStartOffset, timestamp: -1 };
    for (const seg of this.segments) {
      for (let i = 0; i < seg.baseOffsets.length; i++) {
        if (seg.baseOffsets[i] >= this.highWatermark) break;
        if (seg.maxTimestamps[i] >= ts) return { offset: seg.baseOffsets[i], timestamp: seg.maxTimestamps[i] };
      }
    }
    return { offset: -1, timestamp: -1 };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.segments) {
      try {
        fs.closeSync(s.fd);
      } catch {
        // already closed
      }
    }
    this.notify();
  }
}
