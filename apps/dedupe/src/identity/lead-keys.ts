import { hash } from 'node:crypto';
import type { EnrichedLead } from '@leadstream/contracts';
import { LEADSTREAM_NAMESPACE, uuidV5 } from '@leadstream/contracts';
import { accountKeyOf, blockingKeys, exactKeys } from '@leadstream/domain-matching';

// The keys of a lead are needed twice per event (its locks, then its lookup): computed once per object.
const keysByLead = new WeakMap<EnrichedLead, readonly string[]>();

/** Every key a lead is found under: its exact keys (mailbox, phone, external ids), then its blocking keys. */
export function keysOf(lead: EnrichedLead): readonly string[] {
  let keys = keysByLead.get(lead);
  if (keys === undefined) {
    keys = [...new Set([...exactKeys(lead), ...blockingKeys(lead)])];
    keysByLead.set(lead, keys);
  }
  return keys;
}

/**
 * How a key is stored and looked up (dedupe.lead_key.key_hash): the first 64 bits of its MD5, signed, as
 * PostgreSQL's bigint (`('x' || substr(md5(key), 1, 16))::bit(64)::bigint` gives the same). Not for
 * secrecy: a short fixed-width key keeps the index small and fast, and a collision only adds a candidate
 * that the matcher compares and turns down.
 */
export function keyHashOf(key: string): string {
  return hash('md5', key, 'buffer').readBigInt64BE(0).toString();
}

const hashesByLead = new WeakMap<EnrichedLead, readonly string[]>();

/** keysOf(lead) as stored: their hashes, in the same order. */
export function keyHashesOf(lead: EnrichedLead): readonly string[] {
  let hashes = hashesByLead.get(lead);
  if (hashes === undefined) {
    hashes = keysOf(lead).map(keyHashOf);
    hashesByLead.set(lead, hashes);
  }
  return hashes;
}

/**
 * How many lock buckets dedupe's match keys fall into. Two leads that share a key land in one bucket, so
 * they are resolved one after the other across lanes and replicas; a batch never takes more locks than
 * this, whatever its size, so it stays one transaction (the stage's limit is 256 per transaction).
 * docs/adr/0016-dedupe-clusters.md says why buckets rather than one lock per key.
 */
export const LOCK_BUCKETS = 251;

/** FNV-1a over the key's UTF-16 code units: cheap, stable across processes and versions. */
function bucketOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % LOCK_BUCKETS;
}

const BUCKET_NAMES = Array.from({ length: LOCK_BUCKETS }, (_, bucket) => `dedupe-bucket:${bucket}`);

/** The lock keys of a lead: the buckets of its match keys. */
export function lockBucketsOf(lead: EnrichedLead): string[] {
  return [...new Set(keysOf(lead).map((key) => BUCKET_NAMES[bucketOf(key)] as string))];
}

/** Every bucket: what a merge or unmerge request locks, as it may touch any key. */
export const ALL_LOCK_BUCKETS: readonly string[] = BUCKET_NAMES;

// Accounts repeat across leads (colleagues, duplicates): the last few thousand ids are kept.
const accountIds = new Map<string, string>();
const ACCOUNT_IDS_KEPT = 10_000;

/** The account of a lead's company: a name-based uuid of its account key, the same in every process. */
export function accountIdOf(lead: EnrichedLead): string | undefined {
  const key = accountKeyOf(lead);
  if (key === undefined) return undefined;
  let id = accountIds.get(key);
  if (id === undefined) {
    id = uuidV5(`account:${key}`, LEADSTREAM_NAMESPACE);
    if (accountIds.size >= ACCOUNT_IDS_KEPT) accountIds.delete(accountIds.keys().next().value as string);
    accountIds.set(key, id);
  }
  return id;
}
