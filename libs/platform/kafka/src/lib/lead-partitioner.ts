import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';

// The murmur2 variant of the Java client's DefaultPartitioner (seed 0x9747b28c, m 0x5bd1e995, r 24),
// which kafkajs's DefaultPartitioner also implements. kafkajs computes it with a 64-bit Long class and
// allocates several objects per byte quad; only the low 32 bits ever matter, so Math.imul gives the same
// hash at a fraction of the cost (kafkajs's was a visible share of ingestion's CPU during a CSV import:
// docs/benchmarks.md#small-measurements-behind-code-choices).
const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** murmur2 of the key's UTF-8 bytes as a signed 32-bit integer, equal to kafkajs's and the Java client's. */
export function murmur2(key: Buffer | string): number {
  const data = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const quads = length >>> 2;
  for (let i = 0; i < quads; i++) {
    const at = i << 2;
    let k = (data[at] as number) | ((data[at + 1] as number) << 8) | ((data[at + 2] as number) << 16) | ((data[at + 3] as number) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & ~3;
  const left = length & 3;
  if (left > 0) {
    if (left === 3) h ^= (data[tail + 2] as number) << 16;
    if (left >= 2) h ^= (data[tail + 1] as number) << 8;
    h ^= data[tail] as number;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition of `key` among `partitions`: the same one kafkajs's DefaultPartitioner and the Java client choose. */
export function partitionForKey(key: Buffer | string, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

/**
 * kafkajs partitioner: an explicit partition wins, a keyed message goes to partitionForKey (so one lead's
 * events stay on one partition, exactly where kafkajs's DefaultPartitioner put them before), and a message
 * without a key goes round-robin over the partitions that have a leader.
 */
export const LeadPartitioner: ICustomPartitioner = () => {
  const next = new Map<string, number>();
  return ({ topic, partitionMetadata, message }: PartitionerArgs): number => {
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    if (message.key !== undefined && message.key !== null) return partitionForKey(message.key, partitionMetadata.length);
    const available = partitionMetadata.filter((partition) => partition.leader >= 0);
    const counter = next.get(topic) ?? Math.floor(Math.random() * 0x7fffffff);
    next.set(topic, (counter + 1) & 0x7fffffff);
    if (available.length > 0) return (available[counter % available.length] as { partitionId: number }).partitionId;
    return counter % partitionMetadata.length;
  };
};
