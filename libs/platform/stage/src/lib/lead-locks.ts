import { createHash } from 'node:crypto';

/**
 * The PostgreSQL advisory lock ids of `keys` within `namespace` (the consumer group): 64-bit, from a
 * hash of the namespace and the key, distinct and in ascending order. Every transaction takes its locks
 * in this order in one statement, so two stages waiting for each other's leads cannot deadlock.
 */
export function advisoryLockIds(namespace: string, keys: Iterable<string>): string[] {
  const ids = new Set<bigint>();
  for (const key of keys) {
    ids.add(createHash('sha256').update(namespace).update('\0').update(key).digest().readBigInt64BE(0));
  }
  return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
}

/**
 * Splits `items` into runs whose distinct keys number at most `maxKeys` (an item with more keys than
 * that gets a run of its own), keeping their order. One run is one transaction: PostgreSQL keeps every
 * advisory lock in a shared table sized by max_locks_per_transaction, so a transaction locking the leads
 * of a whole large batch could exhaust it for every other session.
 */
export function chunkByKeys<T>(items: readonly T[], keysOf: (item: T) => readonly string[], maxKeys: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let keys = new Set<string>();
  for (const item of items) {
    const itemKeys = keysOf(item);
    const added = itemKeys.filter((key) => !keys.has(key));
    if (current.length > 0 && keys.size + new Set(added).size > maxKeys) {
      chunks.push(current);
      current = [];
      keys = new Set();
    }
    current.push(item);
    for (const key of itemKeys) keys.add(key);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
