import { hash } from 'node:crypto';

/** The last 16 hex digits of a canonical uuid: random bits in v4 and v7 alike (v7 starts with the time). */
const UUID_LAYOUT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-([0-9a-f]{4})-([0-9a-f]{12})$/i;

const namespaceBits = new Map<string, bigint>();

/** The first 64 bits of SHA-256 of `text`, signed. */
function hashBits(text: string): bigint {
  return hash('sha256', text, 'buffer').readBigInt64BE(0);
}

/**
 * The PostgreSQL advisory lock ids of `keys` within `namespace` (the consumer group): 64-bit, distinct and
 * in ascending order. Every transaction takes its locks in this order in one statement, so two stages
 * waiting for each other's leads cannot deadlock. A key that is a uuid (a lead id) gives its 64 random
 * bits mixed with the namespace's hash, with no hashing per key; any other key (a match key) gives the
 * first 64 bits of SHA-256 of namespace and key. Two keys that happen to share an id only wait for each
 * other: a collision costs time, never correctness.
 */
export function advisoryLockIds(namespace: string, keys: Iterable<string>): string[] {
  let salt = namespaceBits.get(namespace);
  if (salt === undefined) {
    salt = hashBits(namespace);
    namespaceBits.set(namespace, salt);
  }
  const ids = new Set<bigint>();
  for (const key of keys) {
    const uuid = UUID_LAYOUT.exec(key);
    ids.add(uuid ? BigInt.asIntN(64, BigInt(`0x${uuid[1]}${uuid[2]}`) ^ salt) : hashBits(`${namespace}\0${key}`));
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
