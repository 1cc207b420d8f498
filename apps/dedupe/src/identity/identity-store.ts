import { pairKey, type MatchRules } from '@leadstream/domain-matching';
import type { EntityManager } from 'typeorm';
import { leadRecordRepository, type KnownLead, type MergeDecisionRow, type NewRecord } from '../persistence/lead-record.repository';
import { reviewPairRepository } from '../persistence/review-pair.repository';
import { ClusterBook } from './cluster-book';
import { accountIdOf, keyHashesOf } from './lead-keys';

/**
 * Loads what a transaction needs to resolve leads into a ClusterBook, and writes back what changed. Reads:
 * the leads found under the keys (one statement), their clusters locked and re-read under the locks, every
 * member of those clusters, and the dismissed pairs among them. Writes: new and re-enriched leads with their
 * keys, and the leads that moved to another cluster.
 */
export const identityStore = {
  /** `byKey`: the stored leads found under each key hash of `keyHashesPerLead`. */
  async open(transaction: EntityManager, keyHashesPerLead: readonly (readonly string[])[], rules: MatchRules): Promise<{ book: ClusterBook; byKey: Map<string, string[]> }> {
    const keyHashes = new Set<string>();
    for (const hashes of keyHashesPerLead) for (const keyHash of hashes) keyHashes.add(keyHash);
    const { byKey, locked } = await leadRecordRepository.findByKeysAndLock(transaction, [...keyHashes], rules.maxCandidatesPerKey);
    const found = new Set<string>();
    for (const leadIds of byKey.values()) for (const leadId of leadIds) found.add(leadId);
    return { book: await this.openLockedClusters(transaction, [...found], locked, rules), byKey };
  },

  /** A book of the clusters of `leadIds`, locked, with every member and the dismissed pairs among them. */
  openClusters(transaction: EntityManager, leadIds: readonly string[], rules: MatchRules): Promise<ClusterBook> {
    return this.openLockedClusters(transaction, leadIds, new Set(), rules);
  },

  /** openClusters when some clusters are locked already (`locked`, their surviving leads). */
  async openLockedClusters(transaction: EntityManager, leadIds: readonly string[], locked: Set<string>, rules: MatchRules): Promise<ClusterBook> {
    const members = await leadRecordRepository.lockedMembersOf(transaction, leadIds, locked);
    const dismissed = await reviewPairRepository.dismissedAmong(transaction, members.map((member) => member.leadId));
    const book = new ClusterBook(rules, new Set(dismissed.map(([a, b]) => pairKey(a, b))));
    for (const member of members) book.load(member);
    return book;
  },

  async save(transaction: EntityManager, book: ClusterBook): Promise<void> {
    // Leads enriched again (stored before), then the new ones in the order they arrived.
    const records: NewRecord[] = [];
    for (const leadId of [...book.updated, ...book.added]) {
      const known = book.record(leadId) as KnownLead;
      records.push({ ...known, accountId: accountIdOf(known.lead), keyHashes: keyHashesOf(known.lead), replacing: book.updated.has(leadId) });
    }
    await leadRecordRepository.storeRecords(transaction, records);
    // A moved lead that is stored again above already has its new cluster.
    const moved = new Map([...book.moved].filter(([leadId]) => !book.added.has(leadId) && !book.updated.has(leadId)));
    await leadRecordRepository.moveToCluster(transaction, moved);
  },

  storeDecisions(transaction: EntityManager, decisions: readonly MergeDecisionRow[]): Promise<void> {
    return leadRecordRepository.storeDecisions(transaction, decisions);
  },
};
