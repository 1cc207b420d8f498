// Record batch (magic 2) framing. The broker treats batch contents as opaque bytes: it validates
// the header and CRC, and assigns offsets by rewriting baseOffset (the CRC32C covers the batch from
// the attributes field on, so the rewrite keeps it valid; compressed batches pass through untouched).
import { crc32c } from '@leadstream/platform-checksum';

export const BATCH_HEADER_SIZE = 61;
const OFF_BASE_OFFSET = 0;
const OFF_BATCH_LENGTH = 8;
const OFF_LEADER_EPOCH = 12;
const OFF_MAGIC = 16;
const OFF_CRC = 17;
const OFF_ATTRIBUTES = 21;
const OFF_LAST_OFFSET_DELTA = 23;
const OFF_MAX_TIMESTAMP = 35;
const OFF_RECORD_COUNT = 57;

export interface BatchInfo {
  /** start of the batch within the scanned buffer */
  readonly start: number;
  /** total size in bytes, including the 12-byte offset+length prefix */
  readonly size: number;
  readonly baseOffset: number;
  readonly lastOffsetDelta: number;
  readonly maxTimestamp: number;
  readonly recordCount: number;
}

export type BatchProblem = 'truncated' | 'bad-magic' | 'bad-crc' | 'bad-length';

export function readInt64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * 4294967296 + buf.readUInt32BE(at + 4);
}

export function writeInt64(buf: Buffer, at: number, v: number): void {
  buf.writeUInt32BE(Math.floor(v / 4294967296), at);
  buf.writeUInt32BE(v % 4294967296, at + 4);
}

/**
 * Splits `buf[from, to)` into record batches. Stops at the first problem and reports where the
 * valid prefix ends, so callers can reject a request or truncate a torn log tail.
 */
export function scanBatches(
  buf: Buffer,
  from = 0,
  to = buf.length,
  verifyCrc = true,
): { batches: BatchInfo[]; validEnd: number; problem: BatchProblem | null } {
  const batches: BatchInfo[] = [];
  let pos = from;
  while (pos < to) {
    if (to - pos < BATCH_HEADER_SIZE) return { batches, validEnd: pos, problem: 'truncated' };
    const batchLength = buf.readInt32BE(pos + OFF_BATCH_LENGTH);
    const size = batchLength + 12;
    if (batchLength < BATCH_HEADER_SIZE - 12) return { batches, validEnd: pos, problem: 'bad-length' };
    if (pos + size > to) return { batches, validEnd: pos, problem: 'truncated' };
    if (buf[pos + OFF_MAGIC] !== 2) return { batches, validEnd: pos, problem: 'bad-magic' };
    if (verifyCrc && crc32c(buf, pos + OFF_ATTRIBUTES, pos + size) !== buf.readUInt32BE(pos + OFF_CRC)) {
      return { batches, validEnd: pos, problem: 'bad-crc' };
    }
    batches.push({
      start: pos,
      size,
      baseOffset: readInt64(buf, pos + OFF_BASE_OFFSET),
      lastOffsetDelta: buf.readInt32BE(pos + OFF_LAST_OFFSET_DELTA),
      maxTimestamp: readInt64(buf, pos + OFF_MAX_TIMESTAMP),
      recordCount: buf.readInt32BE(pos + OFF_RECORD_COUNT),
    });
    pos += size;
  }
  return { batches, validEnd: pos, problem: null };
}

/** Rewrites the batch's base offset (and leader epoch, which the CRC does not cover either). */
export function assignBaseOffset(buf: Buffer, batchStart: number, baseOffset: number): void {
  writeInt64(buf, batchStart + OFF_BASE_OFFSET, baseOffset);
  buf.writeInt32BE(0, batchStart + OFF_LEADER_EPOCH);
}
