import type { EnrichedLead } from '@leadstream/contracts';
import { pairKey, surviveRecord, type MatchRules, type SurvivingRecord } from '@leadstream/domain-matching';
import type { KnownLead } from '../persistence/lead-record.repository';
import { accountIdOf } from './lead-keys';

export interface AbsorbedCluster {
  readonly clusterId: string;
  readonly memberIds: readonly string[];
}

/**
 * The clusters one transaction works on, in memory: the leads it loaded (under their clusters' locks) and
 * the ones it adds, which cluster each belongs to now, and what changed, to be written at the end in a
 * few multi-row statements. A cluster's id is its surviving lead: the lead that arrived first.
 */
export class ClusterBook {
  private readonly records = new Map<string, KnownLead>();
  private readonly clusterOf = new Map<string, string>();
  private readonly members = new Map<string, Set<string>>();
  /** Leads already stored whose cluster changed, with their new cluster. */
  readonly moved = new Map<string, string>();
  /** Leads new in this transaction. */
  readonly added = new Set<string>();
  private readonly addedOrder = new Map<string, number>();
  /** Stored leads whose own fields were replaced (enriched again). */
  readonly updated = new Set<string>();

  constructor(
    private readonly rules: MatchRules,
    /** pairKey(a, b) of every pair a person dismissed or split among the loaded leads. */
    readonly dismissedPairs: ReadonlySet<string>,
  ) {}

  /** A lead as stored (call with every member of every cluster the transaction locked). */
  load(known: KnownLead): void {
    if (this.records.has(known.leadId)) return;
    this.records.set(known.leadId, known);
    this.place(known.leadId, known.clusterId);
  }

  /** A lead new to dedupe, in a cluster of its own. */
  add(leadId: string, lead: EnrichedLead, receivedAt: string): void {
    this.records.set(leadId, { leadId, clusterId: leadId, lead, receivedAt });
    this.addedOrder.set(leadId, this.addedOrder.size);
    this.added.add(leadId);
    this.place(leadId, leadId);
  }

  /** Replaces a stored lead's own fields (the same lead enriched again); its cluster stays. */
  update(leadId: string, lead: EnrichedLead): void {
    const known = this.records.get(leadId);
    if (!known) throw new Error(`lead ${leadId} is not in this transaction's clusters`);
    this.records.set(leadId, { ...known, lead });
    if (!this.added.has(leadId)) this.updated.add(leadId);
  }

  has(leadId: string): boolean {
    return this.records.has(leadId);
  }

  record(leadId: string): KnownLead | undefined {
    const known = this.records.get(leadId);
    return known && { ...known, clusterId: this.clusterOf.get(leadId) ?? known.clusterId };
  }

  /** A loaded or added lead's own fields. */
  leadOf(leadId: string): EnrichedLead {
    const known = this.records.get(leadId);
    if (!known) throw new Error(`lead ${leadId} is not in this transaction's clusters`);
    return known.lead;
  }

  /** The cluster a known lead belongs to now. */
  clusterIdOf(leadId: string): string {
    const clusterId = this.clusterOf.get(leadId);
    if (clusterId === undefined) throw new Error(`lead ${leadId} is not in this transaction's clusters`);
    return clusterId;
  }

  /** The leads of a cluster, its survivor first, then in arrival order. */
  memberIdsOf(clusterId: string): string[] {
    const ids = [...(this.members.get(clusterId) ?? [])];
    return ids.sort((a, b) => (a === clusterId ? -1 : b === clusterId ? 1 : this.arrivalOrder(a, b)));
  }

  /** True when a person said two leads of these clusters are not one person (dismissed a pair, or split one off). */
  dismissedBetween(clusterA: string, clusterB: string): boolean {
    if (this.dismissedPairs.size === 0) return false;
    const a = this.memberIdsOf(clusterA);
    const b = this.memberIdsOf(clusterB);
    return a.some((left) => b.some((right) => this.dismissedPairs.has(pairKey(left, right))));
  }

  /**
   * Joins clusters into the one whose surviving lead dedupe saw first; returns it and the clusters it
   * absorbed with their members.
   */
  join(clusterIds: readonly string[]): { survivorId: string; absorbed: AbsorbedCluster[] } {
    const unique = [...new Set(clusterIds)];
    const survivorId = unique.reduce((best, candidate) => (this.arrivalOrder(candidate, best) < 0 ? candidate : best));
    const absorbed: AbsorbedCluster[] = [];
    for (const clusterId of unique) {
      if (clusterId === survivorId) continue;
      const memberIds = this.memberIdsOf(clusterId);
      absorbed.push({ clusterId, memberIds });
      for (const leadId of memberIds) this.move(leadId, survivorId);
    }
    return { survivorId, absorbed };
  }

  /** Splits a lead off its cluster: it survives on its own again. */
  split(leadId: string): void {
    this.move(leadId, leadId);
  }

  /** The surviving record of a cluster from its members' own fields, with its account. */
  survivingRecord(clusterId: string): SurvivingRecord {
    const members = this.members.get(clusterId);
    if (members?.size === 1) {
      // A lead on its own (most leads): its record is its own fields, every one from itself.
      const only = this.records.get(clusterId) as KnownLead;
      const provenance: Record<string, string> = {};
      for (const field of Object.keys(only.lead)) provenance[field] = clusterId;
      return this.withAccount({ lead: only.lead, provenance });
    }
    return this.withAccount(this.survivingRecordOfMembers(clusterId));
  }

  private withAccount(survived: SurvivingRecord): SurvivingRecord {
    const accountId = accountIdOf(survived.lead);
    if (survived.lead.accountId === accountId) return survived;
    const { accountId: _stale, ...lead } = survived.lead;
    return { lead: accountId ? { ...lead, accountId } : lead, provenance: survived.provenance };
  }

  private survivingRecordOfMembers(clusterId: string): SurvivingRecord {
    // In arrival order: survivorship breaks ties of one instant by the order of its members.
    const members = [...(this.members.get(clusterId) ?? [])].sort((a, b) => this.arrivalOrder(a, b)).map((leadId) => this.records.get(leadId) as KnownLead);
    return surviveRecord(
      members.map(({ leadId, lead, receivedAt }) => ({ leadId, lead, receivedAt })),
      this.rules.survivorship,
    );
  }

  private move(leadId: string, clusterId: string): void {
    const from = this.clusterOf.get(leadId);
    if (from === clusterId) return;
    if (from !== undefined) this.members.get(from)?.delete(leadId);
    this.place(leadId, clusterId);
    if (!this.added.has(leadId)) this.moved.set(leadId, clusterId);
  }

  private place(leadId: string, clusterId: string): void {
    this.clusterOf.set(leadId, clusterId);
    const members = this.members.get(clusterId);
    if (members) members.add(leadId);
    else this.members.set(clusterId, new Set([leadId]));
  }

  /**
   * The order dedupe saw the leads in: stored leads by their arrival sequence, then this transaction's in
   * the order they were added. A cluster's surviving lead is the first dedupe saw, so a lead that arrives
   * later never displaces a survivor the other services already act on, whatever its own timestamps say.
   */
  private arrivalOrder(a: string, b: string): number {
    const addedA = this.addedOrder.get(a);
    const addedB = this.addedOrder.get(b);
    if (addedA !== undefined || addedB !== undefined) {
      if (addedA === undefined) return -1;
      if (addedB === undefined) return 1;
      return addedA - addedB;
    }
    const left = this.records.get(a)?.arrival;
    const right = this.records.get(b)?.arrival;
    if (left !== undefined && right !== undefined && left !== right) return left < right ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }

}
